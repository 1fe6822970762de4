"""The pre-check as a French text report, for the compliance officer who has to act on it.

The verdict comes first, with what it means; then every requirement in order with its title,
its status and its findings (message, then the objects concerned: site, operator, workforce
row, headcount …); then the metrics. Built from the evaluation and the scheme's labels only, so
it says exactly what the ``rcf-evaluation/1`` says, and is as deterministic.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Mapping
from typing import Any

from rcf.referentiel.engine import Evaluation
from rcf.referentiel.messages import french_date
from rcf.referentiel.scheme import Scheme
from rcf.referentiel.versions import load_scheme

OBJECT_LABELS = {
    "contact_point": "point de contact",
    "site": "site",
    "operator": "opérateur",
    "workforce_index": "ligne d'effectif",
    "item": "élément",
    "siren": "SIREN",
    "siret": "SIRET",
    "headcount": "effectif",
    "payroll": "effectif selon la DSN",
    "number": "numéro",
}


def _number(value: int) -> str:
    return f"{value:,}".replace(",", " ")


def _percent(share: float) -> str:
    return f"{share * 100:.2f}".replace(".", ",") + " %"


def _objects(finding: Mapping[str, Any]) -> str:
    parts = []
    for key, label in OBJECT_LABELS.items():
        if key not in finding:
            continue
        value = finding[key]
        if key == "workforce_index":
            value = f"/workforce/{value}"
        elif isinstance(value, int):
            value = _number(value)
        parts.append(f"{label} {value}")
    return " · ".join(parts)


def render_report(evaluation: Evaluation | Mapping[str, Any], scheme: Scheme | None = None) -> str:
    """The report of an ``rcf-evaluation/1``, as text ending with a newline, in the words of
    ``scheme`` (by default the version the evaluation names)."""
    scheme = scheme or load_scheme(evaluation["scheme_version"])
    status_label = {code: status.label for code, status in scheme.statuses.items()}
    verdict = next(v for v in scheme.verdicts if v.code == evaluation["verdict"])
    titles = {r.id: r.title for r in scheme.requirements}
    applicant = evaluation["applicant"]

    lines = [
        f"Pré-contrôle « {scheme.title} » — référentiel version {evaluation['scheme_version']}",
        f"Entreprise candidate : {applicant['name']} (SIREN {applicant['siren']})",
        f"Date de référence : {french_date(dt.date.fromisoformat(evaluation['reference_date']))}",
        "",
        f"VERDICT : {verdict.label.upper()}",
        verdict.explanation,
        "Ce pré-contrôle n'est pas la décision de certification, qui suit l'audit sur site.",
        "",
    ]
    held = Counter(r["status"] for r in evaluation["requirements"])
    summary = [f"{status_label[code]} : {held[code]}" for code in scheme.statuses if held[code]]
    lines += ["Exigences (" + " · ".join(summary) + ")", ""]

    for requirement in evaluation["requirements"]:
        findings = requirement["findings"]
        head = f"{requirement['id']} — {titles[requirement['id']]} : "
        head += status_label[requirement["status"]].upper()
        if findings:
            head += f" ({len(findings)} constat{'s' if len(findings) > 1 else ''})"
        lines.append(head)
        for number, finding in enumerate(findings, start=1):
            lines.append(f"  {number}. {finding['message']}")
            lines.append(
                f"     [{finding['code']} · {status_label[finding['status']].lower()}] "
                + _objects(finding)
            )
        lines.append("")

    metrics: Mapping[str, Any] = evaluation["metrics"]  # the scheme's labels name its keys
    lines.append("Indicateurs")
    width = max(len(label) for label in scheme.metric_labels.values())
    for key, label in scheme.metric_labels.items():
        value = metrics[key]
        shown = _percent(value) if key == "share_compliant" else _number(value)
        lines.append(f"  {label.ljust(width)}  {shown}")
    return "\n".join(lines) + "\n"
