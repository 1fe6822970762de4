"""``rcf evaluate FILE [--dsn FILE]… [--format text|json]`` and ``rcf schema declaration``.

Exit status: 0 eligible, 1 not eligible, 3 to verify, 2 input error with every error on
stderr as ``FILE: /pointer: message``. RCF-01 is judged against the Member table.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path

import pytest
from django.core.management import call_command

import rcf.dsn
from rcf.dsn.generator import Contract, DsnSpec, Employee, fake_nir, generate_dsn
from rcf.dsn.generator import Declaration as DsnDeclaration
from rcf.members.models import Member
from rcf.referentiel.declaration import declaration_schema_text
from rcf.referentiel.engine import dumps_evaluation, evaluate_declaration
from rcf.referentiel.evidence import PayrollDeclaration
from rcf.referentiel.tests.builders import (
    EXAMPLES,
    MUTUELLE_SIREN,
    dsn,
    example,
    example_memberships,
)
from tests.support.commands import run_rcf

pytestmark = pytest.mark.django_db

MUTUELLE = str(EXAMPLES / "mutuelle-sans-dsn.json")
TELECOM = str(EXAMPLES / "telecom-offshore.json")
ERRORS = str(EXAMPLES / "erreurs-de-saisie.json")


class FakeDsnFileError(Exception):
    """Stands for ``rcf.dsn.DsnFileError``: ``errors`` are ``FILE:LINE: message``."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__(errors)
        self.errors = errors


@pytest.fixture
def members() -> None:
    """The rows of examples/members.csv in the membership registry."""
    with (EXAMPLES / "members.csv").open(encoding="utf-8", newline="") as file:
        for row in csv.DictReader(file):
            Member.objects.create(
                member_number=row["member_number"],
                siren=row["siren"],
                name=row["name"],
                valid_from=dt.date.fromisoformat(row["valid_from"]),
                valid_until=dt.date.fromisoformat(row["valid_until"])
                if row["valid_until"]
                else None,
            )


class FakeDsnReader:
    """Stands for ``rcf.dsn.read_payroll_evidence``: gives ``payroll`` or raises ``errors``."""

    def __init__(self) -> None:
        self.payroll: list[PayrollDeclaration] = []
        self.errors: list[str] = []
        self.calls: list[list[str]] = []

    def __call__(self, paths: list[str]) -> list[PayrollDeclaration]:
        self.calls.append(paths)
        if self.errors:
            raise FakeDsnFileError(self.errors)
        return self.payroll


@pytest.fixture
def dsn_reader(monkeypatch: pytest.MonkeyPatch) -> FakeDsnReader:
    """The command's DSN reader replaced, so these tests check the wiring only."""
    reader = FakeDsnReader()
    monkeypatch.setattr(rcf.dsn, "read_payroll_evidence", reader, raising=False)
    monkeypatch.setattr(rcf.dsn, "DsnFileError", FakeDsnFileError, raising=False)
    return reader


def test_it_exits_3_for_the_mutuelle_without_dsn(members: None) -> None:
    """mutuelle-sans-dsn.json: to verify, exit 3, a French report on stdout."""
    result = run_rcf("evaluate", MUTUELLE)
    assert result.status == 3
    assert "VERDICT : À VÉRIFIER\n" in result.stdout
    assert "Aucune DSN fournie pour l'établissement 84533314500017" in result.stdout
    assert result.stderr == ""


def test_it_exits_1_for_the_offshore_telecom(members: None) -> None:
    """telecom-offshore.json: not eligible, exit 1."""
    result = run_rcf("evaluate", TELECOM)
    assert result.status == 1
    assert "VERDICT : NON ÉLIGIBLE\n" in result.stdout


def test_it_exits_0_for_the_mutuelle_with_a_dsn_of_niort(
    members: None, dsn_reader: FakeDsnReader
) -> None:
    """With a DSN listing 65 active individuals at Niort, the mutuelle is eligible: exit 0.
    The --dsn files are all handed to the DSN reader, in order."""
    dsn_reader.payroll = [dsn(headcount=65, month="2026-09")]
    result = run_rcf("evaluate", MUTUELLE, "--dsn", "a.dsn", "--dsn", "b.dsn")
    assert result.status == 0, result.stdout
    assert "VERDICT : ÉLIGIBLE\n" in result.stdout
    assert dsn_reader.calls == [["a.dsn", "b.dsn"]]


