"""A certified company's page ``/registre/{siren}/``."""

from __future__ import annotations

import html as htmllib
import re
from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_it_shows_what_is_certified_in_french_words(client: Client, telecom: Any) -> None:
    """Brands, channels, activities, phases, sites, departments, territories, contributors."""
    response = client.get("/registre/804072387/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "<h1>Télécom Exemple SA</h1>" in html
    assert "TelEx, TelEx Mobile" in html
    for words in (
        "Téléphone",
        "Messagerie instantanée",
        "Réseaux sociaux",
        "Visioconférence",
        "Front office (contact direct)",
        "Avant-vente",
        "Après-vente",
        "4 sites",
        "départements 75, 80",
        "France métropolitaine",
        "771 personnes",
    ):
        assert words in html, words
    assert "telephone" not in html.split("<h1>", 1)[1].split("Afficher le badge")[0]


def test_it_shows_the_certificate_with_dates_last_audit_and_history(
    client: Client, certifier: Any, telecom: Any
) -> None:
    """Status, validity dates and the history, each change with its date and status."""
    from rcf.certification.services.certificate import certificate_reinstate, certificate_suspend

    certificate_suspend(actor=certifier, certificate=telecom, reason="Audit de surveillance manqué")
    certificate_reinstate(actor=certifier, certificate=telecom, reason="Audit réalisé")
    html = client.get("/registre/804072387/").content.decode()
    assert "Certificat RCF-2026-0002 : Valide" in html
    assert "15 janvier 2026" in html and "14 janvier 2029" in html
    assert "aucun audit clôturé enregistré" in html
    history = html.split("<caption>Historique du certificat RCF-2026-0002</caption>")[1]
    history = history.split("</table>")[0]
    rows = re.findall(
        r'<tr><td>([^<]+)</td><td>([^<]+)</td><td><span class="tag (tag-\w+)">([^<]+)</span>',
        history,
    )
    assert [row[1:] for row in rows] == [
        ("Certificat délivré", "tag-ok", "Valide"),
        ("Suspendu", "tag-warn", "Suspendu"),
        ("Rétabli", "tag-ok", "Valide"),
    ]
    # The reasons are for the file, not for the public page.
    assert "Audit de surveillance manqué" not in html


def test_it_gives_a_copyable_badge_snippet_linking_to_this_site(
    client: Client, telecom: Any
) -> None:
    """The snippet is shown as text: a link to the verification page around the live badge."""
    html = client.get("/registre/804072387/").content.decode()
    code = re.search(r'<pre class="snippet"><code>(.*?)</code></pre>', html, re.S)
    assert code is not None
    snippet = htmllib.unescape(code.group(1))
    assert snippet == (
        '<a href="https://rcf.example.fr/verifier/RCF-2026-0002/">'
        '<img src="https://rcf.example.fr/badge/RCF-2026-0002.svg" '
        'alt="Relation Client France : vérifier le statut du certificat RCF-2026-0002" '
        'height="24"></a>'
    )
    assert "<a href=" not in code.group(1)  # escaped, not live markup


@pytest.mark.parametrize("siren", ["732829320", "123", "abcdefghi"])
def test_it_answers_404_for_a_siren_without_certificate(
    client: Client, telecom: Any, siren: str
) -> None:
    """Unknown or malformed SIREN: a friendly French 404 page with a search form."""
    response = client.get(f"/registre/{siren}/")
    html = response.content.decode()
    assert response.status_code == 404
    assert "Entreprise introuvable" in html
    assert 'role="search"' in html


def test_it_speaks_english_under_en(client: Client, telecom: Any) -> None:
    response = client.get("/en/registre/804072387/")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
    assert client.get("/en/registre/732829320/").status_code == 404
