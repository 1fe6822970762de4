"""What the registry keeps in memory between requests (the page, the API's answers), and that
nothing kept outlives a change of the registry: a withdrawn certificate never reads as valid
on the next request, whoever asks."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rcf.certification.models import ContactPoint
from rcf.certification.services.certificate import certificate_withdraw
from rcf.referentiel.tests.builders import siren_with_key
from rcf.registry import views
from rcf.registry.tests.test_registry_search import result_names
from tests.support.factories import make_certificate, make_organisation, make_user

pytestmark = pytest.mark.django_db


def test_the_page_of_an_anonymous_visitor_is_kept_until_the_registry_changes(
    client: Client, certifier: Any, telecom: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same address gives the same page without searching again; a withdrawal shows on
    the very next request (the certificate leaves the valid-only list)."""
    first = client.get("/registre/", {"q": "telecom"})
    assert result_names(first.content.decode()) == ["Télécom Exemple SA"]

    real = views.search_context

    def never(request: Any) -> dict[str, Any]:
        raise AssertionError("the kept page should have been served")

    monkeypatch.setattr(views, "search_context", never)
    again = client.get("/registre/", {"q": "telecom"})
    assert again.status_code == 200
    assert again.content == first.content

    certificate_withdraw(actor=certifier, certificate=telecom, reason="Fraude")
    monkeypatch.setattr(views, "search_context", real)
    after = client.get("/registre/", {"q": "telecom"}).content.decode()
    assert result_names(after) == []
    assert "1 certificat non valide (suspendu, retiré ou expiré) correspond aussi" in after
    every = client.get("/registre/", {"q": "telecom", "status": "all"}).content.decode()
    assert result_names(every) == ["Télécom Exemple SA"]
    assert 'class="tag tag-bad"' in every and 'class="tag tag-ok"' not in every


def test_a_logged_in_visitor_gets_a_page_of_their_own(client: Client, telecom: Any) -> None:
    """The kept page is an anonymous one: someone logged in sees their own header (the
    logout form), and the next anonymous visitor does not."""
    assert "Se déconnecter" not in client.get("/registre/").content.decode()
    client.force_login(make_user("certificatrice-registre", "certifier"))
    mine = client.get("/registre/").content.decode()
    assert "Se déconnecter" in mine
    assert result_names(mine) == ["Télécom Exemple SA"]
    assert "Se déconnecter" not in Client().get("/registre/").content.decode()


def test_each_language_and_address_has_its_page(client: Client, telecom: Any) -> None:
    """The key of a kept page holds the language and the whole address (query, page)."""
    french = client.get("/registre/", {"q": "telecom"}).content.decode()
    english = client.get("/en/registre/", {"q": "telecom"}).content.decode()
    assert "1 certificat" in french and "1 certificate" in english
    assert 'lang="fr"' in french and 'lang="en"' in english
    assert result_names(client.get("/registre/", {"q": "mutuelle"}).content.decode()) == []


def test_a_kept_api_answer_shows_a_withdrawal_on_the_next_request(
    client: Client, certifier: Any, telecom: Any
) -> None:
    first = client.get("/api/v1/registry", {"q": "telecom"})
    assert first.json()["results"][0]["status"] == "active"
    assert client.get("/api/v1/registry", {"q": "telecom"}).content == first.content
    certificate_withdraw(actor=certifier, certificate=telecom, reason="Fraude")
    (entry,) = client.get("/api/v1/registry", {"q": "telecom"}).json()["results"]
    assert entry["status"] == "withdrawn"


def test_the_api_reads_a_page_in_as_many_queries_whatever_its_size(client: Client) -> None:
    """A page of 20 results costs the same number of queries as a page of 2: nothing is read
    once per certificate (a registry summary has no contact points: the certificate's own
    answer, ``/api/v1/certificates/{number}``, gives them)."""
    for index in range(1, 21):
        organisation = make_organisation(siren_with_key(f"{index:08d}"), f"Entreprise {index}")
        certificate = make_certificate(
            organisation, number=f"RCF-2026-{index:04d}", status_index=index
        )
        ContactPoint.objects.create(
            certificate=certificate,
            position=1,
            channel="email",
            value=f"contact{index}@example.fr",
            purpose="customer_service",
        )

    def queries(page_size: int) -> tuple[int, list[Any]]:
        with CaptureQueriesContext(connection) as captured:
            body = client.get("/api/v1/registry", {"page_size": page_size}).json()
        return len(captured), body["results"]

    queries(1)  # the search itself, remembered: what is counted next is the page's reading
    few, two = queries(2)
    many, twenty = queries(20)
    assert (len(two), len(twenty)) == (2, 20)
    assert many == few
    assert {entry["number"] for entry in twenty} == {f"RCF-2026-{i:04d}" for i in range(1, 21)}
    assert "contact_points" not in twenty[0]


def test_a_renamed_company_shows_its_new_name_even_when_it_searches_the_same(
    client: Client, telecom: Any
) -> None:
    """« TÉLÉCOM EXEMPLE SA » folds to the same search text as « Télécom Exemple SA »: the
    kept page and answer must show it all the same."""
    assert result_names(client.get("/registre/", {"q": "telecom"}).content.decode()) == [
        "Télécom Exemple SA"
    ]
    assert client.get("/api/v1/registry", {"q": "telecom"}).json()["results"][0]["organisation"][
        "name"
    ] == ("Télécom Exemple SA")
    organisation = telecom.organisation
    organisation.name = "TÉLÉCOM EXEMPLE SA"
    organisation.save()
    assert result_names(client.get("/registre/", {"q": "telecom"}).content.decode()) == [
        "TÉLÉCOM EXEMPLE SA"
    ]
    (entry,) = client.get("/api/v1/registry", {"q": "telecom"}).json()["results"]
    assert entry["organisation"]["name"] == "TÉLÉCOM EXEMPLE SA"
