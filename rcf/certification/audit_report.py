"""The audit report as a paginated A4 PDF (référentiel §4–5).

It says what was audited (company, application, sample and why each site was chosen), what the
auditor concluded on each checklist item, the findings with their corrective actions and their
verification, the evidence files with their SHA-256 (so a file can be matched to the report
later), the counts of non-conformities under the "5 minors count as 1 major" rule, and a
conclusion. An audit still planned gives a provisional report, marked as such.

It is written in French, or in English for an English reader (``language="en"``); the texts
typed by people (descriptions, notes, comments) and the reasons the sample proposal gave for
each site stay as they were written (docs/i18n.md).
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

from django.utils import timezone, translation
from django.utils.translation import get_language, gettext_lazy, ngettext, pgettext
from django.utils.translation import gettext as _

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
from rcf.certification.services.mail import day
from rcf.referentiel.versions import load_scheme

REPORT_TEMPLATE = "audits/pdf/report.html"


def _person(user: User) -> str:
    return user.get_full_name() or user.get_username()


def _sampling_rule(factor: float) -> str:
    """The IAF MD 1 rule in words: ``⌈√n⌉``, ``⌈0,6 × √n⌉`` (``⌈0.6 × √n⌉`` in English)…"""
    if math.isclose(factor, 1.0):
        return "⌈√n⌉"
    rule = f"⌈{factor:g} × √n⌉"
    return rule if (get_language() or "fr").startswith("en") else rule.replace(".", ",")


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
                "operator": pgettext("the applicant, as a site's operator", "l'entreprise")
                if operator == "applicant"
                else operators.get(operator),
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
    AuditKind.INITIAL: gettext_lazy("le dossier peut être présenté à la décision de certification"),
    AuditKind.RENEWAL: gettext_lazy(
        "le dossier peut être présenté à la décision de renouvellement"
    ),
    AuditKind.SURVEILLANCE: gettext_lazy("rien ne s'oppose au maintien de la certification"),
}
IF_NOT_LIFTED = {
    AuditKind.INITIAL: gettext_lazy("la certification est refusée"),
    AuditKind.RENEWAL: gettext_lazy("le renouvellement est refusé"),
    AuditKind.SURVEILLANCE: gettext_lazy("la certification est suspendue"),
}


def audit_conclusion(audit: Audit, findings: list[Finding]) -> str:
    """One line: where the audit leaves the company (référentiel §5)."""
    if audit.status != AuditStatus.CLOSED:
        return _("Audit non clôturé : rapport provisoire, les constats peuvent encore changer.")
    kind = AuditKind(audit.kind)
    counts = audit_counts(findings, audit.application.scheme_version)
    equivalent = counts["open_major_equivalent"]
    if not equivalent:
        conclusion = _("Aucune non-conformité majeure ouverte : %(next)s.") % {
            "next": NOTHING_OPEN[kind]
        }
        if counts["minor_open"]:
            n = counts["minor_open"]
            conclusion += " " + ngettext(
                "%(n)s non-conformité mineure reste à traiter, avec un plan d'action vérifié au "
                "prochain audit.",
                "%(n)s non-conformités mineures restent à traiter, avec un plan d'action vérifié "
                "au prochain audit.",
                n,
            ) % {"n": n}
        return conclusion
    deadlines = [
        f.due_on
        for f in findings
        if f.status != FindingStatus.CLOSED
        and f.due_on
        and f.severity != FindingSeverity.OBSERVATION
    ]
    values = {"n": equivalent, "otherwise": IF_NOT_LIFTED[kind]}
    if deadlines:
        return ngettext(
            "%(n)s non-conformité majeure ouverte (en équivalent) : à lever avant le %(day)s, "
            "faute de quoi %(otherwise)s.",
            "%(n)s non-conformités majeures ouvertes (en équivalent) : à lever avant le "
            "%(day)s, faute de quoi %(otherwise)s.",
            equivalent,
        ) % {**values, "day": day(min(deadlines))}
    return (
        ngettext(
            "%(n)s non-conformité majeure ouverte (en équivalent) : à lever, faute de quoi "
            "%(otherwise)s.",
            "%(n)s non-conformités majeures ouvertes (en équivalent) : à lever, faute de quoi "
            "%(otherwise)s.",
            equivalent,
        )
        % values
    )


def audit_report_context(audit: Audit, *, today: dt.date) -> dict[str, Any]:
    """What the report prints, in the active language."""
    scheme = load_scheme(audit.application.scheme_version).in_language(get_language())
    texts = scheme.checklist
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


def audit_report_pdf(audit: Audit, *, today: dt.date | None = None, language: str = "fr") -> bytes:
    """The audit report, A4, numbered ``Page n / N`` at the foot of every page, in French or
    in ``language`` (``en``)."""
    with translation.override(language):
        context = audit_report_context(audit, today=today or timezone.localdate())
    return render_pdf(REPORT_TEMPLATE, context, language)
