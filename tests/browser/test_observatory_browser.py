"""In Chromium: the observatory on a desktop and on a phone — every chart drawn, its data
table one click away, nothing overflowing sideways, and no serious axe-core violation."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rcf.demo.loader import load_demo
from rcf.observatory.charts import CHART_SLUGS
from tests.browser.conftest import Shots, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check(page: Any, base: str, path: str) -> None:
    # The live server runs in this process: drawing every chart once here first keeps the
    # page's load within the browser's timeout on a busy machine (the drawings are kept).
    client = Client()
    prefix = path.removesuffix("observatoire/")
    for slug in CHART_SLUGS:
        assert client.get(f"{prefix}observatoire/graphiques/{slug}.svg").status_code == 200
        assert client.get(f"{prefix}observatoire/graphiques/etroit/{slug}.svg").status_code == 200
    page.set_default_navigation_timeout(60_000)
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    drawn = page.evaluate(
        "Array.from(document.querySelectorAll('img.chart-img'))"
        ".map(i => i.complete && i.naturalWidth > 0)"
    )
    assert drawn and all(drawn), drawn
    page.locator("details summary").first.click()
    assert page.locator("details table").first.is_visible()
    assert axe_violations(page) == []


def test_the_observatory_on_a_desktop(live_server: Any, page: Any, shots: Shots) -> None:
    load_demo()
    _check(page, live_server.url, "/observatoire/")
    shots.take(page, "observatoire")
    _check(page, live_server.url, "/en/observatoire/")


@pytest.mark.mobile
def test_the_observatory_on_a_phone(live_server: Any, page: Any, shots: Shots) -> None:
    load_demo()
    _check(page, live_server.url, "/observatoire/")
    shots.take(page, "telephone")
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    # Each chart is the drawing made for a phone, its text at the size it is set.
    sources = page.evaluate(
        "Array.from(document.querySelectorAll('img.chart-img')).map(i => i.currentSrc)"
    )
    assert len(sources) == len(CHART_SLUGS)
    assert all("/observatoire/graphiques/etroit/" in source for source in sources), sources
