"""The home page ``/``: the label explained, a search box, the registry's figures."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def figures(html: str) -> list[tuple[str, str]]:
    return re.findall(r"<li><strong>(\d+)</strong> ([^<]+?)(?:<| *</li>)", html)


def test_it_counts_only_valid_certificates_and_the_people_they_cover(
    client: Client, certifier: Any, mutuelle: Any, telecom: Any
) -> None:
    """Suspended and expired certificates are not counted; contributors are summed."""
    from rcf.certification.services.certificate import certificate_suspend

    html = client.get("/").content.decode()
    assert figures(html) == [
        ("2", "certificats valides"),
        ("2", "entreprises certifiées"),
        ("869", "personnes couvertes"),
    ]
    certificate_suspend(actor=certifier, certificate=telecom, reason="x")
    make_certificate(
        make_organisation("552081317", "Ancienne"),
        number="RCF-2021-0001",
        valid_from=dt.date(2021, 6, 1),
    )
    html = client.get("/").content.decode()
    assert figures(html) == [
        ("1", "certificat valide"),
        ("1", "entreprise certifiée"),
        ("98", "personnes couvertes"),
    ]


def test_it_explains_the_label_to_consumers_and_companies(client: Client) -> None:
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    for words in (
        "Vous êtes client",
        "Vérifier un logo",
        "https://rcf.example.fr/verifier/",
        "Vous êtes une entreprise",
        "membres de l'AFRC",
        "Pré-contrôle",
        "Audit AFNOR",
        "Décision",
        "Cycle de 3 ans",
        "audit de surveillance à 12 et 24 mois",
    ):
        assert words in html.replace("&#x27;", "'"), words
    assert 'action="/registre/"' in html and 'role="search"' in html
    assert 'href="/opendata/certificats.csv"' in html


def test_it_speaks_english_under_en(client: Client) -> None:
    response = client.get("/en/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert 'action="/en/registre/"' in response.content.decode()


def test_the_remembered_figures_follow_the_day(client: Client) -> None:
    """The figures are remembered while the certificates do not change, per day: a certificate
    past its last day stops counting on the next day's first view, without any write."""
    from unittest import mock

    certificate = make_certificate(make_organisation())
    last_day = certificate.valid_until
    with mock.patch("django.utils.timezone.localdate", return_value=last_day):
        assert figures(client.get("/").content.decode())[0] == ("1", "certificat valide")
        assert figures(client.get("/").content.decode())[0] == ("1", "certificat valide")
    next_day = last_day + dt.timedelta(days=1)
    with mock.patch("django.utils.timezone.localdate", return_value=next_day):
        assert figures(client.get("/").content.decode())[0] == ("0", "certificats valides")


def test_the_registry_date_is_one_index_lookup() -> None:
    """« Registre mis à jour le » (every registry page) reads the index on status_changed_at,
    not every certificate."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rcf.registry.selectors import registry_updated_at

    certificate = make_certificate(make_organisation())
    with CaptureQueriesContext(connection) as queries:
        assert registry_updated_at() == certificate.status_changed_at
    (query,) = [q["sql"] for q in queries.captured_queries]
    if connection.vendor != "sqlite":
        pytest.skip("the plan is checked on SQLite")
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + query)
        plan = [row[3] for row in cursor.fetchall()]
    assert plan == [
        "SEARCH certificates_certificate USING COVERING INDEX certificate_status_changed_at"
    ]
