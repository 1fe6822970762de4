"""In Chromium: an applicant from login to submission, an auditor through the checklist.

Driven through the labels people read (which also checks that every control has one), with a
screenshot of each step under ``artifacts/screenshots/``.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from rcf.certification.models import Application, Audit
from rcf.demo.companies import COMPANIES, declaration_of
from rcf.demo.loader import DEMO_PASSWORD, _dsn, load_demo
from tests.browser.conftest import Shots, axe_violations

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def log_in(page: Any, base: str, username: str) -> None:
    page.goto(f"{base}/compte/connexion/")
    page.locator("#id_username").fill(username)
    page.get_by_label("Mot de passe", exact=False).fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    page.wait_for_load_state()
    assert "/compte/connexion/" not in page.url, page.content()[:2000]


def test_an_applicant_goes_from_login_to_submission(
    live_server: Any, page: Any, shots: Shots, tmp_path: Path
) -> None:
    load_demo()
    company = COMPANIES[0]  # the demo applicant's company
    declaration = declaration_of(company, "2026-10-01")
    # The demo draft's customer-service number is surcharged (RCF-09 catches it there): the
    # new dossier gives an ordinary number, as the pre-check asks.
    for contact in declaration.get("contact_points", []):
        if contact["channel"] == "telephone":
            contact["value"] = "03 20 12 34 56"
    declaration_file = tmp_path / "declaration.json"
    declaration_file.write_text(json.dumps(declaration, ensure_ascii=False), "utf-8")
    dsn_files = []
    for name, content in _dsn(company, "2026-10"):
        path = tmp_path / name
        path.write_bytes(content.getvalue())
        dsn_files.append(str(path))
    before = set(Application.objects.values_list("pk", flat=True))

    log_in(page, live_server.url, "entreprise")
    shots.take(page, "tableau-de-bord")
    # The demo company has a draft already (one open initial dossier per company): the
    # applicant deletes it to start again.
    (draft,) = Application.objects.filter(status="draft", kind="initial", pk__in=before)
    page.goto(f"{live_server.url}/espace/dossiers/{draft.pk}/")
    page.get_by_role("link", name="Supprimer ce brouillon").click()
    page.get_by_role("button", name="Supprimer définitivement").click()
    page.wait_for_load_state()
    assert not Application.objects.filter(pk=draft.pk).exists()
    before.discard(draft.pk)
    page.goto(f"{live_server.url}/espace/dossiers/nouveau/")
    page.get_by_label("Fichier").set_input_files(str(declaration_file))
    page.get_by_role("button", name="Importer et créer").click()
    page.wait_for_load_state()
    shots.take(page, "dossier-cree")
    (created,) = set(Application.objects.values_list("pk", flat=True)) - before
    application = Application.objects.get(pk=created)
    assert application.status == "draft" and application.verdict == "to_verify"

    page.goto(f"{live_server.url}/espace/dossiers/{created}/dsn/")
    page.locator("input[type=file]").set_input_files(dsn_files)
    page.get_by_role("button", name="Déposer et relancer le pré-contrôle").click()
    page.wait_for_load_state()
    shots.take(page, "dsn-deposees")
    application.refresh_from_db()
    assert application.verdict == "eligible"

    page.goto(f"{live_server.url}/espace/dossiers/{created}/pre-controle/")
    assert "Éligible" in page.content()
    shots.take(page, "pre-controle")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Déposer le dossier").click()
    page.wait_for_load_state()
    shots.take(page, "depose")
    application.refresh_from_db()
    assert application.status == "submitted"
    assert "Déposé" in page.content()


def test_an_auditor_fills_the_checklist_and_closes_the_audit(
    live_server: Any, page: Any, shots: Shots
) -> None:
    load_demo()
    audit = Audit.objects.get(status="planned", application__status="audit_planned")
    log_in(page, live_server.url, "auditrice")
    page.goto(f"{live_server.url}/espace/audits/")
    shots.take(page, "mes-audits")
    page.goto(f"{live_server.url}/espace/audits/{audit.pk}/grille/")
    for index in range(1, 6):
        item = page.locator(f"fieldset#RCF-A{index}")
        result = "Observation" if index == 4 else "Conforme"
        item.get_by_label(result, exact=True).check()
    page.locator("fieldset#RCF-A4").get_by_label("Notes").fill(
        "Deux accords de télétravail sans adresse : à compléter."
    )
    shots.take(page, "grille-remplie")
    assert axe_violations(page) == []
    page.get_by_role("button", name="Enregistrer la grille").click()
    page.wait_for_load_state()
    page.goto(f"{live_server.url}/espace/audits/{audit.pk}/cloture/")
    shots.take(page, "cloture")
    page.get_by_role("button", name="Clôturer l'audit").click()
    page.wait_for_load_state()
    shots.take(page, "audit-cloture")
    audit.refresh_from_db()
    assert audit.status == "closed"
    assert audit.application.status == "audited"
    assert list(audit.findings.values_list("severity", "requirement")) == [
        ("observation", "RCF-A4")
    ]
