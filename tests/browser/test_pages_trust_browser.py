"""In Chromium, every public page and every workspace page, at 1280 px and at 390 px: no
horizontal scroll, no serious axe-core violation, and a screenshot of each for people to look
at (``artifacts/screenshots/``). Failures are collected so that one run names them all."""

from __future__ import annotations

import re
from typing import Any

import pytest

from rcf.accounts.models import User
from rcf.certification.models import Application, Audit, Certificate
from rcf.demo.loader import DEMO_PASSWORD, load_demo
from rcf.reports.services import report_receive
from tests.browser.conftest import Shots, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LONG_WORD = "x" * 200


def public_paths() -> list[str]:
    by_status = {c.status: c for c in Certificate.objects.select_related("organisation")}
    paths = [
        "/",
        "/registre/",
        "/registre/?status=all",
        f"/registre/?q={LONG_WORD}",
        "/pre-controle/",
        "/signaler/",
        "/signaler/merci/",
        "/demander-le-label/",
        "/contact/",
        "/mentions-legales/",
        "/donnees-personnelles/",
        "/accessibilite/",
        "/nulle-part/",
        "/en/",
        "/en/registre/",
    ]
    for status in ("active", "suspended", "withdrawn", "expired"):
        certificate = by_status[status]
        paths += [
            f"/registre/{certificate.organisation.siren}/",
            f"/verifier/{certificate.number}/",
        ]
    return paths


def workspace_paths(username: str) -> list[str]:
    user = User.objects.get(username=username)
    roles = set(user.role_names)
    paths = ["/espace/accueil/", "/espace/"]
    if "applicant" in roles:
        application = Application.objects.filter(organisation=user.organisation).first()
        assert application is not None
        base = f"/espace/dossiers/{application.pk}/"
        paths += [base, base + "declaration/", base + "declaration/sites/", base + "dsn/"]
        paths += [base + "pre-controle/"]
    if "afrc" in roles:
        paths += ["/espace/recevabilite/", "/espace/adherents/", "/espace/signalements/"]
        paths += [f"/espace/signalements/{report_receive_once()}/"]
    if "certifier" in roles:
        certificate = Certificate.objects.filter(status="withdrawn").first()
        assert certificate is not None
        paths += ["/espace/audits/a-planifier/", "/espace/decisions/", "/espace/certificats/"]
        paths += [f"/espace/certificats/{certificate.number}/"]
    if "auditor" in roles:
        audit = Audit.objects.filter(auditor=user).first()
        paths += ["/espace/audits/"]
        if audit is not None:
            paths += [f"/espace/audits/{audit.pk}/"]
    return paths


def report_receive_once() -> int:
    from rcf.reports.models import LogoReport

    report = LogoReport.objects.first() or report_receive(
        company="Boutique " + "y" * 120,
        where_seen="https://boutique.example/" + "z" * 150,
        description="Le logo du label en pied de page, sans certificat au registre.",
        email="",
    )
    return report.pk


def check(page: Any, shots: Shots, url: str, label: str, problems: list[str]) -> None:
    page.goto(url)
    page.wait_for_load_state()
    shots.take(page, label)
    width = page.evaluate("document.documentElement.scrollWidth")
    viewport = page.viewport_size["width"]
    if width > viewport:
        problems.append(f"{url}: scrolls sideways ({width} px > {viewport} px)")
    problems += [f"{url}: {v}" for v in axe_violations(page)]


def slug(path: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", path.lower()).strip("-")[:60] or "accueil"


@pytest.mark.parametrize("mobile", [False, True], ids=["desktop", "phone"])
def test_every_public_page(live_server: Any, chromium: Any, shots: Shots, mobile: bool) -> None:
    load_demo()
    viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="fr-FR", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    problems: list[str] = []
    for path in public_paths():
        check(page, shots, live_server.url + path, slug(path), problems)
    context.close()
    assert problems == []


@pytest.mark.parametrize("username", ["entreprise", "afrc", "certification", "auditrice"])
@pytest.mark.parametrize("mobile", [False, True], ids=["desktop", "phone"])
def test_every_workspace_page(
    live_server: Any, chromium: Any, shots: Shots, username: str, mobile: bool
) -> None:
    load_demo()
    viewport = {"width": 390, "height": 844} if mobile else {"width": 1280, "height": 900}
    context = chromium.new_context(locale="fr-FR", viewport=viewport, bypass_csp=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/compte/connexion/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.locator("form button[type=submit]").last.click()
    page.wait_for_load_state()
    assert page.url.endswith("/espace/accueil/"), page.url  # each role lands on its workspace
    problems: list[str] = []
    for path in workspace_paths(username):
        check(page, shots, live_server.url + path, slug(path), problems)
    context.close()
    assert problems == []


@pytest.mark.mobile
def test_the_language_switch_works_without_a_csrf_cookie(live_server: Any, page: Any) -> None:
    load_demo()
    page.context.clear_cookies()
    page.goto(f"{live_server.url}/registre/")
    page.get_by_role("link", name="English").click()
    page.wait_for_load_state()
    assert page.url.endswith("/en/registre/")
    assert page.locator("html").get_attribute("lang") == "en"


@pytest.mark.mobile
def test_on_a_phone_results_start_on_the_first_screen(live_server: Any, page: Any) -> None:
    """The header is compact and the filters folded: the first result is visible at once."""
    load_demo()
    page.goto(f"{live_server.url}/registre/")
    header = page.locator("header.site-header").bounding_box()
    first = page.locator("li.result").first.bounding_box()
    assert header is not None and first is not None
    assert header["height"] <= 130
    assert first["y"] < 844
