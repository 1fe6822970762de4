"""What waits for each role on its workspace (``/espace/accueil/``): counts and short lists.

Reads only; the deadlines follow the scheme parameters of each certificate's version (the same
``cycle`` section that ``rcf tick`` applies), so the page warns before the tick acts.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from rcf.accounts.models import User
from rcf.certification.choices import (
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    CertificateStatus,
    FindingStatus,
)
from rcf.certification.models import Application, Audit, Certificate, Finding
from rcf.core.dates import add_months
from rcf.referentiel.versions import load_scheme

S = ApplicationStatus


@dataclass(frozen=True)
class Watch:
    """A certificate that needs the certifier: what is due and by when."""

    certificate: Certificate
    due_on: dt.date
    month: int | None = None
    """The surveillance audit's month (12, 24), for a surveillance due."""


def _cycle(certificate: Certificate) -> dict[str, Any]:
    cycle: dict[str, Any] = load_scheme(certificate.scheme_version).section("cycle")
    return cycle


def applications_to_judge() -> QuerySet[Application]:
    """Deposited dossiers waiting for the AFRC's admissibility, oldest first."""
    return (
        Application.objects.filter(status=S.SUBMITTED)
        .select_related("organisation")
        .order_by("updated_at", "id")
    )


def applications_to_plan() -> QuerySet[Application]:
    """Admissible dossiers whose audit the certification body has to plan."""
    return (
        Application.objects.filter(status=S.ADMISSIBLE)
        .select_related("organisation")
        .order_by("updated_at", "id")
    )


def applications_to_decide(user: User) -> QuerySet[Application]:
    """Audited dossiers waiting for a decision, without those ``user`` audited (who audited a
    dossier may not decide on it)."""
    return (
        Application.objects.filter(status=S.AUDITED)
        .exclude(audits__auditor=user)
        .select_related("organisation")
        .order_by("updated_at", "id")
        .distinct()
    )


def surveillance_due(today: dt.date | None = None) -> list[Watch]:
    """Valid certificates whose surveillance audit window is open (or opens within a month)
    with no surveillance audit planned or done in it."""
    today = today or timezone.localdate()
    found = []
    certificates = (
        Certificate.objects.publicly_valid(today).select_related("organisation").order_by("number")
    )
    for certificate in certificates:
        cycle = _cycle(certificate)
        window = int(cycle["surveillance_window_months"])
        for month in cycle["surveillance_months"]:
            opens = add_months(certificate.valid_from, int(month) - window)
            closes = add_months(certificate.valid_from, int(month) + window)
            if closes >= certificate.valid_until or not (add_months(opens, -1) <= today <= closes):
                continue
            covered = Audit.objects.filter(
                application_id=certificate.application_id,
                kind=AuditKind.SURVEILLANCE,
                planned_on__gte=opens,
                planned_on__lte=closes,
            ).exists()
            if not covered:
                found.append(Watch(certificate, closes, int(month)))
    return sorted(found, key=lambda watch: watch.due_on)


def suspensions_near_withdrawal(
    today: dt.date | None = None, *, within_days: int = 45
) -> list[Watch]:
    """Suspended certificates that ``rcf tick`` withdraws within ``within_days`` days (the
    scheme's ``suspension_max_months`` after the suspension)."""
    today = today or timezone.localdate()
    found = []
    suspended = Certificate.objects.filter(status=CertificateStatus.SUSPENDED).select_related(
        "organisation"
    )
    for certificate in suspended:
        since = timezone.localtime(certificate.status_changed_at).date()
        withdrawn_on = add_months(since, int(_cycle(certificate)["suspension_max_months"]))
        if withdrawn_on <= today + dt.timedelta(days=within_days):
            found.append(Watch(certificate, withdrawn_on))
    return sorted(found, key=lambda watch: watch.due_on)


def audits_of(auditor: User) -> QuerySet[Audit]:
    """The auditor's audits still to carry out, nearest first."""
    return (
        Audit.objects.filter(auditor=auditor, status=AuditStatus.PLANNED)
        .select_related("application__organisation")
        .order_by("planned_on", "id")
    )


def actions_to_verify(auditor: User) -> QuerySet[Finding]:
    """Findings of the auditor's audits whose corrective action waits for verification,
    nearest deadline first."""
    return (
        Finding.objects.filter(audit__auditor=auditor, status=FindingStatus.ACTION_PROPOSED)
        .select_related("audit__application__organisation")
        .order_by("due_on", "id")
    )
