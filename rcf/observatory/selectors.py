"""The observatory's figures, computed from the registry at the moment they are asked for.

Three sources, each for what it can tell (docs/observatory.md):

- **the registry now** — the headline figures and the breakdowns read the publicly valid
  certificates (``Certificate.objects.publicly_valid()``) and their scope; the funnel counts
  the initial dossiers by status;
- **the history** — the monthly series replay the certificates' status history
  (``CertificateEvent``) and their validity periods (a renewal event keeps the period it
  closed), so a certificate counts as valid on a day exactly when the public status rule would
  have said so that day;
- **the daily snapshots** (``DailySnapshot``, written by ``rcf tick``) — a month whose last day
  has a snapshot takes its contributors from it, since a scope replaced at renewal is
  otherwise lost.

Everything is computed in one pass and kept in memory under a *registry version* (the last
certificate, certificate event, journal entry, dossier and snapshot, and the day): any change of
status gives a new version, so the next request computes afresh and nothing stale is shown.
"""

from __future__ import annotations

import bisect
import datetime as dt
import threading
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, IntegerField, Max, Q
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, TruncDate
from django.utils import timezone

from rcf.certification.choices import ApplicationKind, ApplicationStatus, CertificateStatus
from rcf.certification.models import Application, Certificate, CertificateEvent
from rcf.core.dates import add_months
from rcf.journal.models import JournalEntry
from rcf.observatory import sector
from rcf.observatory.models import DailySnapshot

HEADLINE = (
    "valid_certificates",
    "certified_companies",
    "contributors",
    "sites",
    "departments",
    "territories",
    "sector_share_percent",
)
"""The headline indicators, in the order the page shows them."""

BREAKDOWNS = ("departments", "territories", "channels", "activities", "employment", "contracts")
"""Keys of ``scope["breakdown"]``; the indicator is ``contributors_by_<singular>``."""
BREAKDOWN_INDICATOR = {
    "departments": "contributors_by_department",
    "territories": "contributors_by_territory",
    "channels": "contributors_by_channel",
    "activities": "contributors_by_activity",
    "employment": "contributors_by_employment",
    "contracts": "contributors_by_contract",
}
UNKNOWN = ""
"""Breakdown key of contributors a certificate's scope does not break down (a scope older than
the breakdown, not yet backfilled)."""

FUNNEL = ("created", "submitted", "admissible", "audited", "certified", "refused")
_AS = ApplicationStatus
_REACHED: dict[str, set[str]] = {
    # A status reached implies every earlier stage: a refusal comes only after an audit.
    "submitted": {
        _AS.SUBMITTED,
        _AS.ADMISSIBLE,
        _AS.AUDIT_PLANNED,
        _AS.AUDITED,
        _AS.CORRECTIVE_ACTIONS,
        _AS.CERTIFIED,
        _AS.REFUSED,
    },
    "admissible": {
        _AS.ADMISSIBLE,
        _AS.AUDIT_PLANNED,
        _AS.AUDITED,
        _AS.CORRECTIVE_ACTIONS,
        _AS.CERTIFIED,
        _AS.REFUSED,
    },
    "audited": {_AS.AUDITED, _AS.CORRECTIVE_ACTIONS, _AS.CERTIFIED, _AS.REFUSED},
    "certified": {_AS.CERTIFIED},
    "refused": {_AS.REFUSED},
}

MONTHLY_EVENTS = ("issued", "renewed", "suspended", "withdrawn", "expired")
"""Changes counted month by month (``expired`` includes the expiries ``rcf tick`` has not yet
recorded: an active certificate past its last day is expired for the public)."""


@dataclass(frozen=True)
class MonthPoint:
    """The state at the end of a month (or today, for the month under way)."""

    day: dt.date
    valid_certificates: int
    contributors: int
    events: dict[str, int]
    from_snapshot: bool = False


