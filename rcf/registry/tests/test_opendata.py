"""Open data: ``/opendata/certificats.csv`` and ``.json`` against ``/opendata/schema.json``."""

from __future__ import annotations

import csv
import datetime as dt
import io
from typing import Any

import pytest
from django.test import Client

from rcf.certification.models import Audit
from rcf.certification.services import certificate as services
from rcf.registry.tests.tableschema import cell_problems, schema_problems, table_problems
from tests.support.factories import (
    example_declaration,
    make_certificate,
    make_organisation,
    make_user,
)

pytestmark = pytest.mark.django_db

COLUMNS = [
    "number",
    "status",
    "siren",
    "name",
    "brands",
    "scheme_version",
    "first_issued_on",
    "valid_from",
    "valid_until",
    "last_audit_on",
    "sites_count",
    "departments",
    "territories",
    "channels",
    "activities",
    "phases",
    "contributors",
    "verification_url",
]


@pytest.fixture
def registry(certifier: Any, mutuelle: Any, telecom: Any) -> None:
    """Four certificates: valid (with a closed audit), suspended, withdrawn, expired."""
    services.certificate_suspend(actor=certifier, certificate=telecom, reason="x")
    withdrawn = make_certificate(
        make_organisation("552081317", "Retirée & Fils"), number="RCF-2025-0003"
    )
    services.certificate_withdraw(actor=certifier, certificate=withdrawn, reason="x")
    make_certificate(
        make_organisation("542107651", "Ancienne"),
        number="RCF-2021-0009",
        valid_from=dt.date(2021, 6, 1),
    )
    auditor = make_user("auditrice", "auditor")
    Audit.objects.create(
        application=mutuelle.application,
        kind="initial",
        status="closed",
        auditor=auditor,
        planned_on=dt.date(2025, 12, 1),
        performed_on=dt.date(2025, 12, 2),
        sample_size=1,
        planned_by=certifier,
    )


def get_csv(client: Client) -> list[dict[str, str]]:
    response = client.get("/opendata/certificats.csv")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    text = response.content.decode("utf-8")
    assert not text.startswith("\ufeff")
    assert text.splitlines()[0] == ",".join(COLUMNS)
    return list(csv.DictReader(io.StringIO(text)))


def test_it_publishes_every_certificate_ever_issued_with_its_public_status(
    client: Client, registry: None
) -> None:
    rows = get_csv(client)
    assert [(row["number"], row["status"]) for row in rows] == [
        ("RCF-2021-0009", "expired"),
        ("RCF-2025-0003", "withdrawn"),
        ("RCF-2026-0001", "active"),
        ("RCF-2026-0002", "suspended"),
    ]
    mutuelle = rows[2]
    assert mutuelle == {
        "number": "RCF-2026-0001",
        "status": "active",
        "siren": "845333145",
        "name": "Mutuelle Exemple des Deux-Sèvres",
        "brands": "Mutuelle Exemple",
        "scheme_version": "1",
        "first_issued_on": "2026-01-15",
        "valid_from": "2026-01-15",
        "valid_until": "2029-01-14",
        "last_audit_on": "2025-12-02",
        "sites_count": "3",
        "departments": "29;79",
        "territories": "metropole",
        "channels": "telephone;email;postal_mail",
        "activities": "front_office;back_office",
        "phases": "sale;after_sale",
        "contributors": "98",
        "verification_url": "https://rcf.example.fr/verifier/RCF-2026-0001/",
    }
    assert rows[3]["brands"] == "TelEx;TelEx Mobile"
    assert rows[3]["last_audit_on"] == ""


def test_every_csv_row_conforms_to_the_published_schema(client: Client, registry: None) -> None:
    schema = client.get("/opendata/schema.json").json()
    assert [field["name"] for field in schema["fields"]] == COLUMNS
    assert table_problems(schema, get_csv(client), text=True) == []


