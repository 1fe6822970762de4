"""The dossier's declaration from the XLSX workbook: creating an application from it and
replacing the declaration by it, with every error at its cell and nothing half-changed."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from django.urls import reverse

from rcf.certification.models import Application
from rcf.precheck.workbook import declaration_to_workbook
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"applications:{name}", args=args)


def workbook(
    document: dict[str, Any], edit: Callable[[openpyxl.Workbook], None] | None = None
) -> io.BytesIO:
    data = declaration_to_workbook(document)
    if edit is not None:
        wb = openpyxl.load_workbook(io.BytesIO(data))
        edit(wb)
        out = io.BytesIO()
        wb.save(out)
        data = out.getvalue()
    upload = io.BytesIO(data)
    upload.name = "declaration.xlsx"
    return upload


def test_it_creates_an_application_from_a_workbook(cast: Cast) -> None:
    response = pages.browser(cast, "applicant").post(
        url("create"), {"action": "upload", "file": workbook(example_declaration())}
    )
    assert response.status_code == 302
    assert Application.objects.get().declaration == example_declaration()


def test_a_refused_workbook_creates_nothing_and_names_its_cells(cast: Cast) -> None:
    def spoil(wb: openpyxl.Workbook) -> None:
        wb["Effectifs"]["E3"] = "soixante"

    response = pages.browser(cast, "applicant").post(
        url("create"), {"action": "upload", "file": workbook(example_declaration(), spoil)}
    )
    assert response.status_code == 200
    assert "<code>Effectifs!E3</code> : nombre entier attendu" in response.content.decode()
    assert not Application.objects.exists()


def test_it_replaces_the_declaration_with_a_workbook(cast: Cast) -> None:
    application = pages.draft(cast)
    document = example_declaration()
    document["commitments"]["notify_changes"] = False
    response = pages.browser(cast, "applicant").post(
        url("declaration_upload", application.pk), {"file": workbook(document)}
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.declaration == document
    assert application.verdict == "not_eligible"


def test_the_service_s_refusal_is_shown_at_the_cell(cast: Cast) -> None:
    """Another company's SIREN is refused by the service (its JSON Pointer): the page names
    the cell of the workbook instead, and the declaration does not change."""
    application = pages.draft(cast)
    before = application.declaration
    other = example_declaration("telecom-offshore.json")
    response = pages.browser(cast, "applicant").post(
        url("declaration_upload", application.pk), {"file": workbook(other)}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "<code>Entreprise!C5</code>" in body
    assert "<code>/applicant/siren</code>" not in body
    application.refresh_from_db()
    assert application.declaration == before
