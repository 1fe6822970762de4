"""The registry page people trust: valid certificates by default and first, names sorted
ignoring accents, a sort control, each company's cities, the date of the last change, and a
query that is too long cut *and said so*."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from rcf.certification.services import certificate as services
from rcf.registry.tests.test_registry_search import result_names, siren
from tests.support.factories import make_certificate, make_organisation, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def three() -> list[Any]:
    """Voyages (valid), Électricité (valid), Alpha (withdrawn)."""
    certificates = [
        make_certificate(
            make_organisation(siren(i), name), number=f"RCF-2026-000{i}", status_index=i
        )
        for i, name in [(1, "Voyages Exemple"), (2, "Électricité Exemple"), (3, "Alpha Exemple")]
    ]
    services.certificate_withdraw(
        actor=make_user("certif-tri", "certifier"), certificate=certificates[2], reason="x"
    )
    return certificates


def test_valid_only_by_default_and_names_sorted_ignoring_accents(
    client: Client, three: Any
) -> None:
    html = client.get("/registre/").content.decode()
    assert result_names(html) == ["Électricité Exemple", "Voyages Exemple"]
    assert "1 certificat non valide (suspendu, retiré ou expiré) correspond aussi" in html
    assert 'href="?status=all"' in html


def test_every_status_lists_the_valid_first(client: Client, three: Any) -> None:
    html = client.get("/registre/", {"status": "all"}).content.decode()
    assert result_names(html) == ["Électricité Exemple", "Voyages Exemple", "Alpha Exemple"]


def test_the_sort_control_orders_by_date(client: Client, three: Any) -> None:
    from rcf.certification.models import Certificate

    Certificate.objects.filter(number="RCF-2026-0001").update(first_issued_on="2026-03-01")
    html = client.get("/registre/", {"sort": "recent"}).content.decode()
    assert 'name="sort"' in html
    assert result_names(html) == ["Voyages Exemple", "Électricité Exemple"]


def test_each_result_gives_the_cities_of_its_establishments(client: Client) -> None:
    make_certificate(make_organisation())
    html = client.get("/registre/").content.decode()
    assert re.search(r"<dt>Villes</dt><dd>[^<]*Niort", html)


def test_the_page_says_when_the_registry_last_changed(client: Client, three: Any) -> None:
    assert "Registre mis à jour le" in client.get("/registre/").content.decode()


def test_a_query_over_200_characters_is_cut_and_the_page_says_so(client: Client) -> None:
    make_certificate(make_organisation(name="Mutuelle Exemple"))
    response = client.get("/registre/", {"q": "mutuelle " + "x" * 4500})
    html = response.content.decode()
    assert response.status_code == 200
    assert "Votre recherche dépassait 200 caractères" in html


def test_rcf_serve_lets_long_addresses_reach_the_platform() -> None:
    """gunicorn's default limit (4094 bytes) answered a raw « URI Too Long »."""
    from rcf.registry.management.commands.serve import gunicorn_argv

    argv = gunicorn_argv("127.0.0.1:8000", 2)
    assert argv[argv.index("--limit-request-line") + 1] == "8190"
