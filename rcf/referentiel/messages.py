"""French messages of findings, written from the templates of the scheme file.

A template is a Python format string over the finding's parameters (``{site}``, ``{siret}`` …).
One extension: ``{headcount:contributeur|contributeurs}`` writes the number followed by the
singular form when it is 0 or 1 (the French rule) and the plural form otherwise, so that
« 1 contributeur » and « 120 contributeurs » come from the same template.
"""

from __future__ import annotations

import datetime as dt
import string
from collections.abc import Mapping
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
    def format_field(self, value: Any, format_spec: str) -> str:
        if "|" in format_spec:
            singular, plural = format_spec.split("|", 1)
            return f"{value} {singular if value <= 1 else plural}"
        return super().format_field(value, format_spec)


_formatter = _MessageFormatter()


def render_message(template: str, parameters: Mapping[str, Any]) -> str:
    """The message of ``template`` with ``parameters`` filled in."""
    return _formatter.vformat(template, (), parameters)


def french_date(day: dt.date) -> str:
    """A date as French readers write it: ``30/06/2026``."""
    return day.strftime("%d/%m/%Y")


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