def test_the_json_holds_the_same_rows_with_typed_values(client: Client, registry: None) -> None:
    """A list of objects with the CSV's fields and values; numbers as numbers, nothing as null."""
    response = client.get("/opendata/certificats.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    rows = response.json()
    schema = client.get("/opendata/schema.json").json()
    assert table_problems(schema, rows, text=False) == []
    as_text = [
        {key: "" if value is None else str(value) for key, value in row.items()} for row in rows
    ]
    assert as_text == get_csv(client)
    assert rows[2]["contributors"] == 98 and rows[3]["last_audit_on"] is None


def test_the_schema_follows_the_schema_data_gouv_fr_conventions(client: Client) -> None:
    response = client.get("/opendata/schema.json")
    assert response.status_code == 200
    schema = response.json()
    assert schema_problems(schema) == []
    assert schema["$schema"] == "https://specs.frictionlessdata.io/schemas/table-schema.json"
    assert schema["primaryKey"] == "number"
    assert schema["licenses"][0]["name"] == "etalab-2.0"
    assert schema["path"] == "https://rcf.example.fr/opendata/schema.json"


def test_the_validator_catches_what_the_schema_forbids(client: Client) -> None:
    """The checks above can fail: bad values are reported."""
    fields = {f["name"]: f for f in client.get("/opendata/schema.json").json()["fields"]}
    assert cell_problems(fields["status"], "valid", text=True)
    assert cell_problems(fields["siren"], "84533314", text=True)
    assert cell_problems(fields["number"], "", text=True) == ["required value missing"]
    assert cell_problems(fields["sites_count"], "-1", text=True)
    assert cell_problems(fields["sites_count"], "3", text=False) == ["not an integer"]
    assert cell_problems(fields["valid_until"], "2029-02-30", text=True)
    assert cell_problems(fields["channels"], "telephone;fax", text=True)
    assert cell_problems(fields["departments"], "29;20", text=True)
    assert cell_problems(fields["channels"], "telephone;chat", text=True) == []
    assert cell_problems(fields["departments"], "2A;974", text=True) == []


def test_it_is_cacheable_with_an_etag(client: Client, registry: None) -> None:
    first = client.get("/opendata/certificats.json")
    assert first["Cache-Control"] == "public, max-age=300"
    assert (
        client.get("/opendata/certificats.json", HTTP_IF_NONE_MATCH=first["ETag"]).status_code
        == 304
    )


FORMULAS = [
    '=HYPERLINK("http://x","y")',
    "+33 1 23 45 67 89",
    "-2+3",
    "@SUM(A1:A2)",
    "\tTab",
    "\rRetour",
]


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(client: Client) -> None:
    """OWASP CSV injection: a quote in front, the cell quoted; the JSON keeps the values."""
    declaration = example_declaration()
    declaration["applicant"]["brands"] = ["Normale", *FORMULAS]
    make_certificate(
        make_organisation("552081317", "=1+1 Conseil"),
        number="RCF-2026-0042",
        declaration=declaration,
    )

    body = client.get("/opendata/certificats.csv").content.decode("utf-8")

    assert ',"\'=1+1 Conseil",' in body
    # The brands are one cell: only its first character counts, and it is plain text here.
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["name"] == "'=1+1 Conseil"
    assert row["brands"] == "Normale;" + ";".join(FORMULAS)
    json_row = client.get("/opendata/certificats.json").json()[0]
    assert json_row["name"] == "=1+1 Conseil"
    assert json_row["brands"] == "Normale;" + ";".join(FORMULAS)


@pytest.mark.parametrize("value", FORMULAS)
def test_every_formula_trigger_is_neutralised_and_quoted(client: Client, value: str) -> None:
    """Each first character OWASP lists (= + - @ tab CR) gets the quote and the quotes."""
    declaration = example_declaration()
    declaration["applicant"]["brands"] = [value]
    make_certificate(make_organisation("552081317", "Sage"), declaration=declaration)

    body = client.get("/opendata/certificats.csv").content.decode("utf-8")

    assert ",\"'" + value.replace('"', '""') + '",' in body
    [row] = list(csv.DictReader(io.StringIO(body)))
    assert row["brands"] == "'" + value
    assert row["name"] == "Sage"
    assert ",Sage," in body
    assert client.get("/opendata/certificats.json").json()[0]["brands"] == value


def test_the_schema_tells_how_the_csv_neutralises_formulas(client: Client) -> None:
    """Re-users learn from the schema why a value may begin with a quote in the CSV."""
    schema = client.get("/opendata/schema.json").json()
    fields = {f["name"]: f for f in schema["fields"]}
    for text in (
        schema["description"],
        fields["name"]["description"],
        fields["brands"]["description"],
    ):
        assert "précédée d'une apostrophe (')" in text
        assert "le fichier JSON donne telle quelle" in text
