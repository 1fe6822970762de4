"""Metrics in the Prometheus text exposition format, through ``prometheus_client``.

Why the library: ``rcf serve`` runs several gunicorn worker processes, and a scrape reaches
one of them; the library's multiprocess mode keeps each worker's counters in a file of
``RCF_METRICS_DIR`` and adds them up at scrape time, so any worker answers for all. It also
writes the exposition format (escaping, histogram buckets, ``_total`` suffixes) correctly.

Request metrics are counted by the middleware; the figures about the platform (certificates,
outbox, last tick, journal) are read from the database at each scrape, so they are right
whatever process served the requests.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db import DatabaseError
from django.db.models import Count
from django.utils import timezone
from prometheus_client import CollectorRegistry, Counter, Histogram, generate_latest, values
from prometheus_client.core import GaugeMetricFamily, Metric
from prometheus_client.multiprocess import MultiProcessCollector
from prometheus_client.registry import Collector

from rcf.certification.choices import CertificateStatus
from rcf.certification.models import Certificate
from rcf.journal.models import JournalHead
from rcf.notifications.models import OutgoingEmail
from rcf.operations.health import outbox_backlog
from rcf.operations.selectors import tick_last_success

# settings.py sets PROMETHEUS_MULTIPROC_DIR before anything imports the library; if something
# imported it earlier, counters would silently stay per process: refuse to start instead.
if values.ValueClass is values.MutexValue:
    raise RuntimeError("prometheus_client imported before rcf.settings set its metrics directory")

CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8"
KNOWN_METHODS = frozenset({"GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"})
UNMATCHED = "<unmatched>"

REQUESTS = Counter(
    "rcf_http_requests",
    "HTTP requests answered, by method, route name and status.",
    ["method", "route", "status"],
    registry=None,
)
LATENCY = Histogram(
    "rcf_http_request_duration_seconds",
    "Time to answer an HTTP request (until the response object is ready).",
    ["method", "route", "status"],
    buckets=(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0),
    registry=None,
)


def request_observe(*, method: str, route: str, status: int, seconds: float) -> None:
    """Count one answered request. Labels stay few: a method outside the usual ones counts as
    ``OTHER`` and an address matching no route as ``<unmatched>``, so clients cannot grow the
    number of series."""
    labels = {
        "method": method if method in KNOWN_METHODS else "OTHER",
        "route": route or UNMATCHED,
        "status": str(status),
    }
    REQUESTS.labels(**labels).inc()
    LATENCY.labels(**labels).observe(seconds)


class PlatformCollector(Collector):
    """Gauges read from the database at each scrape."""

    def collect(self) -> Iterator[Metric]:
        up = GaugeMetricFamily("rcf_database_up", "1 when the database answered this scrape.")
        try:
            families = list(self._from_database())
        except DatabaseError:
            up.add_metric([], 0)
            yield up
            return
        up.add_metric([], 1)
        yield up
        yield from families

    def _from_database(self) -> Iterator[Metric]:
        certificates = GaugeMetricFamily(
            "rcf_certificates", "Certificates by recorded status.", labels=["status"]
        )
        counts = dict(Certificate.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in CertificateStatus.values:
            certificates.add_metric([status], counts.get(status, 0))
        yield certificates

        yield GaugeMetricFamily(
            "rcf_email_outbox_unsent",
            "E-mails in the outbox not sent yet.",
            value=OutgoingEmail.objects.filter(sent_at__isnull=True).count(),
        )
        yield GaugeMetricFamily(
            "rcf_email_outbox_backlog",
            "Unsent e-mails queued longer ago than RCF_READY_OUTBOX_MAX_AGE_MINUTES.",
            value=outbox_backlog(),
        )

        head = JournalHead.objects.filter(pk=1).values_list("count", flat=True).first()
        yield GaugeMetricFamily("rcf_journal_entries", "Entries in the journal.", value=head or 0)

        success = tick_last_success()
        if success is not None and success.finished_at is not None:
            # Absent, not zero, before the first run: "0 seconds ago" would be a lie.
            finished = success.finished_at
            yield GaugeMetricFamily(
                "rcf_tick_last_success_timestamp_seconds",
                "When the last successful rcf tick ended (Unix time).",
                value=finished.timestamp(),
            )
            yield GaugeMetricFamily(
                "rcf_tick_last_success_age_seconds",
                "Seconds since the last successful rcf tick ended.",
                value=max(0.0, (timezone.now() - finished).total_seconds()),
            )


def metrics_text() -> bytes:
    """The exposition: every worker's request metrics added up, then the platform's gauges."""
    registry = CollectorRegistry()
    MultiProcessCollector(registry)
    registry.register(PlatformCollector())
    return generate_latest(registry)
