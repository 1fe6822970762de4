"""Where everyone starts (under ``/espace/``): the dashboard of the applications one may see,
and the page of one application — its status, next step, audits, certificate and history.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rcf.accounts.choices import Role
from rcf.accounts.pages import roles_of
from rcf.certification.choices import ApplicationStatus, CertificateStatus
from rcf.certification.editor import SECTIONS
from rcf.certification.models import Application, Certificate, Finding
from rcf.certification.permissions import (
    application_abilities,
    audit_abilities,
    certificate_abilities,
    visible_applications,
)
from rcf.certification.selectors.dossier import application_for
from rcf.core.pages import workflow_page as page
from rcf.journal.selectors import journal_for
from rcf.precheck.choices import Verdict
from rcf.precheck.presentation import VERDICT_CLASS

S = ApplicationStatus


NEXT_STEP = {
    S.DRAFT: _("Complétez la déclaration, consultez le pré-contrôle, puis déposez le dossier."),
    S.SUBMITTED: _("L'AFRC examine la recevabilité du dossier."),
    S.ADMISSIBLE: _("L'organisme certificateur va planifier l'audit."),
    S.AUDIT_PLANNED: _("L'audit est planifié : préparez les pièces demandées."),
    S.AUDITED: _("L'organisme certificateur va prendre sa décision."),
    S.CORRECTIVE_ACTIONS: _("Proposez une action corrective pour chaque non-conformité ouverte."),
    S.CERTIFIED: _("Téléchargez votre certificat et votre kit de badge."),
    S.REFUSED: _("La certification est refusée ; une nouvelle candidature reste possible."),
}


STAFF_NEXT_STEP = {
    S.DRAFT: _("L'entreprise complète sa déclaration ; rien à faire avant le dépôt."),
    S.SUBMITTED: _("Recevabilité à juger par l'AFRC."),
    S.ADMISSIBLE: _("Audit à planifier par l'organisme certificateur."),
    S.AUDIT_PLANNED: _("Audit planifié : à réaliser et clôturer par l'auditeur."),
    S.AUDITED: _("Décision à prendre par un certificateur qui n'a pas audité le dossier."),
    S.CORRECTIVE_ACTIONS: _(
        "L'entreprise propose ses actions correctives ; l'auditeur les vérifie."
    ),
    S.CERTIFIED: _("Certificat en vigueur : suivre les audits de surveillance."),
    S.REFUSED: _("Certification refusée ; dossier clos."),
}
"""The next step as the AFRC, the certifier and the auditor read it (not the applicant's)."""

ENDED_NEXT_STEP = {
    CertificateStatus.SUSPENDED: _("Certificat suspendu : rétablir ou retirer."),
    CertificateStatus.WITHDRAWN: _("Certificat retiré : plus de surveillance ; dossier clos."),
    CertificateStatus.EXPIRED: _("Certificat expiré : plus de surveillance ; dossier clos."),
}
"""A certified dossier whose certificate is no longer valid: what it means for the staff."""


def next_step(
    application: Application, *, applicant: bool, certificate_status: str | None = None
) -> str:
    """The next step of ``application`` in the words of its reader: the company's for the
    applicant, the staff's for the others."""
    if applicant:
        if certificate_status and certificate_status != CertificateStatus.ACTIVE:
            return str(STATUS_FOR_APPLICANT[CertificateStatus(certificate_status)])
        return str(NEXT_STEP.get(S(application.status), ""))
    if certificate_status in ENDED_NEXT_STEP:
        return str(ENDED_NEXT_STEP[certificate_status])  # type: ignore[index]
    return str(STAFF_NEXT_STEP.get(S(application.status), ""))


STATUS_FOR_APPLICANT = {
    CertificateStatus.SUSPENDED: _(
        "Votre certificat est suspendu : vous ne pouvez pas utiliser le label tant qu'il n'est "
        "pas rétabli."
    ),
    CertificateStatus.WITHDRAWN: _(
        "Votre certificat est retiré : vous ne pouvez plus utiliser le label ; une nouvelle "
        "candidature reste possible."
    ),
    CertificateStatus.EXPIRED: _(
        "Votre certificat a expiré : vous ne pouvez plus utiliser le label sans un nouvel audit."
    ),
}


def certificate_statuses(application_ids: list[int]) -> dict[int, str]:
    """The public status of the certificate attached to each dossier (none after a renewal
    moved it to the renewal's dossier)."""
    rows = (
        Certificate.objects.with_public_status()
        .filter(application_id__in=application_ids)
        .values_list("application_id", "public_status")  # type: ignore[misc]  # an annotation
    )
    return dict(rows)


JOURNAL_ACTIONS = {
    "rcf.application.created": _("Dossier créé"),
    "rcf.application.declaration_updated": _("Déclaration modifiée"),
    "rcf.application.dsn_added": _("DSN déposées"),
    "rcf.application.dsn_removed": _("DSN retirée"),
    "rcf.application.submitted": _("Dossier déposé"),
    "rcf.application.admissible": _("Dossier déclaré recevable"),
    "rcf.application.returned": _("Dossier renvoyé à l'entreprise"),
    "rcf.application.audit_planned": _("Audit planifié"),
    "rcf.application.audit_closed": _("Audit clôturé"),
    "rcf.application.decided": _("Décision de certification"),
}


def _history(application: Application) -> list[dict[str, Any]]:
    """The journal of the application as people read it."""
    labels = dict(S.choices)
    entries = []
    for entry in journal_for("application", application.pk):
        data = entry.data or {}
        details = [
            str(data[key])
            for key in ("comment", "motivation", "certificate")
            if isinstance(data.get(key), str) and data[key]
        ]
        entries.append(
            {
                "at": entry.recorded_at,
                "label": JOURNAL_ACTIONS.get(entry.action, entry.action),
                "actor": entry.actor_username or gettext("la plateforme"),
                "before": labels.get(entry.before, entry.before),
                "after": labels.get(entry.after, entry.after),
                "details": details,
            }
        )
    return entries


def audit_rows(application: Application, user: Any) -> list[dict[str, Any]]:
    """Each audit of the application with what ``user`` may do with it and its findings."""
    audits = []
    for audit in application.audits.select_related("auditor").order_by("planned_on", "id"):
        findings = list(
            Finding.objects.filter(audit=audit).prefetch_related("actions").order_by("id")
        )
        audits.append(
            {"audit": audit, "abilities": audit_abilities(user, audit), "findings": findings}
        )
    return audits


@page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Logged-in users. The applications the user may see (an applicant: its organisation's),
    with status, pre-check verdict and next step; filter by status."""
    applications = visible_applications(request.user).order_by("-updated_at", "-id")
    status = request.GET.get("statut", "")
    if status in S.values:
        applications = applications.filter(status=status)
    applicant = Role.APPLICANT in roles_of(request)
    shown = list(applications[:500])
    statuses = certificate_statuses([a.pk for a in shown])
    rows = [
        {
            "application": application,
            "certificate_status": statuses.get(application.pk),
            "next_step": next_step(
                application, applicant=applicant, certificate_status=statuses.get(application.pk)
            ),
            "verdict_class": VERDICT_CLASS.get(Verdict(application.verdict), "warn"),
        }
        for application in shown
    ]
    return render(
        request,
        "applications/dashboard.html",
        {
            "rows": rows,
            "applicant": applicant,
            "can_create": applicant and getattr(request.user, "organisation_id", None),
            "statuses": S.choices,
            "status": status,
        },
    )


@page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application (its company, the AFRC, certifiers once submitted, its
    auditors). Status, next step, actions the user may take, audits and findings, certificate,
    history."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    certificate = Certificate.objects.with_public_status().filter(application=application).first()
    applicant = Role.APPLICANT in roles_of(request)
    status = certificate.public_status if certificate is not None else None
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "abilities": abilities,
            "next_step": next_step(application, applicant=applicant, certificate_status=status),
            "verdict_class": VERDICT_CLASS.get(Verdict(application.verdict), "warn"),
            "verdict_label": Verdict(application.verdict).label,
            "certificate_open": certificate is not None
            and certificate_abilities(request.user, certificate)["view"],
            "history": _history(application),
            "audits": audit_rows(application, request.user),
            "certificate": certificate,
            "payroll_count": application.payroll_evidence.count(),
            "is_draft": application.status == S.DRAFT,
            "sections": SECTIONS,
        },
    )
