"""Limits on requests: body size (413) and rate per client address (429 with Retry-After),
JSON under /api/, a French page elsewhere; counted in the database (rcf/core/ratelimit.py)."""

from __future__ import annotations

import html
import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rcf.core.models import RateCounter
from rcf.core.ratelimit import hit
from rcf.front.tests.test_precheck_page import upload
from tests.support.cast import Cast
from tests.support.factories import make_member

pytestmark = pytest.mark.django_db


def precheck(client: Client, **extra: Any) -> Any:
    return client.post("/pre-controle/", {"declaration": upload("mutuelle-sans-dsn.json")}, **extra)


def test_a_body_over_the_limit_is_refused_before_it_is_read(client: Client, settings: Any) -> None:
    """The pre-check once took 950 MB in one request: past RCF_REQUEST_MAX_BYTES it is a 413
    page in French, and the view never runs (nothing evaluated)."""
    make_member()
    settings.RCF_REQUEST_MAX_BYTES = 10_000
    response = client.post(
        "/pre-controle/",
        {
            "declaration": upload("mutuelle-sans-dsn.json"),
            "dsn": [SimpleUploadedFile("grosse.dsn", b"S10.G00.00.001,'x'\n" * 1000)],
        },
    )
    page = html.unescape(response.content.decode())
    assert response.status_code == 413
    assert "Envoi trop volumineux" in page
    assert "10000 octets" in page
    assert "verdict" not in page
    assert response["Connection"] == "close"


def test_an_api_body_over_the_limit_is_a_json_413(cast: Cast, settings: Any) -> None:
    settings.RCF_REQUEST_MAX_BYTES = 1_000
    response = cast.applicant.call("POST", "/api/v1/applications", {"padding": "x" * 2_000})
    assert response.status_code == 413
    assert response["Content-Type"] == "application/json"
    assert "taille maximale" in response.json()["detail"]


def test_a_json_body_over_the_memory_limit_is_a_json_413_not_a_400(
    cast: Cast, settings: Any
) -> None:
    """DATA_UPLOAD_MAX_MEMORY_SIZE is checked when the API reads the body: Django's own
    answer would be a 400 page; the API promises a JSON 413 (platform-v1.md §4)."""
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 500
    response = cast.applicant.call("POST", "/api/v1/applications", {"padding": "x" * 2_000})
    assert response.status_code == 413
    assert set(response.json()) == {"detail"}


def test_the_anonymous_precheck_is_rate_limited_per_address(client: Client, settings: Any) -> None:
    """2 posts a minute: the third is a 429 page in French with Retry-After; viewing the form
    does not count; another address has its own count."""
    make_member()
    settings.RCF_RATE_LIMITS = {**settings.RCF_RATE_LIMITS, "precheck": (2, 60)}
    assert precheck(client).status_code == 200
    assert client.get("/pre-controle/").status_code == 200
    assert precheck(client).status_code == 200
    refused = precheck(client)
    assert refused.status_code == 429
    assert 1 <= int(refused["Retry-After"]) <= 60
    page = html.unescape(refused.content.decode())
    assert "Trop de requêtes" in page
    assert f"réessayez dans {refused['Retry-After']} seconde" in page
    assert '"verdict"' not in page
    assert precheck(client, REMOTE_ADDR="192.0.2.7").status_code == 200


def test_the_english_page_says_it_in_english(client: Client, settings: Any) -> None:
    settings.RCF_RATE_LIMITS = {**settings.RCF_RATE_LIMITS, "search": (1, 60)}
    assert client.get("/en/registre/").status_code == 200
    refused = client.get("/en/registre/?q=mutuelle")
    assert refused.status_code == 429
    assert "Too many requests" in refused.content.decode()


def test_behind_a_proxy_the_client_is_the_last_forwarded_address(
    client: Client, settings: Any
) -> None:
    """With RCF_CLIENT_IP_HEADER, as for the login throttle: the proxy's own address is not
    the client, and a forged first address does not escape the count."""
    settings.RCF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    settings.RCF_RATE_LIMITS = {**settings.RCF_RATE_LIMITS, "search": (2, 60)}
    for forged in ["10.0.0.1", "10.0.0.2"]:
        response = client.get("/registre/", HTTP_X_FORWARDED_FOR=f"{forged}, 203.0.113.5")
        assert response.status_code == 200
    assert client.get("/registre/", HTTP_X_FORWARDED_FOR="203.0.113.5").status_code == 429
    # Same proxy (REMOTE_ADDR), another client: its own count.
    assert client.get("/registre/", HTTP_X_FORWARDED_FOR="203.0.113.6").status_code == 200


def test_the_api_answers_json_429_with_retry_after(client: Client, settings: Any) -> None:
    settings.RCF_RATE_LIMITS = {**settings.RCF_RATE_LIMITS, "api": (3, 60)}
    statuses = [client.get("/api/v1/registry?q=x").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = client.get("/api/v1/certificates/RCF-2026-00001")
    assert refused.status_code == 429
    assert refused["Content-Type"] == "application/json"
    assert "réessayez" in json.loads(refused.content)["detail"]
    assert int(refused["Retry-After"]) >= 1


def test_a_limit_set_off_counts_nothing(client: Client, settings: Any) -> None:
    settings.RCF_RATE_LIMITS = {**settings.RCF_RATE_LIMITS, "search": None}
    assert all(client.get("/registre/").status_code == 200 for _ in range(3))
    assert not RateCounter.objects.filter(scope="search").exists()


def test_counts_restart_with_the_next_window_and_ended_windows_are_forgotten() -> None:
    first = [hit("api", "c", limit=2, period=60, now=1_000.0 + i).allowed for i in range(3)]
    assert first == [True, True, False]
    assert hit("api", "c", limit=2, period=60, now=1_000.0).retry_after == 20  # 1020 - 1000
    later = hit("api", "c", limit=2, period=60, now=1_090.0)
    assert (later.allowed, later.hits) == (True, 1)
    # The new window's first hit removed the ended one.
    assert list(RateCounter.objects.values_list("window_start", "hits")) == [(1080, 1)]


def test_the_client_address_is_not_stored(client: Client, settings: Any) -> None:
    client.get("/registre/", REMOTE_ADDR="198.51.100.23")
    counter = RateCounter.objects.get(scope="search")
    assert "198.51.100.23" not in counter.client
    assert len(counter.client) == 64
