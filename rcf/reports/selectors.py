"""What the AFRC's pages read about logo reports."""

from __future__ import annotations

from django.db.models import QuerySet

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.accounts.permissions import has_role
from rcf.core.errors import NotFound
from rcf.reports.choices import ReportStatus
from rcf.reports.models import LogoReport


def open_reports() -> QuerySet[LogoReport]:
    """New or in progress: what waits for the AFRC, oldest first."""
    return LogoReport.objects.exclude(status=ReportStatus.CLOSED).order_by("received_at", "id")


def report_for(user: User, pk: int) -> LogoReport:
    """One report, for the AFRC only (404 for anyone else: reports are not public)."""
    if not has_role(user, Role.AFRC):
        raise NotFound("Signalement introuvable.")
    report = LogoReport.objects.filter(pk=pk).first()
    if report is None:
        raise NotFound("Signalement introuvable.")
    return report