def test_it_exits_2_with_every_error_of_the_erroneous_example_on_stderr(members: None) -> None:
    """erreurs-de-saisie.json: exit 2, the four errors as FILE: /pointer: message, no stdout."""
    result = run_rcf("evaluate", ERRORS)
    assert result.status == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{ERRORS}: /operators/0: champ inconnu « colour »",
        f"{ERRORS}: /sites/0/location: le pays GP (Guadeloupe) contredit le code commune "
        "INSEE 79191",
        f"{ERRORS}: /workforce/1/headcount: doit être supérieur ou égal à 0 (reçu : -3)",
        f"{ERRORS}: /workforce/2/site: site inconnu « maison »",
    ]


def test_it_prints_the_evaluation_as_json_byte_for_byte(members: None) -> None:
    """--format json prints rcf-evaluation/1 exactly as dumps_evaluation writes it."""
    result = run_rcf("evaluate", TELECOM, "--format", "json")
    expected = evaluate_declaration(
        example("telecom-offshore"), memberships=example_memberships(), payroll=[]
    )
    assert result.status == 1
    assert result.stdout == dumps_evaluation(expected)
    assert json.loads(result.stdout)["metrics"]["share_compliant"] == 0.454


def test_it_judges_membership_against_the_registry() -> None:
    """Without the applicant in the Member table, RCF-01 fails: not eligible."""
    result = run_rcf("evaluate", MUTUELLE, "--format", "json")
    assert result.status == 1
    assert json.loads(result.stdout)["requirements"][0]["findings"][0]["code"] == "not_a_member"


def test_it_reports_a_json_syntax_error_with_line_and_column(tmp_path: Path) -> None:
    """A file that is not JSON: exit 2, one error at the document with line and column."""
    broken = tmp_path / "broken.json"
    broken.write_text('{\n  "format": "rcf-declaration/1",\n}\n', encoding="utf-8")
    result = run_rcf("evaluate", str(broken))
    assert result.status == 2
    assert result.stderr == (
        f"{broken}: : JSON mal formé, ligne 3, colonne 1 : nom de champ entre guillemets attendu\n"
    )


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    """A declaration that cannot be read: exit 2 with the reason."""
    result = run_rcf("evaluate", str(tmp_path / "absent.json"))
    assert result.status == 2
    assert result.stderr.startswith(f"{tmp_path / 'absent.json'}: : lecture impossible")


def test_it_reports_malformed_dsn_and_declaration_errors_together(
    dsn_reader: FakeDsnReader,
) -> None:
    """A malformed DSN: exit 2 with its FILE:LINE errors, after the declaration's errors."""
    dsn_reader.errors = ["a.dsn:3: valeur vide interdite", "a.dsn:9: bloc hors d'ordre"]
    result = run_rcf("evaluate", ERRORS, "--dsn", "a.dsn")
    assert result.status == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 6
    assert lines[0].startswith(f"{ERRORS}: /operators/0: ")
    assert lines[4:] == ["a.dsn:3: valeur vide interdite", "a.dsn:9: bloc hors d'ordre"]


def test_it_reports_a_malformed_dsn_with_a_valid_declaration(
    members: None, dsn_reader: FakeDsnReader
) -> None:
    """A malformed DSN alone is enough to refuse the run: nothing is evaluated."""
    dsn_reader.errors = ["a.dsn:1: ligne mal formée"]
    result = run_rcf("evaluate", MUTUELLE, "--dsn", "a.dsn")
    assert (result.status, result.stdout, result.stderr) == (2, "", "a.dsn:1: ligne mal formée\n")


def test_it_raises_system_exit_through_call_command(
    members: None, dsn_reader: FakeDsnReader
) -> None:
    """Called from Python, a verdict other than eligible is a SystemExit with its status;
    eligible returns normally."""
    with pytest.raises(SystemExit) as raised:
        call_command("evaluate", TELECOM, "--format", "json", stdout=io.StringIO())
    assert raised.value.code == 1
    with pytest.raises(SystemExit) as raised:
        call_command("evaluate", MUTUELLE, stdout=io.StringIO())
    assert raised.value.code == 3
    dsn_reader.payroll = [dsn(headcount=67)]
    out = io.StringIO()
    call_command("evaluate", MUTUELLE, "--dsn", "niort.dsn", "--format", "json", stdout=out)
    assert json.loads(out.getvalue())["verdict"] == "eligible"


