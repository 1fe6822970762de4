"""In Chromium: a visitor searches the registry with and without accents, opens a company,
verifies a certificate; axe-core finds no serious accessibility violation on those pages."""

from __future__ import annotations

from typing import Any

import pytest

from rcf.certification.models import Certificate
from rcf.demo.loader import load_demo
from tests.browser.conftest import Shots, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def search(page: Any, base: str, words: str) -> None:
    page.goto(f"{base}/registre/")
    page.locator("input[name=q]").first.fill(words)
    page.get_by_role("button", name="Rechercher").first.click()
    page.wait_for_load_state()


@pytest.mark.parametrize("words", ["Électricité des Îles", "electricite des iles", "ILES"])
def test_a_visitor_finds_a_company_with_or_without_accents(
    live_server: Any, page: Any, shots: Shots, words: str
) -> None:
    load_demo()
    search(page, live_server.url, words)
    results = page.locator("li.result")
    assert results.count() == 1
    assert "Électricité des Îles" in results.first.inner_text()
    shots.take(page, "resultats")


def test_a_visitor_opens_a_company_and_verifies_its_certificate(
    live_server: Any, page: Any, shots: Shots
) -> None:
    load_demo()
    certificate = Certificate.objects.get(organisation__name="Mutuelle des Marais")
    search(page, live_server.url, "marais")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Mutuelle des Marais").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/registre/{certificate.organisation.siren}/")
    shots.take(page, "entreprise")
    assert axe_violations(page) == []
    page.get_by_role("link", name="Page de vérification du certificat").click()
    page.wait_for_load_state()
    assert page.url.endswith(f"/verifier/{certificate.number}/")
    banner = page.get_by_role("heading", level=1).inner_text()
    assert "valide" in banner.lower()
    shots.take(page, "verification")
    assert axe_violations(page) == []


def test_a_suspended_certificate_never_looks_valid(
    live_server: Any, page: Any, shots: Shots
) -> None:
    load_demo()
    certificate = Certificate.objects.get(status="suspended")
    page.goto(f"{live_server.url}/verifier/{certificate.number}/")
    heading = page.get_by_role("heading", level=1).inner_text()
    assert "suspendu" in heading.lower() and "valide" not in heading.lower()
    shots.take(page, "suspendu")
    assert axe_violations(page) == []


@pytest.mark.mobile
def test_the_verification_page_reads_on_a_phone(live_server: Any, page: Any, shots: Shots) -> None:
    """390 px wide: nothing overflows sideways."""
    load_demo()
    certificate = Certificate.objects.filter(status="active").first()
    assert certificate is not None
    page.goto(f"{live_server.url}/verifier/{certificate.number}/")
    shots.take(page, "telephone")
    overflow = page.evaluate("document.documentElement.scrollWidth")
    assert overflow <= 390
    assert axe_violations(page) == []


def test_the_home_page_has_no_serious_accessibility_violation(
    live_server: Any, page: Any, shots: Shots
) -> None:
    load_demo()
    page.goto(f"{live_server.url}/")
    shots.take(page, "accueil")
    assert axe_violations(page) == []
    page.goto(f"{live_server.url}/pre-controle/")
    assert axe_violations(page) == []
