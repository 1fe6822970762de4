"""The pre-check as people read it on a page: the scheme's labels around an
``rcf-evaluation/1`` document, in the page's language. Used by the applicant's report, the
AFRC's and certifier's views and the public pre-check page.

The document itself is French (its ``message`` fields are the format's); on an English page the
scheme's English texts are used and each finding is re-rendered from its English template
(:mod:`rcf.referentiel.translation`)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import number_format
from django.utils.translation import get_language

from rcf.precheck.choices import Verdict
from rcf.referentiel.messages import english_date
from rcf.referentiel.translation import finding_message
from rcf.referentiel.versions import load_scheme

VERDICT_CLASS = {"eligible": "ok", "to_verify": "warn", "not_eligible": "bad"}
STATUS_CLASS = {
    "conforme": "ok",
    "a_verifier": "warn",
    "non_conforme": "bad",
    "non_applicable": "neutral",
}

LinksFor = Callable[[Mapping[str, Any], Mapping[str, Any]], list[dict[str, str]]]
"""(requirement, finding) → links ``{"href", "label"}`` to where the finding can be fixed."""


def _language() -> str:
    return (get_language() or "fr").split("-")[0]


def percent(share: float) -> str:
    """``0.454`` → ``45,4 %`` in French, ``45.4%`` in English (the language's typography)."""
    value = round(share * 100, 2)
    number = number_format(int(value) if value == int(value) else value)
    return f"{number}%" if _language() == "en" else f"{number} %"


def page_date(iso: str) -> str:
    """``2026-06-30`` → ``30/06/2026`` on a French page, ``30 June 2026`` on an English one."""
    try:
        day = dt.date.fromisoformat(iso)
    except ValueError:
        return iso
    return english_date(day) if _language() == "en" else day.strftime("%d/%m/%Y")


def evaluation_report(
    evaluation: Mapping[str, Any], *, links_for: LinksFor | None = None
) -> dict[str, Any]:
    """The context of ``applications/_report.html`` for one evaluation."""
    language = _language()
    scheme = load_scheme(str(evaluation["scheme_version"])).in_language(language)
    verdict = next(v for v in scheme.verdicts if v.code == evaluation["verdict"])
    requirements = {r.id: r for r in scheme.requirements}
    items = []
    for requirement in evaluation["requirements"]:
        findings = [
            {
                **finding,
                "message": finding_message(finding, scheme, language),
                "status_label": scheme.statuses[finding["status"]].label,
                "status_class": STATUS_CLASS.get(finding["status"], "neutral"),
                "links": links_for(requirement, finding) if links_for else [],
            }
            for finding in requirement["findings"]
        ]
        known = requirements.get(requirement["id"])
        items.append(
            {
                "id": requirement["id"],
                "title": known.title if known else requirement["id"],
                "text": known.text if known else "",
                "status": requirement["status"],
                "status_label": scheme.statuses[requirement["status"]].label,
                "status_class": STATUS_CLASS.get(requirement["status"], "neutral"),
                "findings": findings,
            }
        )
    return {
        "verdict": verdict,
        "verdict_label": str(Verdict(verdict.code).label),
        "verdict_class": VERDICT_CLASS.get(verdict.code, "warn"),
        "requirements": items,
        "metrics": [
            {
                "label": scheme.metric_labels.get(key, key),
                "value": percent(value) if key == "share_compliant" else value,
            }
            for key, value in evaluation["metrics"].items()
        ],
        "reference_date": page_date(evaluation.get("reference_date", "")),
    }
