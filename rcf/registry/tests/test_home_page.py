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
