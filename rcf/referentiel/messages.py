"""Messages of findings, written from the templates of the scheme file.

A template is a Python format string over the finding's parameters (``{site}``, ``{siret}`` …).
One extension: ``{headcount:contributeur|contributeurs}`` writes the number followed by the
singular or the plural form, so that « 1 contributeur » and « 120 contributeurs » come from the
same template. The singular is for 0 and 1 in French, for 1 alone in English (« 0 contributors »).
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Callable, Mapping
from typing import Any

PARAMETERS = frozenset(
    {
        # objects of the finding, also written into the evaluation
        "site",
        "operator",
        "workforce_index",
        "item",
        "siren",
        "siret",
        "headcount",
        "payroll",
        "contact_point",
        "number",
        # words for the message only
        "reference_date",
        "operator_name",
        "country",
        "location",
        "contract_law",
        "contract_label",
        "contract_reference",
        "item_label",
        "commitment",
        "source",
        "month",
        "tolerance",
        "channel_label",
        "national",
    }
)
"""Every name a template may use; the scheme loader refuses any other."""


class _MessageFormatter(string.Formatter):
    def __init__(self, singular: Callable[[int], bool]) -> None:
        self.singular = singular

    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            singular, plural = format_spec.split("|", 1)
            return f"{value} {singular if self.singular(value) else plural}"
        return super().format_field(value, format_spec)


_formatter = _MessageFormatter(lambda n: n <= 1)
_formatters = {"fr": _formatter, "en": _MessageFormatter(lambda n: n == 1)}


def render_message(template: str, parameters: Mapping[str, Any], language: str = "fr") -> str:
    """The message of ``template`` with ``parameters`` filled in, with the plural rule of
    ``language`` (``fr`` or ``en``)."""
    return _formatters[language].vformat(template, (), parameters)


def french_date(day: dt.date) -> str:
    """A date as French readers write it: ``30/06/2026``."""
    return day.strftime("%d/%m/%Y")


ENGLISH_MONTHS = (
    *("January", "February", "March", "April", "May", "June"),
    *("July", "August", "September", "October", "November", "December"),
)


def english_date(day: dt.date) -> str:
    """A date as (British) English readers write it: ``30 June 2026``."""
    return f"{day.day} {ENGLISH_MONTHS[day.month - 1]} {day.year}"


def template_fields(template: str) -> dict[str, str]:
    """The parameters a (valid) template uses → their format spec (``""`` or ``sing|plur``)."""
    return {name: spec or "" for _lit, name, spec, _conv in _formatter.parse(template) if name}


def template_problems(template: str) -> list[str]:
    """What is wrong with a template (unknown parameter, malformed field), for the loader."""
    problems = []
    try:
        fields = list(_formatter.parse(template))
    except ValueError as exc:
        return [f"malformed template: {exc}"]
    for _literal, name, spec, _conversion in fields:
        if name is None:
            continue
        if name not in PARAMETERS:
            problems.append(f"unknown parameter {{{name}}}")
        if spec and spec.count("|") != 1:
            problems.append(f"{{{name}:{spec}}}: a plural field is {{n:singular|plural}}")
    return problems
