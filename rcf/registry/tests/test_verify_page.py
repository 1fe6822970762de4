"""The verification page ``/verifier/{number}/`` that QR codes and badges point to."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client

from rcf.credentials.qr import qr_svg
from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def status_block(html: str) -> tuple[str, str]:
    """The colour class and the heading of the status banner."""
    found = re.search(
        r'<div class="verdict verify-status (verdict-\w+)">.*?<h1><span class="verify-icon" '
        r'aria-hidden="true">[^<]*</span> ([^<]+)</h1>',
        html,
        re.S,
    )
    assert found is not None
    return found.group(1), found.group(2)


@pytest.mark.parametrize(
    ("action", "verdict", "headline", "meaning"),
    [
        (None, "verdict-ok", "Certificat valide", "est certifiée Relation Client France"),
        ("suspend", "verdict-warn", "Certificat suspendu", "ne peut pas se prévaloir du label"),
        ("withdraw", "verdict-bad", "Certificat retiré", "ne peut plus se prévaloir du label"),
    ],
)
def test_it_shows_the_status_in_words_and_colour(
    client: Client,
    certifier: Any,
    mutuelle: Any,
    action: str | None,
    verdict: str,
    headline: str,
    meaning: str,
) -> None:
    """Valid is green, suspended orange, withdrawn red, each in words as the page's heading."""
    from rcf.certification.services import certificate as services

    if action == "suspend":
        services.certificate_suspend(actor=certifier, certificate=mutuelle, reason="x")
    elif action == "withdraw":
        services.certificate_withdraw(actor=certifier, certificate=mutuelle, reason="x")
    response = client.get("/verifier/RCF-2026-0001/")
    html = response.content.decode()
    assert response.status_code == 200
    assert status_block(html) == (verdict, headline)
    assert meaning in html
    assert "Mutuelle Exemple des Deux-Sèvres" in html


def test_it_shows_an_active_certificate_past_its_validity_as_expired(client: Client) -> None:
    """Before ``rcf tick`` records the expiry, the page already says « expiré », in grey."""
    make_certificate(make_organisation(), number="RCF-2022-0007", valid_from=dt.date(2022, 3, 1))
    html = client.get("/verifier/RCF-2022-0007/").content.decode()
    assert status_block(html) == ("verdict-expired", "Certificat expiré")
    assert "verdict-ok" not in html and "Certificat valide" not in html


def test_it_gives_dates_scope_and_links(client: Client, telecom: Any) -> None:
    """Validity, company, scope, and links to the credential and to the company page."""
    html = client.get("/verifier/RCF-2026-0002/").content.decode()
    assert "15 janvier 2026" in html and "14 janvier 2029" in html
    assert "aucun audit clôturé enregistré" in html
    assert "Visioconférence" in html and "771 personnes" in html
    assert 'href="/credentials/RCF-2026-0002.jwt"' in html
    assert 'href="/registre/804072387/"' in html


def test_it_draws_a_qr_code_of_its_own_address_on_this_site(client: Client, telecom: Any) -> None:
    """The inline QR code encodes the page's French address on ``RCF_BASE_URL``."""
    html = client.get("/verifier/RCF-2026-0002/").content.decode()
    url = "https://rcf.example.fr/verifier/RCF-2026-0002/"
    assert qr_svg(url) in html
    assert f"Code QR : {url}" in html


def test_it_explains_what_the_label_guarantees_and_how_to_check_a_logo(
    client: Client, telecom: Any
) -> None:
    html = client.get("/verifier/RCF-2026-0002/").content.decode()
    assert "Ce que garantit le label" in html
    assert "100 % de la relation client à" in html
    assert "Comment vérifier un logo" in html
    assert "https://rcf.example.fr/verifier/" in html


def test_it_answers_a_friendly_404_for_an_unknown_number(client: Client, telecom: Any) -> None:
    """An unknown number: French words, the number repeated (escaped), a search form."""
    response = client.get("/verifier/RCF-2099-<b>/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Certificat introuvable" in html
    assert (
        "Aucun certificat Relation Client France ne porte le numéro « RCF-2099-&lt;b&gt; »" in html
    )
    assert "ce logo ne prouve pas une certification" in html
    assert 'role="search"' in html


def test_it_speaks_english_under_en(client: Client, telecom: Any) -> None:
    """The English page keeps the QR code of the canonical (French) address."""
    response = client.get("/en/verifier/RCF-2026-0002/")
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert qr_svg("https://rcf.example.fr/verifier/RCF-2026-0002/") in html
    assert client.get("/en/verifier/RCF-2099-0001/").status_code == 404


def test_it_is_usable_without_javascript_and_with_landmarks(client: Client, telecom: Any) -> None:
    html = client.get("/verifier/RCF-2026-0002/").content.decode()
    assert "<script" not in html
    assert '<main id="contenu"' in html and "<header" in html and "<footer" in html
    assert 'class="skip" href="#contenu"' in html


def test_a_kept_page_follows_the_status_at_once(
    client: Client, certifier: Any, mutuelle: Any
) -> None:
    """The page is kept in memory, keyed by the public facts: a suspension shows at once."""
    from rcf.certification.services import certificate as services

    assert status_block(client.get("/verifier/RCF-2026-0001/").content.decode())[1] == (
        "Certificat valide"
    )
    services.certificate_suspend(actor=certifier, certificate=mutuelle, reason="x")
    html = client.get("/verifier/RCF-2026-0001/").content.decode()
    assert status_block(html) == ("verdict-warn", "Certificat suspendu")


def test_a_kept_page_switches_language_by_a_plain_link(mutuelle: Any) -> None:
    """The language switch is a link (no form, no CSRF cookie needed), so a visitor whose
    browser refuses cookies still reaches the English page."""
    visitor = Client(enforce_csrf_checks=True)
    html = visitor.get("/verifier/RCF-2026-0001/").content.decode()
    assert "csrfmiddlewaretoken" not in html
    link = re.search(r'<a href="([^"]+)" hreflang="en"', html)
    assert link is not None and link.group(1) == "/en/verifier/RCF-2026-0001/"
    assert visitor.get(link.group(1)).status_code == 200


def test_a_logged_in_visitor_gets_a_page_of_their_own(client: Client, mutuelle: Any) -> None:
    from tests.support.factories import make_user

    client.get("/verifier/RCF-2026-0001/")  # an anonymous page is now kept
    client.force_login(make_user("auditeur-visiteur", "auditor"))
    assert "auditeur-visiteur" in client.get("/verifier/RCF-2026-0001/").content.decode()
