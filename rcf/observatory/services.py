"""Recording the day's figures (called by ``rcf tick``)."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from rcf.observatory.models import DailySnapshot
from rcf.observatory.selectors import compute_figures, current_rows


def snapshot_record(today: dt.date | None = None) -> DailySnapshot:
    """Record (or record again, the same day) the figures of ``today``: idempotent per day.

    Computed afresh, not from the cache, so the row says exactly what the registry held when
    the tick ran.
    """
    today = today or timezone.localdate()
    figures = compute_figures(today)
    with transaction.atomic():
        snapshot, _ = DailySnapshot.objects.update_or_create(
            day=today,
            defaults={
                "taken_at": timezone.now(),
                "rows": current_rows(figures, today.isoformat()),
            },
        )
    return snapshot
