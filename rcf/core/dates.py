"""Calendar arithmetic for deadlines: months and years added the way people count them."""

from __future__ import annotations

import calendar
import datetime as dt


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` later (or earlier), clamped to the month's last day.

    31 January + 1 month is 28 (or 29) February; 29 February 2028 + 12 months is 28 February
    2029.
    """
    index = day.year * 12 + (day.month - 1) + months
    year, month = divmod(index, 12)
    last = calendar.monthrange(year, month + 1)[1]
    return dt.date(year, month + 1, min(day.day, last))


def validity_end(start: dt.date, years: int) -> dt.date:
    """The last day (inclusive) of a validity of ``years`` starting on ``start``."""
    return add_months(start, 12 * years) - dt.timedelta(days=1)
