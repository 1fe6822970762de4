"""The public pre-check page and the declaration workbook: the workbook is accepted as well
as JSON (by content), gives the same evaluation, and its errors are shown at their cells; the
page offers the blank workbook, a filled example and the JSON Schema."""

from __future__ import annotations

import html
import io
import json
import re
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rcf.front.tests.test_precheck_page import dsn_for_niort
from rcf.precheck.workbook import XLSX_MEDIA_TYPE, declaration_to_workbook, read_workbook
from rcf.referentiel.declaration import declaration_schema
from rcf.referentiel.tests.builders import example
from tests.support.factories import make_member

pytestmark = pytest.mark.django_db


def evaluation_of(page: bytes) -> dict[str, object]:
    """The rcf-evaluation/1 the page shows."""
    found = re.search(r"<pre><code>(.*?)</code></pre>", page.decode(), re.S)
    assert found, "no evaluation on the page"
    parsed: dict[str, object] = json.loads(html.unescape(found.group(1)))
    return parsed


def post(client: Client, name: str, body: bytes, dsn: bytes | None = None) -> Any:
    data: dict[str, object] = {"declaration": SimpleUploadedFile(name, body)}
    if dsn is not None:
        data["dsn"] = [SimpleUploadedFile("niort-2026-06.dsn", dsn)]
    return client.post("/pre-controle/", data)


@pytest.mark.parametrize("name", ["mutuelle-sans-dsn", "telecom-offshore"])
def test_a_workbook_gives_the_same_evaluation_as_its_json(client: Client, name: str) -> None:
    make_member()
    document = example(name)
    from_json = post(client, "d.json", json.dumps(document).encode(), dsn_for_niort(65))
    # Named .json on purpose: the page goes by the content (PK…), not by the name.
    from_xlsx = post(client, "d.json", declaration_to_workbook(document), dsn_for_niort(65))
    assert from_json.status_code == from_xlsx.status_code == 200
    assert evaluation_of(from_xlsx.content) == evaluation_of(from_json.content)
    page = html.unescape(from_xlsx.content.decode())
    assert "Déclaration lue depuis le classeur XLSX déposé." in page


def test_the_page_says_which_dsn_files_it_read(client: Client) -> None:
    make_member()
    response = post(
        client, "d.xlsx", declaration_to_workbook(example("mutuelle-sans-dsn")), dsn_for_niort(65)
    )
    page = html.unescape(response.content.decode())
    assert "<td><code>niort-2026-06.dsn</code></td><td>84533314500017</td><td>2026-06</td>" in page
    without = post(client, "d.xlsx", declaration_to_workbook(example("mutuelle-sans-dsn")))
    assert "Aucune DSN n'a été déposée" in html.unescape(without.content.decode())


def test_a_wrong_workbook_is_answered_with_its_cells(client: Client) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(declaration_to_workbook(example("mutuelle-sans-dsn"))))
    wb["Effectifs"]["E3"] = "beaucoup"
    wb["Effectifs"]["A4"] = "maison"
    out = io.BytesIO()
    wb.save(out)
    response = post(client, "d.xlsx", out.getvalue())
    page = html.unescape(response.content.decode())
    assert response.status_code == 422
    assert "<code>Effectifs!E3 : nombre entier attendu (reçu : « beaucoup »)</code>" in page
    assert "<code>Effectifs!A4 : site inconnu « maison »</code>" in page


def test_a_valid_workbook_with_rule_errors_is_located_after_reading(client: Client) -> None:
    """Errors that only the declaration's validation finds (read without error) still land
    on their cells: the page maps the pointers with the map kept while reading."""
    wb = openpyxl.load_workbook(io.BytesIO(declaration_to_workbook(example("mutuelle-sans-dsn"))))
    wb["Effectifs"]["A6"] = "maison"
    out = io.BytesIO()
    wb.save(out)
    response = post(client, "d.xlsx", out.getvalue())
    assert response.status_code == 422
    page = html.unescape(response.content.decode())
    assert "<code>Effectifs!A6 : site inconnu « maison »</code>" in page


def test_a_workbook_with_macros_or_a_broken_zip_is_refused(client: Client) -> None:
    response = post(client, "d.xlsx", b"PK\x03\x04broken")
    assert response.status_code == 422
    assert "pas un classeur XLSX" in html.unescape(response.content.decode())


def test_the_page_offers_the_workbooks_and_the_schema(client: Client) -> None:
    page = client.get("/pre-controle/").content.decode()
    for url in [
        "/pre-controle/declaration-vierge.xlsx",
        "/pre-controle/declaration-exemple.xlsx",
        "/pre-controle/rcf-declaration-1.schema.json",
    ]:
        assert f'href="{url}"' in page
    blank = client.get("/pre-controle/declaration-vierge.xlsx")
    assert blank["Content-Type"] == XLSX_MEDIA_TYPE
    assert openpyxl.load_workbook(io.BytesIO(blank.content)).sheetnames[:4] == [
        "Entreprise",
        "Opérateurs",
        "Sites",
        "Effectifs",
    ]
    filled = client.get("/pre-controle/declaration-exemple.xlsx")
    assert "attachment" in filled["Content-Disposition"]
    assert read_workbook(filled.content, max_bytes=10**7).document == example("mutuelle-sans-dsn")
    schema = client.get("/pre-controle/rcf-declaration-1.schema.json")
    assert json.loads(schema.content) == declaration_schema()
