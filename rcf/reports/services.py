"""Receiving a report from the public and the AFRC's handling of it, each step one
transaction with one journal entry (``rcf.report.*``, object type ``logo_report``)."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext_lazy as _

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.accounts.permissions import require_role
from rcf.core.errors import InputError, InvalidInput, TransitionNotAllowed
from rcf.journal.services import journal_record
from rcf.reports.choices import ReportOutcome, ReportStatus
from rcf.reports.models import LogoReport

OBJ_TYPE = "logo_report"

NEXT_STATUSES = {
    ReportStatus.NEW: {ReportStatus.IN_PROGRESS, ReportStatus.CLOSED},
    ReportStatus.IN_PROGRESS: {ReportStatus.IN_PROGRESS, ReportStatus.CLOSED},
    ReportStatus.CLOSED: set(),
}
"""Where a report may go from each status (staying « in progress » records a new answer)."""


def report_receive(*, company: str, where_seen: str, description: str, email: str) -> LogoReport:
    """Anyone. Files a report in the AFRC's queue as « new ». The journal says that a report
    came in, not who sent it: the address stays on the report, to answer."""
    with transaction.atomic():
        report = LogoReport.objects.create(
            company=company.strip(),
            where_seen=where_seen.strip(),
            description=description.strip(),
            email=email.strip(),
        )
        journal_record(
            actor=None,
            action="rcf.report.received",
            obj_type=OBJ_TYPE,
            obj_id=report.pk,
            after=ReportStatus.NEW,
        )
    return report


def report_handle(
    *, actor: User, report: LogoReport, status: str, outcome: str = "", answer: str = ""
) -> LogoReport:
    """The AFRC. Takes a report in hand or closes it with its outcome (403 for another role,
    409 once closed, 422 for a closing without an outcome)."""
    with transaction.atomic():
        require_role(actor, Role.AFRC)
        report = LogoReport.objects.select_for_update().get(pk=report.pk)
        before = ReportStatus(report.status)
        if status not in ReportStatus.values:
            raise InvalidInput([InputError("status", str(_("Choisissez un statut.")))])
        target = ReportStatus(status)
        if target not in NEXT_STATUSES[before]:
            raise TransitionNotAllowed(
                _("Ce signalement est clos : sa suite est enregistrée et ne change plus.")
                if before == ReportStatus.CLOSED
                else _("Un signalement ne peut pas revenir à l'état « nouveau ».")
            )
        errors = []
        if target == ReportStatus.CLOSED and outcome not in ReportOutcome.values:
            errors.append(
                InputError(
                    "outcome", str(_("Pour clore un signalement, dites quelle suite il a reçue."))
                )
            )
        if target != ReportStatus.CLOSED and outcome:
            errors.append(
                InputError("outcome", str(_("La suite se choisit en clôturant le signalement.")))
            )
        if errors:
            raise InvalidInput(errors)
        report.status = target
        report.outcome = outcome if target == ReportStatus.CLOSED else ""
        report.answer = answer.strip()
        report.save()
        journal_record(
            actor=actor,
            action="rcf.report.closed"
            if target == ReportStatus.CLOSED
            else "rcf.report.in_progress",
            obj_type=OBJ_TYPE,
            obj_id=report.pk,
            before=before,
            after=target,
            data={"outcome": report.outcome} if report.outcome else {},
        )
    return report
