"""Dead ends: unknown addresses, refusals, the server's errors, the admin for a non-admin and
the language switch are pages of the site, in the visitor's language, with a way out."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client, override_settings
from django.urls import path

import rcf.urls
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("address", "title"),
    [("/nulle-part/", "Page introuvable"), ("/en/nowhere/", "Page not found")],
)
def test_an_unknown_address_gets_a_styled_page_in_its_language(
    client: Client, address: str, title: str
) -> None:
    response = client.get(address)
    html = response.content.decode()
    assert response.status_code == 404
    assert f"<h1>{title}</h1>" in html
    assert 'class="site-footer"' in html and "/registre/" in html
    assert "Not Found</h1>" not in html


def test_a_workflow_404_hides_its_reason(cast: Cast) -> None:
    client = pages.browser(cast, "auditor")
    response = client.get("/espace/certificats/RCF-2099-0001/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "<h1>Page introuvable</h1>" in html and "Revenir à votre espace" in html


def boom(request: Any) -> Any:
    raise RuntimeError("secret-trace-details")


urlpatterns = [path("boom/", boom), *rcf.urls.urlpatterns]
handler500 = "rcf.front.errors.server_error"


@override_settings(ROOT_URLCONF=__name__)
def test_a_server_error_shows_no_trace() -> None:
    client = Client(raise_request_exception=False)
    response = client.get("/boom/")
    html = response.content.decode()
    assert response.status_code == 500
    assert "<h1>Erreur du serveur</h1>" in html
    assert "secret-trace-details" not in html and "Traceback" not in html


def test_a_form_without_its_csrf_cookie_gets_a_page_that_says_what_to_do() -> None:
    client = Client(enforce_csrf_checks=True)
    response = client.post("/compte/connexion/", {"username": "x", "password": "y"})
    assert response.status_code == 403
    assert "<h1>Formulaire expiré</h1>" in response.content.decode()


def test_the_admin_does_not_loop_for_a_signed_in_non_admin(cast: Cast) -> None:
    client = pages.browser(cast, "applicant")
    first = client.get("/admin/")
    assert first.status_code == 302
    response = client.get(first["Location"])
    assert response.status_code == 403
    assert "Administration réservée" in response.content.decode()


def test_the_admin_still_sends_an_anonymous_visitor_to_the_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/admin/"


def test_the_language_switch_is_a_plain_link_to_the_same_page(client: Client) -> None:
    """No form, no CSRF: a link to the page in the other language, query kept."""
    make_certificate(make_organisation())
    html = client.get("/registre/?q=mutuelle").content.decode()
    assert 'action="/i18n/setlang/"' not in html
    assert 'href="/en/registre/?q=mutuelle" hreflang="en"' in html
    english = client.get("/en/verifier/RCF-2026-0001/").content.decode()
    assert 'href="/verifier/RCF-2026-0001/" hreflang="fr"' in english


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("/verifier/rcf-2026-0001/", "/verifier/RCF-2026-0001/"),
        ("/verifier/%20RCF-2026-0001%20/", "/verifier/RCF-2026-0001/"),
        ("/en/verifier/rcf-2026-0001/", "/en/verifier/RCF-2026-0001/"),
        ("/registre/%20123456782/", "/registre/123456782/"),
    ],
)
def test_a_number_typed_in_lower_case_or_with_spaces_redirects(
    client: Client, typed: str, canonical: str
) -> None:
    make_certificate(make_organisation("123456782"))
    response = client.get(typed)
    assert response.status_code == 301
    assert response["Location"] == canonical
    assert client.get(canonical).status_code == 200
