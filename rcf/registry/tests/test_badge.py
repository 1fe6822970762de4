"""``/badge/{number}.svg``: the live status, never valid when it is not; ETag and 304."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from rcf.certification.services import certificate as services
from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db

URL = "/badge/RCF-2026-0001.svg"


def test_it_follows_every_change_of_status(client: Client, certifier: Any, mutuelle: Any) -> None:
    """Valid (green, dated) → suspended → valid again → withdrawn: the bytes say so each time."""

    def badge() -> str:
        response = client.get(URL)
        assert response.status_code == 200
        assert response["Content-Type"] == "image/svg+xml; charset=utf-8"
        return response.content.decode()

    valid = badge()
    assert "Certifié · valide jusqu'au 14/01/2029" in valid
    assert "#18753c" in valid and "RCF-2026-0001" in valid

    services.certificate_suspend(actor=certifier, certificate=mutuelle, reason="x")
    suspended = badge()
    assert "Suspendu" in suspended
    assert "Certifié" not in suspended and "#18753c" not in suspended

    services.certificate_reinstate(actor=certifier, certificate=mutuelle, reason="x")
    assert badge() == valid

    services.certificate_withdraw(actor=certifier, certificate=mutuelle, reason="x")
    withdrawn = badge()
    assert "Retiré" in withdrawn
    assert "Certifié" not in withdrawn and "#18753c" not in withdrawn


def test_it_shows_an_active_certificate_past_its_validity_as_expired(client: Client) -> None:
    make_certificate(make_organisation(), number="RCF-2022-0003", valid_from=dt.date(2022, 2, 1))
    svg = client.get("/badge/RCF-2022-0003.svg").content.decode()
    assert "Expiré" in svg
    assert "Certifié" not in svg and "#18753c" not in svg


def test_it_answers_404_with_an_unknown_badge(client: Client, mutuelle: Any) -> None:
    """An unknown number is not an error page: an « Inconnu » badge, status 404."""
    response = client.get("/badge/RCF-2099-0001.svg")
    assert response.status_code == 404
    svg = response.content.decode()
    assert svg.startswith("<svg") and "Inconnu" in svg and "RCF-2099-0001" in svg
    assert "Certifié" not in svg
    odd = client.get("/badge/<script>.svg")
    assert odd.status_code == 404
    assert "<script>" not in odd.content.decode()


def test_it_speaks_english_on_request(client: Client, mutuelle: Any) -> None:
    svg = client.get(URL, {"lang": "en"}).content.decode()
    assert "Certified · valid until 2029-01-14" in svg


def test_it_is_cacheable_for_five_minutes_with_an_etag(
    client: Client, certifier: Any, mutuelle: Any
) -> None:
    """304 when the client's ETag is current; a status change gives a new ETag."""
    first = client.get(URL)
    etag = first["ETag"]
    assert first["Cache-Control"] == "public, no-cache"
    assert etag.startswith('"') and etag.endswith('"')

    again = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert again.status_code == 304
    assert again.content == b""
    assert again["ETag"] == etag

    services.certificate_suspend(actor=certifier, certificate=mutuelle, reason="x")
    changed = client.get(URL, HTTP_IF_NONE_MATCH=etag)
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert "Suspendu" in changed.content.decode()
