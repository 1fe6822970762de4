"""The pre-check as people read it on a page: the scheme's French labels around an
``rcf-evaluation/1`` document. Used by the applicant's report, the AFRC's and certifier's
views and the public pre-check page."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from django.utils.formats import number_format

from rcf.precheck.choices import Verdict
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


def percent(share: float) -> str:
    """``0.454`` → ``45,4 %`` (the decimal mark of the language)."""
    value = round(share * 100, 2)
    return f"{number_format(int(value) if value == int(value) else value)} %"


def french_date(iso: str) -> str:
    try:
        return dt.date.fromisoformat(iso).strftime("%d/%m/%Y")
    except ValueError:
        return iso


def evaluation_report(
    evaluation: Mapping[str, Any], *, links_for: LinksFor | None = None
) -> dict[str, Any]:
    """The context of ``applications/_report.html`` for one evaluation."""
    scheme = load_scheme(str(evaluation["scheme_version"]))
    verdict = next(v for v in scheme.verdicts if v.code == evaluation["verdict"])
    requirements = {r.id: r for r in scheme.requirements}
    items = []
    for requirement in evaluation["requirements"]:
        findings = [
            {
                **finding,
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
        # The page's own language; the scheme's labels stay French (they are the format's).
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
        "reference_date": french_date(evaluation.get("reference_date", "")),
    }
