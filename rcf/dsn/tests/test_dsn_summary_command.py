"""``rcf dsn summary FILE… [--format text|json]`` (declaration-v1.md §4)."""

from __future__ import annotations

import io
import json
import subprocess
import sys
from pathlib import Path

import pytest
from django.core.management import call_command

from rcf.dsn.reader import read_dsn
from rcf.dsn.summary import DeclarationEntry, DsnSummary, WorkplaceEntry, summary_document

FIXTURES = Path(__file__).parent / "fixtures"
RULES = FIXTURES / "rules.dsn"
TWO = FIXTURES / "two-declarations.dsn"


def run(*args: str) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    call_command("dsn", "summary", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_it_prints_the_json_summary_of_several_files() -> None:
    """``--format json`` prints ``rcf-dsn-summary/1``: every declaration of every file, in
    order, with ``ensure_ascii=False`` and an indent of 2, deterministic to the byte."""
    out, err = run(str(RULES), str(TWO), "--format", "json")
    declarations = read_dsn(RULES) + read_dsn(TWO)
    expected = {"format": "rcf-dsn-summary/1", "declarations": [d.as_dict() for d in declarations]}
    assert out == json.dumps(expected, ensure_ascii=False, indent=2) + "\n"
    assert err == ""
    assert [d["month"] for d in json.loads(out)["declarations"]] == [
        "2026-09",
        "2026-08",
        "2026-09",
    ]
    assert list(json.loads(out)["declarations"][0]) == [
        "file",
        "siren",
        "siret",
        "month",
        "nature",
        "type",
        "individuals",
        "workplaces",
        "ended_before_month_end",
    ]


def test_it_prints_a_french_text_summary_by_default() -> None:
    """The default format is for people: declaration, establishment, counts, and each
    workplace with its territory, headcount by contract nature and workers abroad."""
    out, _ = run(str(RULES))
    assert out.splitlines() == [
        "rules.dsn — mois 2026-09",
        "  Déclaration : nature 01 (DSN mensuelle), type 01 (normale)",
        "  Entreprise (SIREN) 815881396, établissement déclarant (SIRET) 81588139600015",
        "  Individus déclarés : 11, dont 3 sans contrat actif au dernier jour du mois",
        "  Contrats actifs au dernier jour du mois, par lieu de travail :",
        "    81588139600015 (France métropolitaine) : 5 personnes — "
        "01 (CDI de droit privé) : 4 ; 02 (CDD de droit privé) : 1 ; "
        "détachés ou expatriés : 0",
        "    81588139600023 (Départements et régions d'outre-mer) : 1 personne — "
        "01 (CDI de droit privé) : 1 ; détachés ou expatriés : 0",
        "    CHANTIER-BE (Hors du champ du Code du travail) : 1 personne — "
        "01 (CDI de droit privé) : 1 ; détachés ou expatriés : 1",
        "    DOMICILE-01 (France métropolitaine) : 1 personne — "
        "02 (CDD de droit privé) : 1 ; détachés ou expatriés : 0",
    ]


def test_it_exits_2_with_every_error_and_no_summary_when_a_file_is_malformed() -> None:
    """One malformed file among several: exit status 2, each ``FILE:LINE: message`` on
    stderr, nothing at all on stdout."""
    out, err = io.StringIO(), io.StringIO()
    empty_value, missing_nic = FIXTURES / "empty-value.dsn", FIXTURES / "missing-nic.dsn"
    with pytest.raises(SystemExit) as caught:
        call_command(
            "dsn",
            "summary",
            str(RULES),
            str(empty_value),
            str(missing_nic),
            "--format",
            "json",
            stdout=out,
            stderr=err,
        )
    assert caught.value.code == 2
    assert out.getvalue() == ""
    assert err.getvalue().splitlines() == [
        f"{empty_value}:11: S21.G00.30.002 : valeur vide",
        f"{missing_nic}:8: NIC manquant (S21.G00.11.001)",
    ]


def test_it_sets_the_exit_status_of_the_process() -> None:
    """As a process: 0 for readable files, 2 for a malformed one (stdout empty)."""
    command = [sys.executable, "-m", "rcf", "dsn", "summary"]
    ok = subprocess.run([*command, str(TWO), "--format", "json"], capture_output=True, check=False)
    assert (ok.returncode, json.loads(ok.stdout)["format"]) == (0, "rcf-dsn-summary/1")
    bad = FIXTURES / "total-mismatch.dsn"
    failed = subprocess.run([*command, str(TWO), str(bad)], capture_output=True, check=False)
    assert (failed.returncode, failed.stdout) == (2, b"")
    assert failed.stderr.decode().splitlines() == [
        f"{bad}:27: S90.G00.90.001 annonce 27 rubriques, l'envoi en compte 28"
    ]


def test_the_summary_types_list_the_published_keys_in_order() -> None:
    """``DsnSummary`` and its entries name the keys of ``rcf-dsn-summary/1`` in their order."""
    document = summary_document(read_dsn(FIXTURES / "rules.dsn"))
    assert list(document) == list(DsnSummary.__annotations__)
    assert document["declarations"]
    for declaration in document["declarations"]:
        assert list(declaration) == list(DeclarationEntry.__annotations__)
        for place in declaration["workplaces"]:
            assert list(place) == list(WorkplaceEntry.__annotations__)
