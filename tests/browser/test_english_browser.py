"""In Chromium, in English: the public pre-check of a declaration with findings and with input
errors, and a person choosing English for their e-mails on their account page."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rcf.accounts.models import User
from rcf.demo.loader import DEMO_PASSWORD, load_demo
from rcf.referentiel.tests.builders import example
from tests.browser.conftest import Shots, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_public_pre_check_reads_in_english(
    live_server: Any, page: Any, shots: Shots, tmp_path: Path
) -> None:
    declaration = tmp_path / "declaration.json"
    declaration.write_text(json.dumps(example("telecom-offshore")), "utf-8")
    page.goto(f"{live_server.url}/en/pre-controle/")
    page.locator("#id_declaration").set_input_files(str(declaration))
    page.get_by_role("button", name="Run the pre-check").click()
    page.wait_for_load_state()
    text = page.locator("main").inner_text()
    assert "Not eligible" in text
    assert "RCF-04 — 100% of contributors work in France" in text
    assert "is outside the scope of the French Labour Code: 320 contributors work there." in text
    shots.take(page, "verdict")
    assert axe_violations(page) == []

    errors = tmp_path / "errors.json"
    errors.write_text(json.dumps(example("erreurs-de-saisie")), "utf-8")
    page.locator("#id_declaration").set_input_files(str(errors))
    page.get_by_role("button", name="Run the pre-check").click()
    page.wait_for_load_state()
    assert "/workforce/2/site: unknown site “maison”" in page.locator("main").inner_text()
    shots.take(page, "input-errors")


def test_a_person_chooses_english_for_their_e_mails(
    live_server: Any, page: Any, shots: Shots
) -> None:
    load_demo()
    page.goto(f"{live_server.url}/en/compte/connexion/")
    page.locator("#id_username").fill("entreprise")
    page.locator("#id_password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Log in").click()
    page.wait_for_load_state()
    page.get_by_role("link", name="entreprise").click()
    page.wait_for_load_state()
    assert "/en/compte/" in page.url
    shots.take(page, "account")
    assert axe_violations(page) == []
    page.get_by_label("English").check()
    page.get_by_role("button", name="Save").click()
    page.wait_for_load_state()
    assert "Your preferences have been saved." in page.content()
    shots.take(page, "saved")
    assert User.objects.get(username="entreprise").language == "en"
