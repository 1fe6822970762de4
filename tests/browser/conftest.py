"""Browser tests: Debian's Chromium driven by Playwright against a live server.

They skip, with the reason, when Chromium or Playwright is missing (with ``CI=true`` a skip
is a failure, see the root ``conftest.py``). Screenshots of every step are saved under
``artifacts/screenshots/`` for people to look at.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

CHROMIUM = Path(os.environ.get("RCF_CHROMIUM", "/usr/bin/chromium"))
ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts" / "screenshots"


@pytest.fixture(scope="session")
def chromium() -> Iterator[Any]:
    if not CHROMIUM.exists():
        pytest.skip(f"Chromium is not installed at {CHROMIUM} (apt-get install chromium)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError as exc:  # pragma: no cover - dev dependency
        pytest.skip(f"playwright is not installed: {exc}")
    # Playwright's sync API keeps an event loop in this thread while the tests call the ORM;
    # the live server runs in its own thread, so Django's async-safety guard does not apply.
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()
    if previous is None:
        del os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"]
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def page(chromium: Any, request: pytest.FixtureRequest) -> Iterator[Any]:
    """A fresh browser context (French, phone-sized when the test asks for ``mobile``)."""
    mobile = request.node.get_closest_marker("mobile") is not None
    viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="fr-FR", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.set_default_timeout(15_000)
    yield page
    context.close()


class Shots:
    """Saves numbered screenshots of a test under ``artifacts/screenshots/<test>/``."""

    def __init__(self, name: str) -> None:
        self.directory = ARTIFACTS / re.sub(r"[^a-zA-Z0-9_-]+", "-", name)
        self.directory.mkdir(parents=True, exist_ok=True)
        self.count = 0

    def take(self, page: Any, label: str) -> Path:
        self.count += 1
        path = self.directory / f"{self.count:02d}-{label}.png"
        page.screenshot(path=str(path), full_page=True)
        return path


@pytest.fixture
def shots(request: pytest.FixtureRequest) -> Shots:
    return Shots(request.node.name)


def axe_violations(page: Any, *, impacts: tuple[str, ...] = ("serious", "critical")) -> list[str]:
    """Run axe-core (WCAG 2.1 A and AA rules) on the page; describe the serious violations."""
    from axe_playwright_python.sync_playwright import Axe

    results = Axe().run(
        page,
        options={
            "runOnly": {"type": "tag", "values": ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]}
        },
    )
    found = []
    for violation in results.response.get("violations", []):
        if violation.get("impact") in impacts:
            targets = [", ".join(node.get("target", [])) for node in violation["nodes"]]
            found.append(f"{violation['id']} ({violation['impact']}): {'; '.join(targets)}")
    return found
