"""The audit report as a paginated A4 PDF (référentiel §4–5).

It says what was audited (company, application, sample and why each site was chosen), what the
auditor concluded on each checklist item, the findings with their corrective actions and their
verification, the evidence files with their SHA-256 (so a file can be matched to the report
later), the counts of non-conformities under the "5 minors count as 1 major" rule, and a
conclusion. An audit still planned gives a provisional report, marked as such.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone

from rcf.accounts.models import User
from rcf.certification.certificate_pdf import logo_svg, render_pdf
from rcf.certification.choices import (
    AuditKind,
    AuditStatus,
    ChecklistResult,
    FindingSeverity,
    FindingStatus,
)
from rcf.certification.models import Audit, Finding
from rcf.certification.sampling import sample_size
from rcf.certification.services.audit import open_major_count
from rcf.referentiel.versions import load_scheme

REPORT_TEMPLATE = "audits/pdf/report.html"


def _plural(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count <= 1 else plural}"


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _sampling_rule(factor: float) -> str:
    """The IAF MD 1 rule in words: ``⌈√n⌉``, ``⌈0,6 × √n⌉``…"""
    if math.isclose(factor, 1.0):
        return "⌈√n⌉"
    return f"⌈{factor:g} × √n⌉".replace(".", ",")


def _sample_rows(audit: Audit) -> list[dict[str, Any]]:
    """The sites to visit with what the declaration says of them (place, operator, headcount)."""
    declaration = audit.application.declaration
    sites = {s["id"]: s for s in declaration.get("sites", [])}
    operators = {o["id"]: o.get("name", o["id"]) for o in declaration.get("operators", [])}
    headcount: dict[str, int] = {}
    for row in declaration.get("workforce", []):
        headcount[row["site"]] = headcount.get(row["site"], 0) + int(row["headcount"])
    rows = []
    for entry in audit.sampled_sites:
        site = sites.get(entry["site"], {})
        location = site.get("location", {})
        place = location.get("city") or location.get("commune_insee") or ""
        operator = site.get("operator", "")
        rows.append(
            {
                "site": entry["site"],
                "place": place,
                "siret": site.get("siret", ""),
                "operator": "l'entreprise" if operator == "applicant" else operators.get(operator),
                "headcount": headcount.get(entry["site"], 0),
                "reason": entry.get("reason", ""),
            }
        )
    return rows


def audit_counts(findings: list[Finding], scheme_version: str) -> dict[str, int]:
    """Findings by severity, all and still open, and the open majors in equivalent."""

    def count(severity: str, *, open_only: bool = False) -> int:
        return sum(
            1
            for f in findings
            if f.severity == severity and not (open_only and f.status == FindingStatus.CLOSED)
        )

    return {
        "major": count(FindingSeverity.MAJOR),
        "minor": count(FindingSeverity.MINOR),
        "observation": count(FindingSeverity.OBSERVATION),
        "major_open": count(FindingSeverity.MAJOR, open_only=True),
        "minor_open": count(FindingSeverity.MINOR, open_only=True),
        "open_major_equivalent": open_major_count(findings, scheme_version),
    }


# What follows from an audit with no open major (in equivalent), and from one with some.
NOTHING_OPEN = {
    AuditKind.INITIAL: "le dossier peut être présenté à la décision de certification",
    AuditKind.RENEWAL: "le dossier peut être présenté à la décision de renouvellement",
    AuditKind.SURVEILLANCE: "rien ne s'oppose au maintien de la certification",
}
IF_NOT_LIFTED = {
    AuditKind.INITIAL: "la certification est refusée",
    AuditKind.RENEWAL: "le renouvellement est refusé",
    AuditKind.SURVEILLANCE: "la certification est suspendue",
}


def audit_conclusion(audit: Audit, findings: list[Finding]) -> str:
    """One line: where the audit leaves the company (référentiel §5)."""
    if audit.status != AuditStatus.CLOSED:
        return "Audit non clôturé : rapport provisoire, les constats peuvent encore changer."
    kind = AuditKind(audit.kind)
    counts = audit_counts(findings, audit.application.scheme_version)
    equivalent = counts["open_major_equivalent"]
    if not equivalent:
        conclusion = f"Aucune non-conformité majeure ouverte : {NOTHING_OPEN[kind]}."
        if counts["minor_open"]:
            minors = _plural(
                counts["minor_open"],
                "non-conformité mineure reste",
                "non-conformités mineures restent",
            )
            conclusion += f" {minors} à traiter, avec un plan d'action vérifié au prochain audit."
        return conclusion
    deadlines = [
        f.due_on
        for f in findings
        if f.status != FindingStatus.CLOSED
        and f.due_on
        and f.severity != FindingSeverity.OBSERVATION
    ]
    by = f" avant le {min(deadlines):%d/%m/%Y}" if deadlines else ""
    majors = _plural(
        equivalent, "non-conformité majeure ouverte", "non-conformités majeures ouvertes"
    )
    return f"{majors} (en équivalent) : à lever{by}, faute de quoi {IF_NOT_LIFTED[kind]}."


def audit_report_context(audit: Audit, *, today: dt.date) -> dict[str, Any]:
    scheme = load_scheme(audit.application.scheme_version)
    texts = {item["id"]: item["text"] for item in scheme.section("audit_checklist")}
    cycle = scheme.section("cycle")
    application = audit.application
    findings = list(audit.findings.prefetch_related("actions__proposed_by", "actions__verified_by"))
    establishments = sum(
        1 for s in application.declaration.get("sites", []) if s.get("kind") == "establishment"
    )
    factor = float(scheme.section("sampling")[audit.kind])
    return {
        "audit": audit,
        "application": application,
        "company": application.applicant_name,
        "siren": application.organisation.siren,
        "auditor": _person(audit.auditor),
        "planned_by": _person(audit.planned_by),
        "establishments": establishments,
        "sampling_rule": _sampling_rule(factor),
        "sampling_rule_size": sample_size(audit.kind, establishments, scheme),
        "sample": _sample_rows(audit),
        "checklist": [
            {
                "requirement": item.requirement,
                "text": texts.get(item.requirement, ""),
                "result": item.result,
                "result_label": ChecklistResult(item.result).label if item.result else "",
                "notes": item.notes,
            }
            for item in audit.checklist.all()
        ],
        "findings": findings,
        "evidence": list(audit.evidence.all()),
        "counts": audit_counts(findings, audit.application.scheme_version),
        "cycle": cycle,
        "conclusion": audit_conclusion(audit, findings),
        "scheme_title": scheme.title,
        "scheme_version": scheme.version,
        "logo_svg": logo_svg(),
        "today": today,
    }


def audit_report_pdf(audit: Audit, *, today: dt.date | None = None) -> bytes:
    """The audit report, A4, numbered ``Page n / N`` at the foot of every page."""
    context = audit_report_context(audit, today=today or timezone.localdate())
    return render_pdf(REPORT_TEMPLATE, context)