@dataclass
class Figures:
    today: dt.date
    headline: dict[str, float]
    breakdowns: dict[str, dict[str, int]]
    funnel: dict[str, int]
    months: list[MonthPoint] = field(default_factory=list)

    def rows(self) -> list[dict[str, Any]]:
        """Every figure in the long format of the open data: date, indicator, breakdown, value.

        The month under way is dated today and carries the headline's own figures; the past
        months are dated their last day.
        """
        today = self.today.isoformat()
        rows: list[dict[str, Any]] = []
        for point in self.months:
            day = point.day.isoformat()
            if point.day != self.today:
                rows.append(_row(day, "valid_certificates", "", point.valid_certificates))
                rows.append(_row(day, "contributors", "", point.contributors))
            for event in MONTHLY_EVENTS:
                rows.append(_row(day, f"certificates_{event}", "", point.events.get(event, 0)))
        rows.extend(current_rows(self, today))
        rows.sort(key=lambda r: (r["date"], r["indicator"], r["breakdown"]))
        return rows


def _row(day: str, indicator: str, breakdown: str, value: float) -> dict[str, Any]:
    return {"date": day, "indicator": indicator, "breakdown": breakdown, "value": value}


def current_rows(figures: Figures, day: str) -> list[dict[str, Any]]:
    """The figures of the day (headline, breakdowns, funnel): what a snapshot records."""
    rows = [_row(day, name, "", figures.headline[name]) for name in HEADLINE]
    for key in BREAKDOWNS:
        for breakdown, value in sorted(figures.breakdowns[key].items()):
            rows.append(_row(day, BREAKDOWN_INDICATOR[key], breakdown, value))
    for stage in FUNNEL:
        rows.append(_row(day, "applications", stage, figures.funnel[stage]))
    return rows


# --- the registry version and the cache ------------------------------------------------------


def registry_version(today: dt.date) -> tuple[Any, ...]:
    """What changes whenever any figure may change, read from primary-key indexes only (five
    ``MAX(id)``, each a single index lookup, so a registry of 100,000 certificates costs no
    scan on every request).

    Every change of a certificate's status or scope goes through the workflow, which writes a
    ``CertificateEvent`` and a journal entry; every move of a dossier (deleting a draft
    included) writes a journal entry; the snapshots are few. The day matters because validity
    ends with the date.
    """
    snapshots = DailySnapshot.objects.aggregate(last=Max("pk"), changed=Max("taken_at"))
    return (
        today,
        Certificate.objects.aggregate(last=Max("pk"))["last"],
        CertificateEvent.objects.aggregate(last=Max("pk"))["last"],
        JournalEntry.objects.aggregate(last=Max("pk"))["last"],
        Application.objects.aggregate(last=Max("pk"))["last"],
        snapshots["last"],
        snapshots["changed"],
    )


_lock = threading.Lock()
_cache: dict[tuple[Any, ...], Figures] = {}


def observatory_figures(today: dt.date | None = None) -> tuple[Figures, str]:
    """The figures of ``today`` and a short tag of the registry version they were computed at.

    Computed once per version and process; the version is read on every call.
    """
    today = today or timezone.localdate()
    version = registry_version(today)
    tag = format(abs(hash(version)), "x")[:12]
    cached = _cache.get(version)
    if cached is not None:
        return cached, tag
    with _lock:
        cached = _cache.get(version)
        if cached is None:
            cached = compute_figures(today)
            _cache.clear()  # only the current version is worth keeping
            _cache[version] = cached
    return cached, tag


# --- computing -----------------------------------------------------------------------------


def compute_figures(today: dt.date) -> Figures:
    headline, breakdowns = _current(today)
    figures = Figures(today=today, headline=headline, breakdowns=breakdowns, funnel=_funnel())
    figures.months = _months(today, figures)
    return figures


