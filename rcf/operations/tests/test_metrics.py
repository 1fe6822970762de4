"""`/metrics`: the Prometheus text format, only for the bearer of RCF_METRICS_TOKEN."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from prometheus_client.parser import text_string_to_metric_families

from rcf.notifications.models import OutgoingEmail
from rcf.operations.choices import TickOutcome
from rcf.operations.models import TickRun
from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db

TOKEN = "m" * 40
AUTH = {"HTTP_AUTHORIZATION": f"Bearer {TOKEN}"}

Samples = dict[tuple[str, frozenset[tuple[str, str]]], float]


@pytest.fixture(autouse=True)
def token(settings: Any) -> str:
    settings.RCF_METRICS_TOKEN = TOKEN
    return TOKEN


def scrape(client: Client) -> Samples:
    """Every sample of the exposition, parsed by the reference parser."""
    response = client.get("/metrics", **AUTH)  # type: ignore[arg-type]
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/plain; version=0.0.4")
    samples: Samples = {}
    for family in text_string_to_metric_families(response.content.decode()):
        for sample in family.samples:
            samples[(sample.name, frozenset(sample.labels.items()))] = sample.value
    return samples


def value(samples: Samples, name: str, **labels: str) -> float:
    return samples.get((name, frozenset(labels.items())), 0.0)


@pytest.mark.parametrize(
    "headers",
    [{}, {"HTTP_AUTHORIZATION": "Bearer wrong"}, {"HTTP_AUTHORIZATION": f"Basic {TOKEN}"}],
    ids=["none", "wrong-token", "not-bearer"],
)
def test_without_the_token_the_address_does_not_exist(
    client: Client, headers: dict[str, str]
) -> None:
    response = client.get("/metrics", **headers)  # type: ignore[arg-type]
    assert response.status_code == 404
    assert b"rcf_" not in response.content


def test_with_no_token_configured_nobody_gets_them(client: Client, settings: Any) -> None:
    """Off by default: an empty setting never matches an empty or absent header."""
    settings.RCF_METRICS_TOKEN = ""
    assert client.get("/metrics").status_code == 404
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer ").status_code == 404


def test_requests_are_counted_and_timed_by_method_route_and_status(client: Client) -> None:
    """Deltas between two scrapes: other tests' requests add to the same counters."""
    before = scrape(client)
    client.get("/healthz")
    client.get("/healthz")
    client.post("/healthz")
    client.get("/nowhere-at-all/")
    client.generic("BREW", "/healthz")
    after = scrape(client)

    def delta(name: str, **labels: str) -> float:
        return value(after, name, **labels) - value(before, name, **labels)

    total = "rcf_http_requests_total"
    assert delta(total, method="GET", route="healthz", status="200") == 2
    assert delta(total, method="POST", route="healthz", status="405") == 1
    assert delta(total, method="GET", route="<unmatched>", status="404") == 1
    assert delta(total, method="OTHER", route="healthz", status="405") == 1
    histogram = "rcf_http_request_duration_seconds"
    labels = {"method": "GET", "route": "healthz", "status": "200"}
    assert delta(f"{histogram}_count", **labels) == 2
    assert value(after, f"{histogram}_bucket", **labels, le="+Inf") == value(
        after, f"{histogram}_count", **labels
    )
    buckets = sorted(
        (float(dict(key[1])["le"]), count)
        for key, count in after.items()
        if key[0] == f"{histogram}_bucket" and set(labels.items()) <= key[1]
    )
    assert [count for _, count in buckets] == sorted(count for _, count in buckets)


def test_the_route_is_the_pattern_name_never_the_path(client: Client) -> None:
    """Paths carry SIRENs and certificate numbers: one series per company would leak them."""
    organisation = make_organisation()
    client.get(f"/registre/{organisation.siren}/")

    response = client.get("/metrics", **AUTH)  # type: ignore[arg-type]

    assert organisation.siren not in response.content.decode()
    assert 'route="registry:company"' in response.content.decode()


def test_the_platform_gauges_come_from_the_database(client: Client) -> None:
    make_certificate(number="RCF-2026-0001")
    make_certificate(
        make_organisation(siren="552100554", name="Autre"),
        number="RCF-2026-0002",
        status="suspended",
    )
    OutgoingEmail.objects.create(to=["a@example.fr"], subject="s", body="b")
    OutgoingEmail.objects.create(to=["a@example.fr"], subject="old", body="b")
    OutgoingEmail.objects.filter(subject="old").update(
        created_at=timezone.now() - dt.timedelta(hours=2)
    )
    samples = scrape(client)

    assert value(samples, "rcf_database_up") == 1
    assert value(samples, "rcf_certificates", status="active") == 1
    assert value(samples, "rcf_certificates", status="suspended") == 1
    assert ("rcf_certificates", frozenset({("status", "withdrawn")})) in samples
    assert value(samples, "rcf_email_outbox_unsent") == 2
    assert value(samples, "rcf_email_outbox_backlog") == 1
    # Before the first tick the age is absent, not a reassuring zero.
    assert ("rcf_tick_last_success_age_seconds", frozenset()) not in samples

    finished = timezone.now() - dt.timedelta(hours=3)
    TickRun.objects.create(started_at=finished, finished_at=finished, outcome=TickOutcome.OK)
    samples = scrape(client)
    age = value(samples, "rcf_tick_last_success_age_seconds")
    assert 3 * 3600 <= age < 4 * 3600
    assert value(samples, "rcf_tick_last_success_timestamp_seconds") == pytest.approx(
        finished.timestamp()
    )
