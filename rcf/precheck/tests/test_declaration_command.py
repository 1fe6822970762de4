"""``rcf declaration convert IN OUT``: JSON ↔ XLSX by the extensions; exit 0 writing OUT, exit
2 with every located error on stderr and OUT untouched."""

from __future__ import annotations

import io
import json
from pathlib import Path

import openpyxl

from rcf.referentiel.tests.builders import EXAMPLES, example
from tests.support.commands import run_rcf

TELECOM = EXAMPLES / "telecom-offshore.json"


def test_json_to_xlsx_and_back_gives_the_same_declaration(tmp_path: Path) -> None:
    workbook, back = tmp_path / "declaration.xlsx", tmp_path / "declaration.json"
    to_xlsx = run_rcf("declaration", "convert", str(TELECOM), str(workbook))
    assert (to_xlsx.status, to_xlsx.stderr) == (0, "")
    assert workbook.read_bytes()[:2] == b"PK"
    to_json = run_rcf("declaration", "convert", str(workbook), str(back))
    assert (to_json.status, to_json.stderr) == (0, "")
    assert json.loads(back.read_text("utf-8")) == example("telecom-offshore")


def test_a_wrong_workbook_exits_2_with_every_cell_and_writes_nothing(tmp_path: Path) -> None:
    workbook, out = tmp_path / "d.xlsx", tmp_path / "d.json"
    assert run_rcf("declaration", "convert", str(TELECOM), str(workbook)).status == 0
    wb = openpyxl.load_workbook(workbook)
    wb["Sites"]["E3"] = "123"  # siret: 14 characters
    wb["Effectifs"]["E4"] = "douze"
    wb.save(workbook)
    run = run_rcf("declaration", "convert", str(workbook), str(out))
    assert run.status == 2
    lines = run.stderr.splitlines()
    assert f"{workbook}: Effectifs!E4: nombre entier attendu (reçu : « douze »)" in lines
    assert any(line.startswith(f"{workbook}: Sites!E3: ") for line in lines)
    assert not out.exists()


def test_an_invalid_json_exits_2_with_its_pointers(tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    run = run_rcf("declaration", "convert", str(EXAMPLES / "erreurs-de-saisie.json"), str(out))
    assert run.status == 2
    assert f"{EXAMPLES / 'erreurs-de-saisie.json'}: /operators/0: champ inconnu « colour »" in (
        run.stderr.splitlines()
    )
    assert not out.exists()


def test_the_direction_comes_from_the_extensions(tmp_path: Path) -> None:
    same = run_rcf("declaration", "convert", str(TELECOM), str(tmp_path / "copy.json"))
    assert same.status == 2 and ".json et l'autre par .xlsx" in same.stderr
    macro = run_rcf("declaration", "convert", str(tmp_path / "d.xlsm"), str(tmp_path / "d.json"))
    assert macro.status == 2 and "macros" in macro.stderr
    missing = run_rcf("declaration", "convert", str(tmp_path / "absent.xlsx"), "out.json")
    assert missing.status == 2 and "lecture impossible" in missing.stderr


def test_a_file_that_is_not_a_workbook_is_refused(tmp_path: Path) -> None:
    fake = tmp_path / "d.xlsx"
    fake.write_bytes(TELECOM.read_bytes())
    run = run_rcf("declaration", "convert", str(fake), str(tmp_path / "d.json"))
    assert run.status == 2
    assert "ni un document JSON ni un classeur XLSX" in run.stderr


def test_an_existing_output_is_replaced_whole(tmp_path: Path) -> None:
    out = tmp_path / "d.xlsx"
    out.write_bytes(b"old")
    assert run_rcf("declaration", "convert", str(TELECOM), str(out)).status == 0
    assert openpyxl.load_workbook(io.BytesIO(out.read_bytes())).sheetnames[0] == "Entreprise"
    assert [p.name for p in tmp_path.iterdir()] == ["d.xlsx"]
