"""`rcf members import FILE.csv` (declaration-v1.md §4)."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import pytest

from rcf.accounts.choices import Role
from rcf.accounts.models import Organisation
from rcf.accounts.services import user_create
from rcf.members.models import Member
from rcf.members.selectors import memberships_of
from tests.support.commands import run_rcf

EXAMPLES = Path(__file__).resolve().parents[2] / "referentiel" / "examples"
HEADER = "member_number,siren,name,valid_from,valid_until\n"

pytestmark = pytest.mark.django_db


def write(tmp_path: Path, text: str, name: str = "membres.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_it_loads_the_example_registry(tmp_path: Path) -> None:
    """The shared example file loads: open-ended and dated memberships."""
    source = EXAMPLES / "members.csv"
    path = tmp_path / "members.csv"
    shutil.copy(source, path)
    run = run_rcf("members", "import", str(path))
    assert run.status == 0, run.stderr
    assert run.stdout.strip() == "2 adhérents lus : 2 créés, 0 mis à jour, 0 inchangés."
    mutuelle = Member.objects.get(member_number="AFRC-0101")
    assert (mutuelle.siren, mutuelle.name) == ("845333145", "Mutuelle Exemple des Deux-Sèvres")
    assert mutuelle.valid_until is None
    telecom = Member.objects.get(member_number="AFRC-0102")
    assert telecom.valid_until == dt.date(2026, 12, 31)


def test_it_is_idempotent_and_updates_by_member_number(tmp_path: Path) -> None:
    """Re-importing a member number updates it; the same file twice changes nothing."""
    first = write(tmp_path, HEADER + "AFRC-1,845333145,Ancien nom,2022-01-01,\n")
    assert run_rcf("members", "import", str(first)).status == 0
    again = run_rcf("members", "import", str(first))
    assert again.stdout.strip() == "1 adhérents lus : 0 créés, 0 mis à jour, 1 inchangés."
    second = write(tmp_path, HEADER + "AFRC-1,845333145,Nouveau nom,2022-01-01,2027-01-31\n")
    run = run_rcf("members", "import", str(second))
    assert run.stdout.strip() == "1 adhérents lus : 0 créés, 1 mis à jour, 0 inchangés."
    member = Member.objects.get()
    assert (member.name, member.valid_until) == ("Nouveau nom", dt.date(2027, 1, 31))


def test_it_refuses_the_whole_file_with_every_error_located(tmp_path: Path) -> None:
    """All or nothing: one bad line and nothing is written; each error names file and line."""
    Member.objects.create(
        member_number="AFRC-9", siren="845333145", name="Avant", valid_from=dt.date(2020, 1, 1)
    )
    path = write(
        tmp_path,
        HEADER
        + "AFRC-9,845333145,Après,2020-01-01,\n"  # valid: would update
        + "AFRC-2,845333146,Mauvaise clé,2022-01-01,\n"
        + "AFRC-3,804072387,,01/02/2022,\n"
        + "AFRC-9,804072387,Doublon,2022-01-01,2021-01-01\n"
        + "AFRC-4,804072387,Colonnes\n",
    )
    run = run_rcf("members", "import", str(path))
    assert run.status == 2
    assert run.stdout == ""
    lines = run.stderr.splitlines()
    assert lines == [
        f"{path}:3: SIREN invalide « 845333146 » (9 chiffres et clé de contrôle)",
        f"{path}:4: name est vide",
        f"{path}:4: valid_from « 01/02/2022 » n'est pas une date AAAA-MM-JJ",
        f"{path}:5: le numéro d'adhérent AFRC-9 figure déjà ligne 2",
        f"{path}:5: valid_until précède valid_from",
        f"{path}:6: 5 colonnes attendues, 3 trouvées",
        f"{path}: import refusé, rien n'a été modifié.",
    ]
    assert list(Member.objects.values_list("member_number", "name")) == [("AFRC-9", "Avant")]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("", "fichier vide"),
        ("numero,siren\n", "en-tête attendu"),
    ],
)
def test_it_checks_the_header(tmp_path: Path, content: str, message: str) -> None:
    """The header is part of the format: anything else is refused at line 1."""
    run = run_rcf("members", "import", str(write(tmp_path, content)))
    assert run.status == 2
    assert f"{tmp_path / 'membres.csv'}:1: {message}" in run.stderr


def test_it_accepts_a_utf8_bom_and_crlf(tmp_path: Path) -> None:
    """Spreadsheets save CSV with a BOM and CRLF line ends."""
    path = tmp_path / "excel.csv"
    path.write_bytes(
        ("\ufeff" + HEADER + "AFRC-5,804072387,Télécom,2021-06-01,\n")
        .replace("\n", "\r\n")
        .encode("utf-8")
    )
    assert run_rcf("members", "import", str(path)).status == 0
    assert Member.objects.get().name == "Télécom"


def test_it_reports_a_missing_file(tmp_path: Path) -> None:
    run = run_rcf("members", "import", str(tmp_path / "absent.csv"))
    assert run.status == 2
    assert "absent.csv" in run.stderr


def test_memberships_of_gives_the_engine_its_periods() -> None:
    """RCF-01 reads the registry through this selector."""
    Member.objects.create(
        member_number="B", siren="845333145", name="X", valid_from=dt.date(2023, 1, 1)
    )
    Member.objects.create(
        member_number="A",
        siren="845333145",
        name="X",
        valid_from=dt.date(2020, 1, 1),
        valid_until=dt.date(2021, 1, 1),
    )
    Member.objects.create(
        member_number="C", siren="804072387", name="Y", valid_from=dt.date(2020, 1, 1)
    )
    periods = memberships_of("845333145")
    assert [p.member_number for p in periods] == ["A", "B"]
    assert periods[0].covers(dt.date(2020, 6, 1)) and not periods[0].covers(dt.date(2022, 1, 1))
    assert periods[1].covers(dt.date(2030, 1, 1))


@pytest.mark.parametrize(
    ("line", "message"),
    [
        (
            "AFRC-1,845333145,Mutuelle\x00Exemple,2022-01-01,\n",
            "name contient un caractère de contrôle U+0000 en position 9",
        ),
        (
            "AFRC-\x001,845333145,Mutuelle,2022-01-01,\n",
            "member_number contient un caractère de contrôle U+0000 en position 6",
        ),
        (
            "AFRC-1,845333145,Mutuelle\u202eelpmexE,2022-01-01,\n",
            "name contient un caractère de mise en forme invisible U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) en position 9",
        ),
        ("AFRC-1,845333145," + "M" * 201 + ",2022-01-01,\n", "name trop long (201 caractères"),
        ("A" * 33 + ",845333145,Mutuelle,2022-01-01,\n", "member_number trop long (33 caractères"),
    ],
    ids=["nul-in-name", "nul-in-number", "rlo-in-name", "long-name", "long-number"],
)
def test_it_refuses_hidden_characters_and_overlong_cells_at_their_line(
    tmp_path: Path, line: str, message: str
) -> None:
    """A NUL byte used to end in a PostgreSQL traceback: now FILE:LINE, exit 2, nothing written."""
    path = write(tmp_path, HEADER + "AFRC-0,552100554,Bon,2022-01-01,\n" + line)

    run = run_rcf("members", "import", str(path))

    assert run.status == 2
    assert f"{path}:3: {message}" in run.stderr
    assert f"{path}: import refusé, rien n'a été modifié." in run.stderr
    assert not Member.objects.exists()


def test_it_names_an_organisation_created_from_its_siren_alone(tmp_path: Path) -> None:
    """An organisation created unnamed by `rcf users create` takes the registry's name; an
    organisation someone named keeps its name."""
    user_create("alice", [Role.APPLICANT], organisation_siren="845333145")
    user_create("bob", [Role.APPLICANT], organisation_siren="552100554", organisation_name="Gardé")
    path = write(
        tmp_path,
        HEADER
        + "AFRC-1,845333145,Mutuelle Exemple,2022-01-01,\n"
        + "AFRC-2,552100554,Nom du registre,2022-01-01,\n",
    )

    run = run_rcf("members", "import", str(path))

    assert run.status == 0, run.stderr
    assert run.stdout.splitlines()[1] == (
        "1 organisations sans nom nommées d'après le registre : 845333145."
    )
    assert dict(Organisation.objects.values_list("siren", "name")) == {
        "845333145": "Mutuelle Exemple",
        "552100554": "Gardé",
    }
