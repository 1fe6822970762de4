"""A finding of an ``rcf-evaluation/1`` in another language than French.

The evaluation keeps, for each finding, its code, its objects (site, operator, SIREN …) and its
French ``message``, the published text. It does not keep the words that only the message uses
(an operator's name, a location, a contract label, a date …), nor which variant of the message
the engine chose. Those are recovered from the French message itself: it was written from one
of the finding's French templates, so matching it against them gives back the variant and every
parameter. A candidate is kept only if rendering it again gives the very same French message,
so a recovered parameter set is never a guess. The English template of the same variant is then
rendered with those parameters, after the few parameters that are French words themselves (an
enumeration label, a contract label, a commitment, a date) are replaced by their English.

No machine translation: what cannot be matched (a message from another scheme's wording, say)
is shown in French, as it was published.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import string
from collections.abc import Mapping
from typing import Any

from rcf.referentiel.messages import english_date, render_message, template_fields
from rcf.referentiel.scheme import FindingKind, Scheme

NUMBERS = frozenset({"headcount", "payroll", "workforce_index", "tolerance"})
"""Parameters that are whole numbers (the plural forms need them as numbers)."""

_FIELDS = string.Formatter()


@functools.cache
def _pattern(template: str) -> re.Pattern[str]:
    """A regular expression matching what ``template`` renders, one named group a parameter."""
    parts = []
    seen: set[str] = set()
    for literal, name, spec, _conversion in _FIELDS.parse(template):
        parts.append(re.escape(literal))
        if name is None:
            continue
        if name in seen:
            parts.append(f"(?P={name})")
            continue
        seen.add(name)
        if spec and "|" in spec:
            singular, plural = spec.split("|", 1)
            parts.append(f"(?P<{name}>[0-9]+) (?:{re.escape(singular)}|{re.escape(plural)})")
        elif name in NUMBERS:
            parts.append(f"(?P<{name}>-?[0-9]+)")
        else:
            parts.append(f"(?P<{name}>.*?)")
    return re.compile("".join(parts), re.DOTALL)


def recover_parameters(kind: FindingKind, message: str) -> tuple[str | None, dict[str, Any]] | None:
    """(variant, parameters) of the French ``message`` of a finding of ``kind``, or ``None``
    when no template of ``kind`` renders exactly this message."""
    for variant in [None, *kind.variants]:
        template = kind.template(variant)
        match = _pattern(template).fullmatch(message)
        if match is None:
            continue
        parameters: dict[str, Any] = {
            name: int(value) if name in NUMBERS else value
            for name, value in match.groupdict().items()
        }
        if render_message(template, parameters, kind.language) == message:
            return variant, parameters
    return None


def _in_language(
    parameters: Mapping[str, Any], french: Scheme, target: Scheme, finding: Mapping[str, Any]
) -> dict[str, Any]:
    """The parameters whose values are French words of the scheme, in ``target``'s words."""
    translated = dict(parameters)
    item = str(finding.get("item", ""))
    if "item_label" in translated and "." in item:
        dimension, code = item.split(".", 1)
        translated["item_label"] = target.enumerations.get(dimension, {}).get(
            code, translated["item_label"]
        )
    if "commitment" in translated and item.startswith("commitments."):
        code = item.removeprefix("commitments.")
        translated["commitment"] = target.commitments.get(code, translated["commitment"])
    if "channel_label" in translated:
        # RCF-09 (version 2): the channel of a contact point, by its French label.
        for code, label in french.enumerations.get("channels", {}).items():
            if label == translated["channel_label"]:
                translated["channel_label"] = target.enumerations["channels"][code]
                break
    if "contract_label" in translated:
        for code, kind in french.contract_kinds.items():
            if kind.label == translated["contract_label"]:
                translated["contract_label"] = target.contract_kinds[code].label
                break
    if "reference_date" in translated and target.language == "en":
        try:
            day = dt.datetime.strptime(translated["reference_date"], "%d/%m/%Y").date()
        except ValueError:
            pass
        else:
            translated["reference_date"] = english_date(day)
    return translated


def finding_message(finding: Mapping[str, Any], scheme: Scheme, language: str | None) -> str:
    """The message of an evaluation's ``finding`` in ``language``; its French ``message`` when
    the language is French or when the message cannot be matched to the scheme's templates."""
    message = str(finding.get("message", ""))
    french = scheme.in_language("fr")
    target = scheme.in_language(language)
    if target is french:
        return message
    code = str(finding.get("code", ""))
    if code not in french.findings or code not in target.findings:
        return message
    recovered = recover_parameters(french.findings[code], message)
    if recovered is None:
        return message
    variant, parameters = recovered
    kind = target.findings[code]
    template = kind.template(variant)
    parameters = _in_language(parameters, french, target, finding)
    if set(template_fields(template)) - set(parameters):
        return message
    return kind.render(parameters, variant)