def _current(today: dt.date) -> tuple[dict[str, float], dict[str, dict[str, int]]]:
    rows = Certificate.objects.publicly_valid(today).values_list("organisation_id", "scope")
    companies: set[int] = set()
    departments: set[str] = set()
    territories: set[str] = set()
    contributors = sites = count = 0
    breakdowns: dict[str, Counter[str]] = {key: Counter() for key in BREAKDOWNS}
    for organisation_id, scope in rows.iterator(chunk_size=2_000):
        count += 1
        companies.add(organisation_id)
        people = int(scope["contributors"])
        contributors += people
        sites += int(scope["sites"]["count"])
        departments.update(scope["sites"]["departments"])
        territories.update(scope["sites"]["territories"])
        detail = scope.get("breakdown")
        for key in BREAKDOWNS:
            if detail is None:
                breakdowns[key][UNKNOWN] += people
            else:
                breakdowns[key].update(detail[key])
    headline: dict[str, float] = {
        "valid_certificates": count,
        "certified_companies": len(companies),
        "contributors": contributors,
        "sites": sites,
        "departments": len(departments),
        "territories": len(territories),
        "sector_share_percent": sector.share_percent(contributors),
    }
    return headline, {key: dict(counter) for key, counter in breakdowns.items()}


def _funnel() -> dict[str, int]:
    """Initial dossiers by the furthest stage they reached: counts only, nobody named."""
    aggregates: dict[str, Any] = {"created": Count("pk")}
    for stage, statuses in _REACHED.items():
        aggregates[stage] = Count("pk", filter=Q(status__in=statuses))
    counts = Application.objects.filter(kind=ApplicationKind.INITIAL).aggregate(**aggregates)
    return {stage: int(counts[stage]) for stage in FUNNEL}


@dataclass
class _Life:
    """One certificate's history: the days it was valid, and its changes."""

    valid: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    """Inclusive ranges of days on which it was publicly valid."""
    changes: list[tuple[dt.date, str]] = field(default_factory=list)


def certificate_lives(today: dt.date) -> dict[int, _Life]:
    """Replay every certificate's status history (events in order) against its periods.

    A period ends on the ``valid_until`` in force: the certificate's own for the current
    period, and for an earlier one the ``previous.valid_until`` its renewal event kept.
    """
    ends: dict[int, list[tuple[dt.datetime, dt.date]]] = {}
    renewals = CertificateEvent.objects.filter(action="renewed").values_list(
        "certificate_id", "on", "data"
    )
    for certificate_id, on, data in renewals.iterator(chunk_size=5_000):
        previous = (data or {}).get("previous", {}).get("valid_until")
        if previous:
            ends.setdefault(certificate_id, []).append((on, dt.date.fromisoformat(previous)))
    current_end = dict(Certificate.objects.values_list("pk", "valid_until"))
    # The local day is computed by the database: converting 100,000 datetimes in Python costs
    # more than the rest of the replay.
    events = (
        CertificateEvent.objects.order_by("certificate_id", "on", "pk")
        .annotate(day=TruncDate("on"))
        .values_list("certificate_id", "on", "day", "action", "status")
    )
    lives: dict[int, _Life] = {}
    by_certificate: dict[int, list[tuple[dt.datetime, dt.date, str, str]]] = {}
    for certificate_id, on, day, action, status in events.iterator(chunk_size=5_000):
        by_certificate.setdefault(certificate_id, []).append((on, day, action, status))
    for certificate_id, history in by_certificate.items():
        if certificate_id not in current_end:
            continue
        lives[certificate_id] = _replay(
            history, sorted(ends.get(certificate_id, [])), current_end[certificate_id], today
        )
    return lives


def _period_end(
    at: dt.datetime, renewal_ends: list[tuple[dt.datetime, dt.date]], last_end: dt.date
) -> dt.date:
    """The last valid day of the period in force at ``at``: the period a later renewal
    closed, or the current one."""
    for renewed_at, previous_end in renewal_ends:
        if renewed_at > at:
            return previous_end
    return last_end


