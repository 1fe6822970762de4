"""A consumer types a number on the home page and reads whose customer service it is."""

from __future__ import annotations

from typing import Any

import pytest

from rcf.demo.loader import load_demo
from tests.browser.conftest import Shots, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_consumer_finds_whose_number_it_is(live_server: Any, page: Any, shots: Shots) -> None:
    load_demo()
    page.goto(f"{live_server.url}/")
    page.get_by_label("Numéro de téléphone").fill("05.49.77.12.34")
    page.get_by_role("button", name="Vérifier le numéro").click()
    page.wait_for_load_state()
    assert "/numero/?n=" in page.url
    answer = page.locator(".phone-answer").inner_text()
    assert "service client de Mutuelle des Marais" in answer
    shots.take(page, "trouve")
    assert axe_violations(page) == []
    page.get_by_label("Numéro de téléphone").fill("0899 23 45 67")
    page.get_by_role("button", name="Vérifier le numéro").click()
    page.wait_for_load_state()
    assert "Ce numéro est surtaxé." in page.locator(".phone-answer").inner_text()
    shots.take(page, "surtaxe")
    page.goto(f"{live_server.url}/numero/?n=0549771234")
    page.get_by_role("link", name="Voir le certificat").click()
    page.wait_for_load_state()
    assert "05 49 77 12 34" in page.locator(".contact-points").inner_text()
    shots.take(page, "verification")
    assert axe_violations(page) == []


@pytest.mark.mobile
def test_the_number_page_reads_on_a_phone(live_server: Any, page: Any, shots: Shots) -> None:
    load_demo()
    page.goto(f"{live_server.url}/numero/?n=3949")
    assert "dix chiffres" in page.locator("#id_n_error").inner_text()
    shots.take(page, "erreur")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert axe_violations(page) == []
