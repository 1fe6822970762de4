"""Reads of the operations app."""

from __future__ import annotations

from rcf.operations.choices import TickOutcome
from rcf.operations.models import TickRun


def tick_last_success() -> TickRun | None:
    """The last run of ``rcf tick`` that ended well, or None if none ever did."""
    return (
        TickRun.objects.filter(outcome=TickOutcome.OK, finished_at__isnull=False)
        .order_by("-finished_at", "-id")
        .first()
    )


def tick_last_run() -> TickRun | None:
    """The last run that took the lock, whatever its outcome."""
    return TickRun.objects.order_by("-started_at", "-id").first()
