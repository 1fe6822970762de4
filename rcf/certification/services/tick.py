"""What ``rcf tick`` does: apply the deadlines that are due and send the reminders.

Run by cron or a timer, as often as one likes: every step is guarded by the state it changes
(a suspended certificate is not suspended again) or by the unique key of the e-mail it
queues, so running it twice in a row does nothing the second time.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rcf.accounts.choices import Role
from rcf.certification import workflow
from rcf.certification.choices import (
    ApplicationKind,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    CertificateStatus,
    FindingSeverity,
    FindingStatus,
)
from rcf.certification.models import Application, Audit, Certificate, Finding
from rcf.certification.services.certificate import (
    certificate_expire,
    certificate_suspend,
    certificate_withdraw,
)
from rcf.certification.services.mail import day, email_in_languages
from rcf.core.dates import add_months
from rcf.core.errors import TransitionNotAllowed
from rcf.notifications.services import (
    deliveries_paused,
    emails_deliver,
    organisation_addresses,
    role_addresses,
)
from rcf.referentiel.versions import load_scheme


@dataclass
class TickReport:
    expired: list[str] = field(default_factory=list)
    suspended: list[str] = field(default_factory=list)
    withdrawn: list[str] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)
    reminders: list[str] = field(default_factory=list)
    emails_sent: int = 0

    def lines(self) -> list[str]:
        return [
            f"Certificats expirés : {', '.join(self.expired) or 'aucun'}",
            f"Certificats suspendus : {', '.join(self.suspended) or 'aucun'}",
            f"Certificats retirés : {', '.join(self.withdrawn) or 'aucun'}",
            f"Dossiers refusés (non-conformité majeure échue) : "
            f"{', '.join(map(str, self.refused)) or 'aucun'}",
            f"Rappels mis en file : {len(self.reminders)}",
            f"E-mails envoyés : {self.emails_sent}",
        ]


def _cycle(certificate: Certificate) -> dict[str, Any]:
    """The cycle parameters of the version of the référentiel the certificate was issued under."""
    cycle: dict[str, Any] = load_scheme(certificate.scheme_version).section("cycle")
    return cycle


def _reminder_offsets(certificate: Certificate) -> list[tuple[str, int | None, int | None]]:
    """Renewal reminders as (label, months, days), farthest first: ``8m``, ``90d``, ``30d``."""
    offsets = []
    for raw in _cycle(certificate)["renewal_reminders"]:
        number, unit = int(raw[:-1]), raw[-1]
        offsets.append((raw, number if unit == "m" else None, number if unit == "d" else None))
    return offsets


def _reminder_date(valid_until: dt.date, months: int | None, days: int | None) -> dt.date:
    return (
        add_months(valid_until, -months) if months else valid_until - dt.timedelta(days=days or 0)
    )


def _overdue_majors(application_id: int, today: dt.date) -> list[Finding]:
    return list(
        Finding.objects.filter(
            audit__application_id=application_id,
            severity=FindingSeverity.MAJOR,
            due_on__lt=today,
        ).exclude(status=FindingStatus.CLOSED)
    )


def _missed_surveillance(certificate: Certificate, today: dt.date) -> int | None:
    """The month (12 or 24) of a surveillance audit whose window has passed undone."""
    cycle = _cycle(certificate)
    window = int(cycle["surveillance_window_months"])
    for month in cycle["surveillance_months"]:
        start = add_months(certificate.valid_from, month - window)
        end = add_months(certificate.valid_from, month + window)
        if today <= end or end >= certificate.valid_until:
            continue
        done = Audit.objects.filter(
            application_id=certificate.application_id,
            kind=AuditKind.SURVEILLANCE,
            status=AuditStatus.CLOSED,
            performed_on__gte=start,
            performed_on__lte=end,
        ).exists()
        if not done:
            return int(month)
    return None


@transaction.atomic
def _refuse_overdue(application: Application, findings: list[Finding]) -> None:
    try:
        step = workflow.begin(workflow.APPLICATION_REFUSE_OVERDUE, application, actor=None)
    except TransitionNotAllowed:
        return  # its state changed since it was listed: nothing is due any more
    application = step.obj
    step.finish(data={"findings": [f.pk for f in findings]})
    email_in_languages(
        to=organisation_addresses(application.organisation_id) + role_addresses(Role.CERTIFIER),
        subject=lambda: _("Dossier n° %(id)s refusé") % {"id": application.pk},
        body=lambda: _(
            "Une non-conformité majeure n'a pas été levée dans les 3 mois : "
            "la certification est refusée."
        ),
    )


def tick(today: dt.date | None = None) -> TickReport:
    """Apply every deadline due on ``today`` (default: today in Europe/Paris)."""
    today = today or timezone.localdate()
    with deliveries_paused():
        report = _apply(today)
    report.emails_sent = emails_deliver()
    return report


def _apply(today: dt.date) -> TickReport:
    report = TickReport()

    for certificate in Certificate.objects.live().filter(valid_until__lt=today):
        certificate_expire(certificate=certificate, today=today)
        report.expired.append(certificate.number)

    for certificate in Certificate.objects.filter(status=CertificateStatus.ACTIVE):
        overdue = _overdue_majors(certificate.application_id, today)
        if overdue:
            reason = (
                f"Non-conformité majeure non levée à l'échéance du "
                f"{min(f.due_on for f in overdue if f.due_on):%d/%m/%Y}."
            )
        elif (month := _missed_surveillance(certificate, today)) is not None:
            reason = f"Audit de surveillance à {month} mois non réalisé dans sa fenêtre."
        else:
            continue
        certificate_suspend(actor=None, certificate=certificate, reason=reason)
        report.suspended.append(certificate.number)

    for certificate in Certificate.objects.filter(status=CertificateStatus.SUSPENDED):
        limit = int(_cycle(certificate)["suspension_max_months"])
        since = timezone.localtime(certificate.status_changed_at).date()
        if add_months(since, limit) <= today:
            certificate_withdraw(
                actor=None,
                certificate=certificate,
                reason=f"Suspendu depuis le {since:%d/%m/%Y} sans rétablissement "
                f"dans les {limit} mois.",
            )
            report.withdrawn.append(certificate.number)

    pending = Application.objects.filter(
        status=ApplicationStatus.CORRECTIVE_ACTIONS,
        kind__in=[ApplicationKind.INITIAL, ApplicationKind.RENEWAL],
    )
    for application in pending:
        overdue = _overdue_majors(application.pk, today)
        if overdue:
            _refuse_overdue(application, overdue)
            report.refused.append(application.pk)

    report.reminders += _queue_reminders(today)
    return report


def _remind_renewal(certificate: Certificate, key: str) -> bool:
    """Queue the renewal reminder of ``key``; whether it was queued (not already sent)."""
    return email_in_languages(
        key=key,
        to=organisation_addresses(certificate.organisation_id) + role_addresses(Role.AFRC),
        subject=lambda: (
            _("%(number)s expire le %(day)s")
            % {"number": certificate.number, "day": day(certificate.valid_until)}
        ),
        body=lambda: (
            _(
                "Le certificat %(number)s expire le %(day)s. Pour le renouveler, déposez un "
                "dossier de renouvellement et faites réaliser l'audit avant cette date."
            )
            % {"number": certificate.number, "day": day(certificate.valid_until)}
        ),
    )


def _remind_surveillance(
    certificate: Certificate, key: str, month: int, opens: dt.date, closes: dt.date
) -> bool:
    """Queue the reminder to plan a surveillance audit; whether it was queued."""
    return email_in_languages(
        key=key,
        to=role_addresses(Role.CERTIFIER),
        subject=lambda: (
            _("Audit de surveillance à %(month)s mois à planifier : %(number)s")
            % {"month": month, "number": certificate.number}
        ),
        body=lambda: (
            _(
                "L'audit de surveillance à %(month)s mois du certificat %(number)s doit avoir lieu "
                "entre le %(opens)s et le %(closes)s."
            )
            % {
                "month": month,
                "number": certificate.number,
                "opens": day(opens),
                "closes": day(closes),
            }
        ),
    )


def _queue_reminders(today: dt.date) -> list[str]:
    queued = []
    for certificate in Certificate.objects.filter(status=CertificateStatus.ACTIVE):
        offsets = _reminder_offsets(certificate)
        window = int(_cycle(certificate)["surveillance_window_months"])
        # Only the nearest reminder already due is sent: a tick that first runs 20 days
        # before expiry sends the 30-day reminder, not all three at once.
        due = [
            label
            for label, months, days in offsets
            if _reminder_date(certificate.valid_until, months, days) <= today
        ]
        if due:
            label = due[-1]
            key = f"renewal:{certificate.number}:{certificate.valid_until}:{label}"
            if _remind_renewal(certificate, key):
                queued.append(key)
        for month in _cycle(certificate)["surveillance_months"]:
            opens = add_months(certificate.valid_from, month - window)
            closes = add_months(certificate.valid_from, month + window)
            if not (opens <= today <= closes):
                continue
            if Audit.objects.filter(
                application_id=certificate.application_id,
                kind=AuditKind.SURVEILLANCE,
                planned_on__gte=opens,
                planned_on__lte=closes,
            ).exists():
                continue
            key = f"surveillance:{certificate.number}:{certificate.valid_from}:{month}"
            if _remind_surveillance(certificate, key, month, opens, closes):
                queued.append(key)
    return queued
