"""Writes of the operations app: the record of each ``rcf tick`` run."""

from __future__ import annotations

from django.utils import timezone

from rcf.operations.choices import TickOutcome
from rcf.operations.models import TickRun


def tick_run_start() -> TickRun:
    """Record that a run took the lock and started (committed at once: autocommit)."""
    return TickRun.objects.create(started_at=timezone.now(), outcome=TickOutcome.RUNNING)


def tick_run_finish(run: TickRun, *, outcome: TickOutcome, detail: str = "") -> None:
    """Record the end of ``run`` and how it went."""
    run.finished_at = timezone.now()
    run.outcome = outcome
    run.detail = detail[:500]
    run.save(update_fields=["finished_at", "outcome", "detail"])
