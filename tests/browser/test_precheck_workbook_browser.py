"""In Chromium: a company downloads the example workbook from the pre-check page, sends it
back with a DSN, and reads the evaluation and the list of DSN files read."""

from __future__ import annotations

from typing import Any

import pytest

from rcf.front.tests.test_precheck_page import dsn_for_niort
from tests.browser.conftest import Shots, axe_violations
from tests.support.factories import make_member

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_company_sends_the_example_workbook_back(
    live_server: Any, page: Any, shots: Shots
) -> None:
    make_member()
    page.goto(f"{live_server.url}/pre-controle/")
    shots.take(page, "pre-controle")
    assert axe_violations(page) == []
    with page.expect_download() as download:
        page.get_by_role("link", name="Un exemple rempli").click()
    workbook = download.value.path()
    page.set_input_files("input[name=declaration]", workbook)
    page.set_input_files(
        "input[name=dsn]",
        files=[
            {"name": "niort-2026-06.dsn", "mimeType": "text/plain", "buffer": dsn_for_niort(65)}
        ],
    )
    page.get_by_role("button", name="Lancer le pré-contrôle").click()
    page.wait_for_load_state()
    shots.take(page, "resultat-classeur")
    assert page.get_by_text("Déclaration lue depuis le classeur XLSX déposé.").is_visible()
    assert page.locator("#dsn-lues + table").get_by_text("niort-2026-06.dsn").is_visible()
    assert axe_violations(page) == []
