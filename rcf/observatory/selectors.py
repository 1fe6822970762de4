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

Every certificate's share of the figures (read from its scope) and its life (replayed from
its history) are kept in memory by each process (:class:`Observatory`) with their sums; each
request reads the *registry version* (the journal's head and a few largest ids: one row and
index lookups) and, when it has changed, reads again only the certificates that have new
events. A change of status is thus seen on the very next request, for the cost of one
certificate; a new day re-reads nothing. The whole registry is read once per process, or again
when its history was rewritten under it (a restored backup).
"""

from __future__ import annotations

import bisect
import datetime as dt
import logging
import threading
import time
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import DatabaseError, connection, connections
from django.db.models import Count, Max, Q
from django.db.models.functions import TruncDate
from django.utils import timezone

from rcf.certification.choices import ApplicationKind, ApplicationStatus, CertificateStatus
from rcf.certification.models import Application, Certificate, CertificateEvent
from rcf.core.dates import add_months
from rcf.journal.models import JournalEntry, JournalHead
from rcf.observatory import sector
from rcf.observatory.models import DailySnapshot

logger = logging.getLogger(__name__)

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
    _rows: list[dict[str, Any]] | None = field(default=None, repr=False, compare=False)

    def rows(self) -> list[dict[str, Any]]:
        """Every figure in the long format of the open data: date, indicator, breakdown, value.

        The month under way is dated today and carries the headline's own figures; the past
        months are dated their last day. Computed once (the figures of a version do not
        change): read it, do not change it.
        """
        if self._rows is None:
            self._rows = self._all_rows()
        return self._rows

    def _all_rows(self) -> list[dict[str, Any]]:
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


# --- what one certificate adds --------------------------------------------------------------


_same: Any = {}.setdefault
"""``_same(x, x)``: one object for equal values. A registry of 100,000 certificates repeats a
few hundred department codes, breakdown parts and headcounts, and a few thousand days; decoding
gives each row its own copies (4.7 kB kept per certificate as decoded, 1.5 kB shared)."""


@dataclass(frozen=True, slots=True)
class _Share:
    """What one certificate adds to the figures of a day on which it is publicly valid, read
    from its public scope once (decoding the JSON of every scope is most of a full build)."""

    organisation_id: int
    people: int
    sites: int
    departments: tuple[str, ...]
    territories: tuple[str, ...]
    breakdown: tuple[tuple[Any, ...], ...] | None
    """``scope["breakdown"]`` in the order of ``BREAKDOWNS``, each as ``(part, contributors,
    part, contributors, …)``; None for a scope older than the breakdown."""


def _packed(parts: dict[str, int]) -> tuple[Any, ...]:
    flat: list[Any] = []
    for part, value in parts.items():
        flat.append(_same(part, part))
        flat.append(_same(value, value))
    return tuple(flat)


def _share(organisation_id: int, scope: dict[str, Any]) -> _Share:
    sites = scope["sites"]
    detail = scope.get("breakdown")
    return _Share(
        organisation_id=organisation_id,
        people=int(scope["contributors"]),
        sites=int(sites["count"]),
        departments=tuple(_same(code, code) for code in sites["departments"]),
        territories=tuple(_same(code, code) for code in sites["territories"]),
        breakdown=None if detail is None else tuple(_packed(detail[key]) for key in BREAKDOWNS),
    )


@dataclass(slots=True)
class _Life:
    """One certificate's history, not cut at any day: the days it was valid, and its changes
    (an expiry is dated the day after the period ran out, even when that day is still to
    come). The figures of a day read only what happened up to that day."""

    valid: list[tuple[dt.date, dt.date]] = field(default_factory=list)
    """Inclusive ranges of days on which it was (or, unless something happens, will be)
    publicly valid."""
    changes: list[tuple[dt.date, str]] = field(default_factory=list)


@dataclass(slots=True)
class _Entry:
    status: str
    valid_until: dt.date
    share: _Share
    life: _Life

    def valid_on(self, day: dt.date) -> bool:
        """The public status rule (``Certificate.objects.publicly_valid``) for that day."""
        return self.status == CertificateStatus.ACTIVE and self.valid_until >= day


def _bump(counter: dict[Any, int], key: Any, by: int) -> None:
    """Add ``by`` to ``counter[key]``, removing the key when it falls to zero."""
    value = counter.get(key, 0) + by
    if value:
        counter[key] = value
    else:
        counter.pop(key, None)


class _Tally:
    """The figures of one day: the sum of the shares of the certificates valid that day.

    Distinct things (companies, departments, territories, breakdown parts) are counted by the
    number of certificates that name them, so that removing one certificate removes a
    department exactly when no other valid certificate covers it.
    """

    def __init__(self) -> None:
        self.count = 0
        self.contributors = 0
        self.sites = 0
        self.companies: dict[int, int] = {}
        self.departments: dict[str, int] = {}
        self.territories: dict[str, int] = {}
        self.parts: dict[str, dict[str, list[int]]] = {key: {} for key in BREAKDOWNS}
        """For each breakdown part, ``[contributors, certificates naming it]`` (a part given
        with 0 contributors is still shown, as the scope gives it)."""

    def add(self, share: _Share, sign: int) -> None:
        self.count += sign
        self.contributors += sign * share.people
        self.sites += sign * share.sites
        _bump(self.companies, share.organisation_id, sign)
        for department in share.departments:
            _bump(self.departments, department, sign)
        for territory in share.territories:
            _bump(self.territories, territory, sign)
        detail = share.breakdown
        for index, key in enumerate(BREAKDOWNS):
            parts = self.parts[key]
            given = (UNKNOWN, share.people) if detail is None else detail[index]
            for part, value in zip(given[::2], given[1::2], strict=True):
                slot = parts.get(part)
                if slot is None:
                    parts[part] = [sign * value, sign]
                    continue
                slot[0] += sign * value
                slot[1] += sign
                if not slot[1]:
                    del parts[part]

    def headline(self) -> dict[str, float]:
        return {
            "valid_certificates": self.count,
            "certified_companies": len(self.companies),
            "contributors": self.contributors,
            "sites": self.sites,
            "departments": len(self.departments),
            "territories": len(self.territories),
            "sector_share_percent": sector.share_percent(self.contributors),
        }

    def breakdowns(self) -> dict[str, dict[str, int]]:
        return {
            key: {part: slot[0] for part, slot in self.parts[key].items()} for key in BREAKDOWNS
        }


class _History:
    """Every certificate's life summed by day: the month-by-month series read it at each
    month's end. Differences (+1 the first valid day, −1 the day after the last), so a
    certificate that changes is taken out and put back without touching the others."""

    def __init__(self) -> None:
        self.valid: dict[dt.date, int] = {}
        self.people: dict[dt.date, int] = {}
        self.firsts: dict[dt.date, int] = {}
        """The first valid day of each certificate: the series starts at the earliest."""
        self.changes: dict[tuple[dt.date, str], int] = {}

    def add(self, life: _Life, people: int, sign: int) -> None:
        for start, stop in life.valid:
            after = stop + dt.timedelta(days=1)
            _bump(self.valid, start, sign)
            _bump(self.valid, after, -sign)
            if people:
                _bump(self.people, start, sign * people)
                _bump(self.people, after, -sign * people)
        if life.valid:
            _bump(self.firsts, life.valid[0][0], sign)
        for change in life.changes:
            _bump(self.changes, change, sign)

    def months(self, today: dt.date, current: _Tally) -> list[MonthPoint]:
        """Month by month from the first valid day; a past month's end with a daily snapshot
        takes its contributors from it."""
        firsts = [day for day in self.firsts if day <= today]
        if not firsts:
            return []
        days = month_ends(min(firsts), today)
        snapshots = _snapshot_contributors(days[:-1])
        changes: list[Counter[str]] = [Counter() for _ in days]
        for (day, action), count in self.changes.items():
            if day <= today:
                changes[bisect.bisect_left(days, day)][action] += count
        valid = _running(self.valid, days)
        people = _running(self.people, days)
        points = []
        for index, day in enumerate(days):
            events = {action: changes[index].get(action, 0) for action in MONTHLY_EVENTS}
            if day == today:
                # The month under way is the registry now: the very figures of the headline.
                points.append(MonthPoint(day, current.count, current.contributors, events))
            elif day in snapshots:
                points.append(MonthPoint(day, valid[index], snapshots[day], events, True))
            else:
                points.append(MonthPoint(day, valid[index], people[index], events))
        return points


def _running(differences: dict[dt.date, int], days: list[dt.date]) -> list[int]:
    """The running sum of ``differences`` at each of ``days`` (in order)."""
    totals = []
    running = 0
    steps = sorted(differences.items())
    position = 0
    for day in days:
        while position < len(steps) and steps[position][0] <= day:
            running += steps[position][1]
            position += 1
        totals.append(running)
    return totals


# --- reading certificates ------------------------------------------------------------------


def _entries(ids: list[int] | None) -> dict[int, _Entry]:
    """The entries of the certificates ``ids`` (all when None), read in three queries (per
    chunk of ids): renewals, certificates, events in order."""
    if ids is not None and len(ids) > _CHUNK:
        found: dict[int, _Entry] = {}
        for first in range(0, len(ids), _CHUNK):
            found.update(_entries(ids[first : first + _CHUNK]))
        return found

    def only(queryset: Any, field_name: str) -> Any:
        return queryset if ids is None else queryset.filter(**{f"{field_name}__in": ids})

    ends: dict[int, list[tuple[dt.datetime, dt.date]]] = {}
    renewals = only(CertificateEvent.objects.filter(action="renewed"), "certificate_id")
    for certificate_id, on, data in renewals.values_list("certificate_id", "on", "data").iterator(
        chunk_size=5_000
    ):
        previous = (data or {}).get("previous", {}).get("valid_until")
        if previous:
            ends.setdefault(certificate_id, []).append((on, dt.date.fromisoformat(previous)))
    certificates = only(Certificate.objects.all(), "pk").values_list(
        "pk", "organisation_id", "status", "valid_until", "scope"
    )
    entries: dict[int, _Entry] = {}
    for pk, organisation_id, status, valid_until, scope in certificates.iterator(chunk_size=2_000):
        entries[pk] = _Entry(status, valid_until, _share(organisation_id, scope), _Life())
    # The local day is computed by the database: converting 100,000 datetimes in Python costs
    # more than the rest of the replay.
    events = (
        only(CertificateEvent.objects.all(), "certificate_id")
        .order_by("certificate_id", "on", "pk")
        .annotate(day=TruncDate("on"))
        .values_list("certificate_id", "on", "day", "action", "status")
    )
    by_certificate: dict[int, list[tuple[dt.datetime, dt.date, str, str]]] = {}
    for certificate_id, on, day, action, status in events.iterator(chunk_size=5_000):
        by_certificate.setdefault(certificate_id, []).append((on, day, action, status))
    for pk, entry in entries.items():
        entry.life = _replay(
            by_certificate.get(pk, []), sorted(ends.get(pk, [])), entry.valid_until
        )
    return entries


_CHUNK = 500
"""Ids per query when re-reading changed certificates (SQLite limits the parameters)."""


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
) -> _Life:
    """Replay a certificate's status history (events in order) against its periods.

    A period ends on the ``valid_until`` in force: the certificate's own for the current
    period, and for an earlier one the ``previous.valid_until`` its renewal event kept.
    """
    life = _Life()
    for index, (on, start, action, status) in enumerate(history):
        if action in MONTHLY_EVENTS and action != "expired":
            life.changes.append((_same(start, start), _same(action, action)))
        if status != CertificateStatus.ACTIVE:
            continue
        following = history[index + 1][1] if index + 1 < len(history) else None
        end = _period_end(on, renewal_ends, last_end)
        stop = end if following is None else min(end, following - dt.timedelta(days=1))
        if stop >= start:
            life.valid.append((_same(start, start), _same(stop, stop)))
        # The period ran out before anything else happened: expired the next day.
        expired_on = end + dt.timedelta(days=1)
        if following is None or following >= expired_on:
            life.changes.append((_same(expired_on, expired_on), "expired"))
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


def _funnel() -> dict[str, int]:
    """Initial dossiers by the furthest stage they reached: counts only, nobody named."""
    aggregates: dict[str, Any] = {"created": Count("pk")}
    for stage, statuses in _REACHED.items():
        aggregates[stage] = Count("pk", filter=Q(status__in=statuses))
    counts = Application.objects.filter(kind=ApplicationKind.INITIAL).aggregate(**aggregates)
    return {stage: int(counts[stage]) for stage in FUNNEL}


def _snapshot_contributors(days: Iterable[dt.date]) -> dict[dt.date, int]:
    """The contributors recorded by the snapshots of these days, where there is one."""
    found = {}
    for day, rows in DailySnapshot.objects.filter(day__in=list(days)).values_list("day", "rows"):
        for row in rows:
            if row["indicator"] == "contributors" and row["breakdown"] == "":
                found[day] = int(row["value"])
    return found


# --- the registry version ------------------------------------------------------------------


@dataclass(frozen=True)
class _Version:
    """What changes whenever a figure may change, read on every request from one row and
    primary-key indexes (no scan of a registry of 100,000 certificates).

    Every change of a certificate's status or scope goes through the workflow, which writes a
    ``CertificateEvent`` and a journal entry in the same transaction; every move of a dossier
    (deleting a draft included) writes a journal entry. The journal's head is locked by every
    writer, so its count grows in the order of the commits; the largest ids catch rows written
    outside the workflow (a bulk import).
    """

    journal_count: int
    journal_hash: str
    last_certificate: int
    last_event: int
    last_application: int
    last_snapshot: int
    snapshot_changed: object
    """As the database gives it (a text on SQLite): only compared."""


def _version() -> _Version:
    """One statement of scalar subqueries (each a read of one row or of one end of a
    primary-key index): it runs at every request of the page, its charts, files and API."""
    table = {
        model: connection.ops.quote_name(model._meta.db_table)
        for model in (JournalHead, Certificate, CertificateEvent, Application, DailySnapshot)
    }
    # Only the models' own table names are put in the statement.
    maxima = (Certificate, CertificateEvent, Application)
    last = [f"(SELECT MAX(id) FROM {table[m]})" for m in maxima]  # noqa: S608
    sql = (
        f"SELECT (SELECT count FROM {table[JournalHead]} WHERE id = 1), "  # noqa: S608
        f"(SELECT last_hash FROM {table[JournalHead]} WHERE id = 1), {', '.join(last)}, "
        f"(SELECT MAX(id) FROM {table[DailySnapshot]}), "
        f"(SELECT MAX(taken_at) FROM {table[DailySnapshot]})"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql)
        row = cursor.fetchone()
    count, last_hash, certificate, event, application, snapshot_id, changed = row
    return _Version(
        journal_count=count or 0,
        journal_hash=last_hash or "",
        last_certificate=certificate or 0,
        last_event=event or 0,
        last_application=application or 0,
        last_snapshot=snapshot_id or 0,
        snapshot_changed=changed,
    )


# --- the observatory: kept up to date change by change --------------------------------------


GAP_SECONDS = 600.0
"""How long an event id skipped by the sequence is watched for: on PostgreSQL a transaction
may take its id before another that commits first; a rolled-back one leaves a hole for ever."""


class Observatory:
    """Every certificate's share and life, and their sums, kept in memory and brought up to
    date at each request from what changed since: only the certificates with new events are
    read again (a change of status costs one certificate, not the registry); a new day
    re-reads nothing (each certificate's validity that day is known). A history rewritten
    under it (a restored backup, a database rolled back) is read again whole.
    """

    def __init__(self) -> None:
        self.version: _Version | None = None
        self.entries: dict[int, _Entry] = {}
        self.tally = _Tally()
        self.history = _History()
        self.funnel: dict[str, int] = {}
        self.day: dt.date | None = None
        self.last_certificate = 0
        self.last_event = 0
        self.gaps: dict[int, float] = {}
        self.figures: Figures | None = None

    # reading
    def figures_of(self, today: dt.date, version: _Version | None = None) -> Figures:
        version = version or _version()
        if version != self.version:
            self._follow(version)
        if self.day != today:
            self._move_to(today)
        if self.figures is None:
            self.figures = Figures(
                today=today,
                headline=self.tally.headline(),
                breakdowns=self.tally.breakdowns(),
                funnel=dict(self.funnel),
                months=self.history.months(today, self.tally),
            )
        return self.figures

    # following the registry
    def _follow(self, version: _Version) -> None:
        previous = self.version
        if previous is None or self._rewritten(previous, version):
            self._build()
            self.funnel = _funnel()
        else:
            self._catch_up(version)
            if self._dossiers_moved(previous, version):
                self.funnel = _funnel()
        self.version = version
        self.figures = None

    @staticmethod
    def _dossiers_moved(previous: _Version, version: _Version) -> bool:
        """Whether the funnel may have changed: a new dossier, or a journal entry about
        anything but a certificate (a suspension leaves the dossiers as they were)."""
        if version.last_application != previous.last_application:
            return True
        return (
            JournalEntry.objects.filter(sequence__gt=previous.journal_count)
            .exclude(obj_type="certificate")
            .exists()
        )

    def _rewritten(self, previous: _Version, version: _Version) -> bool:
        if (
            version.journal_count < previous.journal_count
            or version.last_certificate < previous.last_certificate
            or version.last_event < previous.last_event
        ):
            return True
        if version.journal_count == previous.journal_count:
            return version.journal_hash != previous.journal_hash
        if previous.journal_count == 0:
            return False
        known = JournalEntry.objects.filter(sequence=previous.journal_count).values_list(
            "hash", flat=True
        )
        return list(known) != [previous.journal_hash]

    def _build(self) -> None:
        self.entries = {}
        self.tally = _Tally()
        self.history = _History()
        self.gaps = {}
        self.day = None
        self.last_event = CertificateEvent.objects.aggregate(last=Max("pk"))["last"] or 0
        self.last_certificate = Certificate.objects.aggregate(last=Max("pk"))["last"] or 0
        for pk, entry in _entries(None).items():
            self._put(pk, entry)

    def _catch_up(self, version: _Version) -> None:
        now = time.monotonic()
        self.gaps = {pk: seen for pk, seen in self.gaps.items() if now - seen < GAP_SECONDS}
        news = CertificateEvent.objects.filter(
            Q(pk__gt=self.last_event) | Q(pk__in=list(self.gaps))
        ).values_list("pk", "certificate_id")
        touched: set[int] = set()
        seen: set[int] = set()
        for pk, certificate_id in news:
            seen.add(pk)
            touched.add(certificate_id)
        for pk in seen:
            self.gaps.pop(pk, None)
        last = max(seen, default=self.last_event)
        for pk in range(self.last_event + 1, last):
            if pk not in seen:
                self.gaps[pk] = now
        self.last_event = max(last, self.last_event)
        touched.update(
            Certificate.objects.filter(pk__gt=self.last_certificate).values_list("pk", flat=True)
        )
        self.last_certificate = max(self.last_certificate, version.last_certificate)
        if not touched:
            return
        fresh = _entries(sorted(touched))
        for pk in touched:
            old = self.entries.pop(pk, None)
            if old is not None:
                self._take(old)
            if pk in fresh:
                self._put(pk, fresh[pk])

    def _move_to(self, today: dt.date) -> None:
        old = self.day
        for entry in self.entries.values():
            was = old is not None and entry.valid_on(old)
            if was != entry.valid_on(today):
                self.tally.add(entry.share, 1 if not was else -1)
        self.day = today
        self.figures = None

    def _put(self, pk: int, entry: _Entry) -> None:
        self.entries[pk] = entry
        self.history.add(entry.life, entry.share.people, 1)
        if self.day is not None and entry.valid_on(self.day):
            self.tally.add(entry.share, 1)

    def _take(self, entry: _Entry) -> None:
        self.history.add(entry.life, entry.share.people, -1)
        if self.day is not None and entry.valid_on(self.day):
            self.tally.add(entry.share, -1)


_lock = threading.Lock()
_observatory = Observatory()


def observatory_figures(today: dt.date | None = None) -> tuple[Figures, str]:
    """The figures of ``today`` and a short tag of the registry version they were computed at.

    The version is read on every call; when it has changed, the certificates that changed are
    read again, so the figures agree with the registry at that request.
    """
    today = today or timezone.localdate()
    version = _version()
    with _lock:
        figures = _observatory.figures_of(today, version)
    tag = format(abs(hash((version, today))), "x")[:12]
    return figures, tag


def warm_in_background() -> threading.Thread:
    """Read the registry in a thread of its own as a server process starts (``rcf.wsgi``), so
    that the first visitor of the observatory or of the home page does not wait for a reading
    of 100,000 certificates; a request that comes first waits for the reading under way, it
    never reads twice."""

    def run() -> None:
        try:
            observatory_figures()
        except DatabaseError as error:  # not migrated yet: the first request will say so
            logger.warning("observatory: the registry could not be read at start (%s)", error)
        finally:
            connections.close_all()  # this thread's own connection

    thread = threading.Thread(target=run, name="rcf-observatory-warm", daemon=True)
    thread.start()
    return thread


def forget() -> None:
    """Start again from the database at the next request (tests roll the database back
    under the process)."""
    global _observatory
    with _lock:
        _observatory = Observatory()


def compute_figures(today: dt.date) -> Figures:
    """The figures of ``today`` read afresh from the whole registry, by the very code that
    keeps them up to date (``rcf tick`` records these in its snapshot)."""
    return Observatory().figures_of(today)


def snapshot_of(day: dt.date) -> DailySnapshot | None:
    return DailySnapshot.objects.filter(day=day).first()