def test_it_prints_the_published_schema(tmp_path: Path) -> None:
    """rcf schema declaration: the schema file exactly, exit 0."""
    result = run_rcf("schema", "declaration")
    assert (result.status, result.stderr) == (0, "")
    assert result.stdout == declaration_schema_text()
    assert json.loads(result.stdout)["title"] == "rcf-declaration/1"


def test_it_refuses_an_unknown_schema_name() -> None:
    """Only the published formats are known."""
    assert run_rcf("schema", "nothing").status != 0


def write_dsn(path: Path, *, people: int, month: str = "2026-09") -> str:
    """A DSN file of the mutuelle's Niort establishment: ``people`` CDI active all month."""
    employees = [
        Employee(fake_nir(number), contracts=(Contract(dt.date(2020, 1, 6)),))
        for number in range(1, people + 1)
    ]
    spec = DsnSpec((DsnDeclaration(MUTUELLE_SIREN, "00017", month, employees, pay_lines=2),))
    with path.open("wb") as out:
        generate_dsn(spec, out)
    return str(path)


@pytest.mark.parametrize(("people", "status"), [(65, 0), (62, 3)])
def test_it_reads_real_dsn_files(members: None, tmp_path: Path, people: int, status: int) -> None:
    """End to end with the DSN reader: 65 active people at Niort make the mutuelle eligible
    (exit 0); 62 leave 67 declared above 62 + 4 (exit 3, declared_exceeds_payroll)."""
    result = run_rcf(
        "evaluate", MUTUELLE, "--dsn", write_dsn(tmp_path / "niort.dsn", people=people),
        "--format", "json",
    )  # fmt: skip
    assert result.status == status, result.stderr
    rcf07 = json.loads(result.stdout)["requirements"][6]
    assert [(f["code"], f.get("payroll")) for f in rcf07["findings"]] == (
        [] if status == 0 else [("declared_exceeds_payroll", 62)]
    )


def test_it_refuses_a_malformed_dsn_file(members: None, tmp_path: Path) -> None:
    """A DSN file that is not DSN: exit 2 with the reader's FILE:LINE errors."""
    broken = tmp_path / "broken.dsn"
    broken.write_bytes(b"not a DSN line\n")
    result = run_rcf("evaluate", MUTUELLE, "--dsn", str(broken))
    assert (result.status, result.stdout) == (2, "")
    assert result.stderr.startswith(f"{broken}:1: ")


def test_it_judges_a_version_2_file_under_version_2(members: None) -> None:
    """mutuelle-v2-numero-surtaxe.json (examples/README.md): not eligible, exit 1; RCF-09 with
    one surcharged customer-service number; RCF-01 … RCF-09, scheme_version "2"."""
    result = run_rcf(
        "evaluate", str(EXAMPLES / "mutuelle-v2-numero-surtaxe.json"), "--format", "json"
    )
    assert (result.status, result.stderr) == (1, "")
    evaluation = json.loads(result.stdout)
    assert evaluation["scheme_version"] == "2"
    assert [r["id"] for r in evaluation["requirements"]] == [f"RCF-0{n}" for n in range(1, 10)]
    assert {
        r["id"]: r["status"] for r in evaluation["requirements"] if r["status"] != "conforme"
    } == {
        "RCF-07": "a_verifier",
        "RCF-09": "non_conforme",
    }
    assert evaluation["requirements"][8]["findings"] == [
        {
            "code": "surcharged_customer_service_number",
            "status": "non_conforme",
            "contact_point": "reclamations",
            "number": "+33892681234",
            "message": evaluation["requirements"][8]["findings"][0]["message"],
        }
    ]
    text = run_rcf("evaluate", str(EXAMPLES / "mutuelle-v2-numero-surtaxe.json"))
    assert "point de contact reclamations · numéro +33892681234" in text.stdout


def test_it_prints_the_version_2_schema_on_request() -> None:
    """rcf schema declaration --version 2: the version 2 file; without it, version 1."""
    result = run_rcf("schema", "declaration", "--version", "2")
    assert (result.status, result.stderr) == (0, "")
    assert result.stdout == declaration_schema_text("2")
    assert json.loads(result.stdout)["title"] == "rcf-declaration/2"
    assert json.loads(run_rcf("schema", "declaration").stdout)["title"] == "rcf-declaration/1"
    assert run_rcf("schema", "declaration", "--version", "3").status == 2