def _replay(
    history: list[tuple[dt.datetime, dt.date, str, str]],
    renewal_ends: list[tuple[dt.datetime, dt.date]],
    last_end: dt.date,
    today: dt.date,
) -> _Life:
    life = _Life()
    for index, (on, day, action, status) in enumerate(history):
        start = day
        if start > today:
            break
        if action in MONTHLY_EVENTS and action != "expired":
            life.changes.append((start, action))
        if status != CertificateStatus.ACTIVE:
            continue
        following = history[index + 1][1] if index + 1 < len(history) else None
        end = _period_end(on, renewal_ends, last_end)
        stop = end
        if following is not None:
            stop = min(stop, following - dt.timedelta(days=1))
        stop = min(stop, today)
        if stop >= start:
            life.valid.append((start, stop))
        # The period ran out before anything else happened: expired the next day.
        expired_on = end + dt.timedelta(days=1)
        if expired_on <= today and (following is None or following >= expired_on):
            life.changes.append((expired_on, "expired"))
    return life


def month_ends(first: dt.date, today: dt.date) -> list[dt.date]:
    """The last day of each month from ``first``'s to the month before today's, then today."""
    days = []
    month = first.replace(day=1)
    while True:
        end = add_months(month, 1) - dt.timedelta(days=1)
        if end >= today:
            break
        days.append(end)
        month = add_months(month, 1)
    days.append(today)
    return days


def _months(today: dt.date, figures: Figures) -> list[MonthPoint]:
    lives = certificate_lives(today)
    starts = [life.valid[0][0] for life in lives.values() if life.valid]
    if not starts:
        return []
    days = month_ends(min(starts), today)
    # Read by the database from the JSON, not decoded here: one integer per certificate.
    contributors = Cast(KeyTextTransform("contributors", "scope"), IntegerField())
    people: dict[int, int] = {
        pk: value or 0
        for pk, value in Certificate.objects.annotate(people=contributors)
        .values_list("pk", "people")
        .iterator(chunk_size=5_000)
    }
    valid = [0] * (len(days) + 1)
    covered = [0] * (len(days) + 1)
    changes: list[Counter[str]] = [Counter() for _ in days]
    for pk, life in lives.items():
        for start, stop in life.valid:
            first = bisect.bisect_left(days, start)
            after = bisect.bisect_right(days, stop)
            if first < after:
                valid[first] += 1
                valid[after] -= 1
                covered[first] += people.get(pk, 0)
                covered[after] -= people.get(pk, 0)
        for day, action in life.changes:
            index = bisect.bisect_left(days, day)
            if index < len(days):
                changes[index][action] += 1
    snapshots = _snapshot_contributors(days[:-1])
    points = []
    running_valid = running_covered = 0
    for index, day in enumerate(days):
        running_valid += valid[index]
        running_covered += covered[index]
        events = {action: changes[index].get(action, 0) for action in MONTHLY_EVENTS}
        if day == today:
            # The month under way is the registry now: the very figures of the headline.
            points.append(
                MonthPoint(
                    day,
                    int(figures.headline["valid_certificates"]),
                    int(figures.headline["contributors"]),
                    events,
                )
            )
        elif day in snapshots:
            points.append(MonthPoint(day, running_valid, snapshots[day], events, True))
        else:
            points.append(MonthPoint(day, running_valid, running_covered, events))
    return points


def _snapshot_contributors(days: Iterable[dt.date]) -> dict[dt.date, int]:
    """The contributors recorded by the snapshots of these days, where there is one."""
    found = {}
    for day, rows in DailySnapshot.objects.filter(day__in=list(days)).values_list("day", "rows"):
        for row in rows:
            if row["indicator"] == "contributors" and row["breakdown"] == "":
                found[day] = int(row["value"])
    return found


def snapshot_of(day: dt.date) -> DailySnapshot | None:
    return DailySnapshot.objects.filter(day=day).first()
