"""Writes of the operations app: the record of each ``rcf tick`` run."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from rcf.operations.choices import TickOutcome
from rcf.operations.models import TickRun
from rcf.operations.selectors import tick_last_success

KEEP_DAYS = 90
"""Runs are kept this long (an hourly timer writes 24 a day); the last run that ended ``ok``
is kept whatever its age, since readiness reads it."""


def tick_run_start() -> TickRun:
    """Record that a run took the lock and started (committed at once: autocommit), and
    forget the runs older than ``KEEP_DAYS``."""
    now = timezone.now()
    run = TickRun.objects.create(started_at=now, outcome=TickOutcome.RUNNING)
    old = TickRun.objects.filter(started_at__lt=now - dt.timedelta(days=KEEP_DAYS))
    last_success = tick_last_success()
    if last_success is not None:
        old = old.exclude(pk=last_success.pk)
    old.delete()
    return run


def tick_run_finish(run: TickRun, *, outcome: TickOutcome, detail: str = "") -> None:
    """Record the end of ``run`` and how it went."""
    run.finished_at = timezone.now()
    run.outcome = outcome
    run.detail = detail[:500]
    run.save(update_fields=["finished_at", "outcome", "detail"])
