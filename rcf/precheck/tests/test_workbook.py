"""The declaration workbook: JSON → XLSX → JSON gives the same document, and a workbook's
errors are located at their cells (``docs/declaration-workbook.md``)."""

from __future__ import annotations

import copy
import io
import json
import zipfile
from collections.abc import Callable
from typing import Any

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcf.precheck.workbook import (
    MAX_UNCOMPRESSED_BYTES,
    WorkbookError,
    blank_workbook,
    declaration_to_workbook,
    json_to_workbook,
    read_declaration_file,
    read_workbook,
    workbook_declaration,
)
from rcf.referentiel.declaration import DeclarationError, validate_declaration
from rcf.referentiel.tests.builders import example
from rcf.referentiel.versions import load_scheme

LIMIT = 20 * 1024 * 1024
SCHEME = load_scheme("1")
CONTRACTS = sorted(SCHEME.contract_kinds)


def round_trip(document: dict[str, Any]) -> dict[str, Any]:
    return read_workbook(declaration_to_workbook(document), max_bytes=LIMIT).document


def edited(document: dict[str, Any], edit: Callable[[openpyxl.Workbook], None]) -> bytes:
    """The workbook of ``document`` changed by ``edit``, as a person would in a spreadsheet."""
    wb = openpyxl.load_workbook(io.BytesIO(declaration_to_workbook(document)))
    edit(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def errors_of(data: bytes) -> list[str]:
    with pytest.raises(WorkbookError) as caught:
        workbook_declaration(data, max_bytes=LIMIT)
    return [str(e) for e in caught.value.errors]


@pytest.mark.parametrize("name", ["mutuelle-sans-dsn", "telecom-offshore"])
def test_the_examples_come_back_unchanged(name: str) -> None:
    document = example(name)
    assert round_trip(document) == document
    # In the order of the format, too: the JSON a person reads back looks like the original.
    assert list(round_trip(document)) == list(document)


def test_the_workbook_has_one_sheet_per_part_with_french_and_json_headers() -> None:
    data = json_to_workbook(json.dumps(example("mutuelle-sans-dsn")))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["Entreprise", "Opérateurs", "Sites", "Effectifs", "Listes"]
    sites = wb["Sites"]
    assert sites["A1"].value == "Identifiant *"
    assert sites["A2"].value == "id"
    assert sites["F2"].value == "location.country"
    assert sites["L3"].value == "telephone\nemail\npostal_mail"
    assert sites["E3"].value == "84533314500017" and sites["E3"].data_type == "s"
    assert wb["Opérateurs"]["H3"].value == "oui"
    assert wb["Effectifs"]["E3"].value == 64
    company = {row[1].value: row[2].value for row in wb["Entreprise"].iter_rows(min_row=3)}
    assert company["reference_date"] == "2026-06-30"
    assert company["scope.channels.chat"] == "not_performed"
    # Enumerations are lists to pick from, taken from the scheme's data.
    validations = {
        str(dv.sqref): dv.formula1 for dv in wb["Effectifs"].data_validations.dataValidation
    }
    contracts = validations["C3:C1048576"]
    sheet, cells = contracts.lstrip("=").split("!")
    column = cells.split(":")[0].replace("$", "").rstrip("0123456789")
    listed = [c.value for c in wb[sheet][column][2:] if c.value]
    assert listed == list(SCHEME.contract_kinds)
    assert validations["E3:E1048576"] == "0"  # headcount: a whole number ≥ 0


def test_a_version_2_declaration_keeps_its_contact_points() -> None:
    document = example("mutuelle-sans-dsn")
    document["format"] = "rcf-declaration/2"
    document["contact_points"] = [
        {
            "id": "sc-tel",
            "channel": "telephone",
            "value": "05 49 00 00 00",
            "purpose": "customer_service",
            "brands": [],
            "sites": ["niort", "brest"],
        },
        {
            "id": "courriel",
            "channel": "email",
            "value": "=contact@example.fr",
            "purpose": "sales",
            "brands": ["Mutuelle Exemple"],
            "sites": ["niort"],
        },
    ]
    data = declaration_to_workbook(document)
    assert "Points de contact" in openpyxl.load_workbook(io.BytesIO(data)).sheetnames
    assert read_workbook(data, max_bytes=LIMIT).document == document


def test_the_version_2_example_round_trips_with_the_schemes_lists_and_notes() -> None:
    """Against the shipped version 2: the example is valid before and after, the purposes and
    contact channels offered are the scheme file's, the value column says what the schema says."""
    document = example("mutuelle-v2-numero-surtaxe")
    assert validate_declaration(copy.deepcopy(document)) == []
    data = declaration_to_workbook(document)
    assert round_trip(document) == document
    wb = openpyxl.load_workbook(io.BytesIO(data))
    sheet = wb["Points de contact"]
    names = [cell.value for cell in sheet[2]]
    value = sheet.cell(row=1, column=names.index("value") + 1)
    assert value.comment is not None
    assert "numéro en forme nationale (09 69 32 00 00)" in value.comment.text
    validations = {str(dv.sqref): dv.formula1 for dv in sheet.data_validations.dataValidation}
    column = "ABCDEF"[names.index("purpose")]
    listed_in, cells = validations[f"{column}3:{column}1048576"].lstrip("=").split("!")
    first = cells.split(":")[0].replace("$", "").rstrip("0123456789")
    offered = [c.value for c in wb[listed_in][first][2:] if c.value]
    contact_points = load_scheme("2").section("contact_points")
    assert offered == list(contact_points["purposes"])


def test_a_version_1_workbook_has_no_contact_points_sheet_and_refuses_one() -> None:
    document = example("mutuelle-sans-dsn")

    def add_contact_points(wb: openpyxl.Workbook) -> None:
        sheet = wb.create_sheet("Points de contact")
        sheet.append(["Identifiant"])
        sheet.append(["id"])
        sheet.append(["tel"])

    assert (
        "Points de contact"
        not in openpyxl.load_workbook(io.BytesIO(declaration_to_workbook(document))).sheetnames
    )
    errors = errors_of(edited(document, add_contact_points))
    assert errors[0].startswith("'Points de contact'!A3: ")
    assert "rcf-declaration/2" in errors[0]


# -- the property ------------------------------------------------------------------------------

TEXT = st.text(
    # Any printable text a declaration accepts (no control, invisible-format, surrogate or
    # separator characters: names refuse them), including what a spreadsheet would misread:
    # « =1+1 », « 0123 ».
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cc", "Cf", "Cs", "Zl", "Zp")),
    min_size=1,
    max_size=20,
).filter(lambda t: t != '""')
TRICKY = st.one_of(TEXT, st.sampled_from(["=SUM(A1:A3)", "0042", "1e5", "TRUE", " espaces "]))
IDS = st.from_regex(r"[a-z0-9][a-z0-9_-]{0,10}", fullmatch=True).filter(lambda i: i != "applicant")


@st.composite
def declarations(draw: st.DrawFn) -> dict[str, Any]:
    """Valid declarations: the examples with their texts, optional fields, lists, booleans,
    dates, numbers and scope drawn at random."""
    document = example(draw(st.sampled_from(["mutuelle-sans-dsn", "telecom-offshore"])))
    document["reference_date"] = draw(st.dates()).isoformat().rjust(10, "0")
    document["applicant"]["name"] = draw(TRICKY)
    document["applicant"]["brands"] = draw(
        st.lists(TRICKY.filter(lambda t: "\n" not in t and "\r" not in t), max_size=3)
    )
    for dimension in ("channels", "activities", "phases"):
        for item in list(document["scope"][dimension]):
            status = draw(st.sampled_from(["performed", "not_performed", None]))
            if status is None:
                del document["scope"][dimension][item]
            else:
                document["scope"][dimension][item] = status
    renames: dict[str, str] = {}
    for operator in document["operators"]:
        new_id = draw(IDS)
        if new_id in renames.values() or new_id in {o["id"] for o in document["operators"]}:
            new_id = operator["id"]
        renames[operator["id"]] = new_id
        operator["id"] = new_id
        operator["name"] = draw(TRICKY)
        operator["france_clause"] = draw(st.booleans())
        for optional in ("contract_reference", "foreign_id"):
            choice = draw(st.sampled_from(["absent", "empty", "text"]))
            operator.pop(optional, None)
            if choice == "empty":
                operator[optional] = ""
            elif choice == "text":
                operator[optional] = draw(TRICKY)
    for operator in document["operators"]:
        operator["parent"] = renames.get(operator["parent"], operator["parent"])
    for site in document["sites"]:
        site["operator"] = renames.get(site["operator"], site["operator"])
        for key in ("channels", "activities", "phases"):
            codes = list(SCHEME.enumerations[key])
            site[key] = draw(st.lists(st.sampled_from(codes), min_size=1, unique=True))
        if draw(st.booleans()):
            site["name"] = draw(TRICKY)
        else:
            site.pop("name", None)
        if draw(st.booleans()):
            site["location"]["address"] = draw(TEXT)
    for row in document["workforce"]:
        row["employer"] = renames.get(row["employer"], row["employer"])
        row["headcount"] = draw(st.integers(0, 10**12))
        row["contract"] = draw(st.sampled_from(CONTRACTS))
        if draw(st.booleans()):
            row["function"] = draw(st.sampled_from(list(SCHEME.enumerations["functions"])))
    for key in ("notify_changes", "accept_audits"):
        document["commitments"][key] = draw(st.booleans())
    return document


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(declarations())
def test_json_to_workbook_to_json_gives_the_same_declaration(document: dict[str, Any]) -> None:
    assert validate_declaration(document) == []  # the generator makes valid declarations
    assert round_trip(copy.deepcopy(document)) == document


# -- located errors ----------------------------------------------------------------------------


def test_each_wrong_cell_is_named_by_sheet_and_cell() -> None:
    def spoil(wb: openpyxl.Workbook) -> None:
        wb["Effectifs"]["E3"] = "beaucoup"  # headcount: not a number
        wb["Sites"]["C3"] = None  # kind: required
        wb["Opérateurs"]["H3"] = "peut-être"  # france_clause: a boolean
        wb["Effectifs"]["A4"] = "=Sites!A3"  # a formula is never evaluated
        wb["Entreprise"]["C8"] = "souvent"  # scope.channels.telephone: unknown status
        wb["Effectifs"]["C5"] = "contrat-mystere"  # unknown contract kind

    errors = errors_of(edited(example("telecom-offshore"), spoil))
    assert "Effectifs!E3: nombre entier attendu (reçu : « beaucoup »)" in errors
    assert "Sites!C3: cellule obligatoire vide (« kind »)" in errors
    assert "Opérateurs!H3: « oui » ou « non » attendu" in errors
    assert "Effectifs!A4: formule refusée : saisissez la valeur elle-même" in errors
    assert any(e.startswith("Entreprise!C8: valeur inconnue « souvent »") for e in errors)
    assert any(e.startswith("Effectifs!C5: valeur inconnue « contrat-mystere »") for e in errors)
    # The row whose kind is missing is not reported a second time by the validation.
    assert not any("champ obligatoire manquant" in e for e in errors)


def test_the_declaration_s_own_errors_are_mapped_back_to_their_cells() -> None:
    def spoil(wb: openpyxl.Workbook) -> None:
        wb["Effectifs"]["A4"] = "maison"  # a row referencing an unknown site
        wb["Sites"]["G3"] = "1234"  # commune_insee: not 5 characters
        wb["Sites"]["L4"] = "email\npigeon"  # channels: an unknown value inside the list

    errors = errors_of(edited(example("mutuelle-sans-dsn"), spoil))
    assert "Effectifs!A4: site inconnu « maison »" in errors
    assert any(e.startswith("Sites!G3: ") for e in errors)
    assert any(e.startswith("Sites!L4: valeur inconnue « pigeon »") for e in errors)


def test_a_missing_sheet_or_column_is_named() -> None:
    def spoil(wb: openpyxl.Workbook) -> None:
        del wb["Effectifs"]
        wb["Sites"]["C2"] = "nature"

    errors = errors_of(edited(example("mutuelle-sans-dsn"), spoil))
    assert "Effectifs: feuille absente" in errors
    assert "Sites!C2: colonne inconnue « nature »" in errors
    assert "Sites!A2: colonne obligatoire « kind » absente (ligne 2)" in errors
    # Said once: not again by the validation, as a missing « workforce » of the document.
    assert not any("workforce" in e for e in errors)


def test_the_blank_workbook_names_each_cell_to_fill() -> None:
    errors = errors_of(blank_workbook())
    assert "Entreprise!C4: valeur obligatoire (« reference_date »)" in errors
    assert "Entreprise!C5: valeur obligatoire (« applicant.siren »)" in errors


def test_values_typed_by_a_person_are_read_as_meant() -> None:
    """A real date, a SIRET typed as a number, TRUE, a headcount typed as text, blank rows."""
    import datetime as dt

    document = example("mutuelle-sans-dsn")

    def type_in(wb: openpyxl.Workbook) -> None:
        wb["Entreprise"]["C4"] = dt.datetime(2026, 6, 30)
        wb["Sites"]["E3"] = 84533314500017
        wb["Opérateurs"]["H3"] = True
        wb["Effectifs"]["E3"] = "64"
        wb["Effectifs"].insert_rows(4, 2)  # blank rows between groups are skipped

    assert workbook_declaration(edited(document, type_in), max_bytes=LIMIT) == document


# -- files that are refused as a whole ---------------------------------------------------------


def zip_of(members: dict[str, bytes]) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, body in members.items():
            archive.writestr(name, body)
    return out.getvalue()


def refusal(data: bytes, max_bytes: int = LIMIT) -> str:
    with pytest.raises(DeclarationError) as caught:
        read_declaration_file(data, max_bytes=max_bytes)
    return caught.value.errors[0].message


def test_files_that_are_not_workbooks_are_refused_with_a_clear_error() -> None:
    assert "pas un classeur XLSX" in refusal(b"PK\x03\x04 not really a zip")
    assert "pas un classeur XLSX" in refusal(zip_of({"hello.txt": b"hi"}))
    assert "JSON mal formé" in refusal(b"\x00\x01binary")


def test_macros_are_refused() -> None:
    data = declaration_to_workbook(example("mutuelle-sans-dsn"))
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/vbaProject.bin"] = b"\xd0\xcf\x11\xe0"
    assert "macros" in refusal(zip_of(members))


def test_a_decompression_bomb_is_refused_before_it_is_opened() -> None:
    data = declaration_to_workbook(example("mutuelle-sans-dsn"))
    with zipfile.ZipFile(io.BytesIO(data)) as source:
        members = {name: source.read(name) for name in source.namelist()}
    members["xl/media/padding.bin"] = b"\0" * (MAX_UNCOMPRESSED_BYTES + 1)
    bomb = zip_of(members)
    assert len(bomb) < 1024 * 1024
    assert "décompressé" in refusal(bomb)


def test_a_workbook_over_the_size_limit_is_refused() -> None:
    data = declaration_to_workbook(example("mutuelle-sans-dsn"))
    assert "taille maximale" in refusal(data, max_bytes=len(data) - 1)


def test_json_with_wrong_types_is_not_converted() -> None:
    document = example("mutuelle-sans-dsn")
    document["workforce"][0]["headcount"] = "soixante"
    with pytest.raises(DeclarationError) as caught:
        json_to_workbook(json.dumps(document))
    assert [str(e) for e in caught.value.errors] == [
        "/workforce/0/headcount: doit être un nombre entier (reçu : une chaîne)"
    ]


def test_a_sheet_with_too_many_rows_is_refused(monkeypatch: pytest.MonkeyPatch) -> None:
    import rcf.precheck.workbook as workbook

    document = example("mutuelle-sans-dsn")
    document["workforce"] = document["workforce"] * 8  # 32 rows
    data = declaration_to_workbook(document)
    monkeypatch.setattr(workbook, "MAX_ROWS", 25)
    with pytest.raises(WorkbookError) as caught:
        read_workbook(data, max_bytes=LIMIT)
    assert [str(e) for e in caught.value.errors] == ["Effectifs: plus de 25 lignes dans la feuille"]
    monkeypatch.setattr(workbook, "MAX_ROWS", 32)
    assert read_workbook(data, max_bytes=LIMIT).document == document
