"""Who counts, and where: référentiel §3 point 3 as the DSN reader applies it."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest

from rcf.dsn import read_payroll_evidence
from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, Workplace, generate_dsn
from rcf.dsn.reader import DsnReader, read_dsn
from rcf.dsn.summary import DeclarationEntry
from rcf.referentiel.evidence import PayrollDeclaration, WorkplaceCount

FIXTURES = Path(__file__).parent / "fixtures"
SIRET = "81588139600015"
LAST_DAY = date(2026, 9, 30)


def summarize(*employees: Employee, workplaces: tuple[Workplace, ...] = ()) -> DeclarationEntry:
    """The summary of a September 2026 DSN holding these employees."""
    decl = Declaration("815881396", "00015", "2026-09", employees, workplaces, pay_lines=3)
    out = io.BytesIO()
    generate_dsn(DsnSpec((decl,)), out)
    out.seek(0)
    (summary,) = DsnReader("rule.dsn").read(out)
    return summary.as_dict()


def test_it_summarizes_the_rules_fixture_exactly() -> None:
    """``rules.dsn`` (CRLF, Latin-1) holds one individual per rule; the summary is the one
    worked out by hand:

    * DUPONT, CDI since 2020: active. BERNARD, CDD starting on the last day: active.
    * THOMAS, starts the day after the month: not active. PETIT, ended on the 15th: not active.
    * ROBERT, ended on the last day itself: active. RICHARD, end annulled (motif 099): active.
    * DURAND, first contract ended, second (CDD at DOMICILE-01) active: counted there, as 02.
    * N'GUYEN, NTT without NIR, at another SIRET whose 85 block is in La Réunion: ``drom``.
    * LEROY, détaché (40.024 = 01) at CHANTIER-BE, code pays BE: ``outside``, working abroad.
    * MOREAU, frontalier (03): not working abroad. DUPONT again (same NIR): counted once.
    * O'CONNOR Hélène, ended in August: not active. ENTREPOT-NC has nobody: not listed.
    * An unknown rubrique (S21.G00.30.099) is skipped.
    """
    (summary,) = read_dsn(FIXTURES / "rules.dsn")
    assert summary.as_dict() == {
        "file": "rules.dsn",
        "siren": "815881396",
        "siret": SIRET,
        "month": "2026-09",
        "nature": "01",
        "type": "01",
        "individuals": 11,
        "workplaces": [
            {
                "workplace": SIRET,
                "territory": "metropole",
                "headcount": 5,
                "by_contract_nature": {"01": 4, "02": 1},
                "working_abroad": 0,
            },
            {
                "workplace": "81588139600023",
                "territory": "drom",
                "headcount": 1,
                "by_contract_nature": {"01": 1},
                "working_abroad": 0,
            },
            {
                "workplace": "CHANTIER-BE",
                "territory": "outside",
                "headcount": 1,
                "by_contract_nature": {"01": 1},
                "working_abroad": 1,
            },
            {
                "workplace": "DOMICILE-01",
                "territory": "metropole",
                "headcount": 1,
                "by_contract_nature": {"02": 1},
                "working_abroad": 0,
            },
        ],
        "ended_before_month_end": 3,
    }


def test_it_reads_several_declarations_of_one_envoi() -> None:
    """Each S20 is one declaration with its own establishment and month; the first contract
    active on the last day decides the nature; an end on the last day (31 August) leaves the
    contract active; a « néant » declaration has no workplace; the declaring establishment
    is classified from its postal code (97133, Saint-Barthélemy)."""
    first, second = read_dsn(FIXTURES / "two-declarations.dsn")
    assert first.as_dict() == {
        "file": "two-declarations.dsn",
        "siren": "815881396",
        "siret": "81588139600023",
        "month": "2026-08",
        "nature": "01",
        "type": "01",
        "individuals": 2,
        "workplaces": [
            {
                "workplace": "81588139600023",
                "territory": "com_code_du_travail",
                "headcount": 2,
                "by_contract_nature": {"01": 1, "03": 1},
                "working_abroad": 0,
            }
        ],
        "ended_before_month_end": 0,
    }
    assert (second.month, second.type, second.individuals, second.workplaces) == (
        "2026-09",
        "02",
        0,
        (),
    )


@pytest.mark.parametrize(
    ("contract", "active"),
    [
        (Contract(date(2020, 1, 1)), True),
        (Contract(LAST_DAY), True),
        (Contract(date(2026, 10, 1)), False),
        (Contract(date(2020, 1, 1), end=date(2026, 9, 29)), False),
        (Contract(date(2020, 1, 1), end=LAST_DAY), True),
        (Contract(date(2020, 1, 1), end=date(2026, 10, 15)), True),
        (Contract(date(2020, 1, 1), end=date(2026, 9, 1), end_motif="099"), True),
    ],
    ids=[
        "started-before",
        "starts-on-last-day",
        "starts-after-last-day",
        "ended-day-before-last",
        "ends-on-last-day",
        "ends-after-last-day",
        "end-annulled",
    ],
)
def test_it_counts_a_contract_active_on_the_last_day_of_the_month(
    contract: Contract, active: bool
) -> None:
    """Active: start on or before the last day, no end before it (an end on the last day
    itself leaves the contract active), an end with motif 099 being an annulment."""
    summary = summarize(Employee("1800159350001", contracts=(contract,)))
    assert summary["individuals"] == 1
    assert summary["ended_before_month_end"] == (0 if active else 1)
    assert [w["headcount"] for w in summary["workplaces"]] == ([1] if active else [])


def test_it_counts_an_individual_at_the_workplace_of_its_first_active_contract() -> None:
    """With several active contracts, the first in the file gives workplace and nature; a
    contract without ``S21.G00.40.019`` is at the declaring establishment."""
    summary = summarize(
        Employee(
            "1800159350001",
            contracts=(
                Contract(date(2020, 1, 1), "01", end=date(2026, 9, 10)),
                Contract(date(2026, 9, 11), "02", workplace="DOMICILE-01"),
                Contract(date(2026, 9, 11), "07"),
            ),
        ),
        Employee("2800159350002", contracts=(Contract(date(2020, 1, 1), "03"),)),
    )
    assert [(w["workplace"], w["by_contract_nature"]) for w in summary["workplaces"]] == [
        (SIRET, {"03": 1}),
        ("DOMICILE-01", {"02": 1}),
    ]


def test_it_counts_an_individual_declared_twice_once() -> None:
    """Individuals are distinct by NIR (or NTT without NIR): the same NIR in two S21.G00.30
    blocks is one individual, active when either block has an active contract."""
    summary = summarize(
        Employee("1800159350001", contracts=(Contract(date(2020, 1, 1), end=date(2026, 9, 2)),)),
        Employee("1800159350001", contracts=(Contract(date(2026, 9, 3)),)),
        Employee(None, "NTT0001", contracts=(Contract(date(2020, 1, 1)),)),
        Employee(None, "NTT0001", contracts=(Contract(date(2020, 1, 1)),)),
    )
    assert (summary["individuals"], summary["ended_before_month_end"]) == (2, 0)
    assert summary["workplaces"][0]["headcount"] == 2


@pytest.mark.parametrize(("abroad", "counted"), [("01", 1), ("02", 1), ("03", 0), ("99", 0)])
def test_it_counts_detached_and_expatriate_workers_as_working_abroad(
    abroad: str, counted: int
) -> None:
    """Working abroad: the active contract's ``S21.G00.40.024`` is 01 (détaché) or 02
    (expatrié); 03 (frontalier) and 99 are not."""
    summary = summarize(Employee("1800159350001", contracts=(Contract(LAST_DAY, abroad=abroad),)))
    assert summary["workplaces"][0]["working_abroad"] == counted


def test_it_gives_the_territory_of_each_workplace_from_its_85_block() -> None:
    """A workplace's territory comes from the S21.G00.85 block with its identifier: foreign
    code pays → outside, commune code → its territory, no block → unknown."""
    places = ("A-REUNION", "B-BELGIQUE", "C-NOUMEA", "D-SANS-BLOC", "E-SAINT-MARTIN")
    summary = summarize(
        *(
            Employee(f"18001593500{n:02d}", contracts=(Contract(LAST_DAY, workplace=place),))
            for n, place in enumerate(places)
        ),
        workplaces=(
            Workplace("A-REUNION", commune="97411"),
            Workplace("B-BELGIQUE", country="BE"),
            Workplace("C-NOUMEA", commune="98818"),
            Workplace("E-SAINT-MARTIN", country="FR", commune="97801"),
        ),
    )
    assert [(w["workplace"], w["territory"]) for w in summary["workplaces"]] == [
        ("A-REUNION", "drom"),
        ("B-BELGIQUE", "outside"),
        ("C-NOUMEA", "outside"),
        ("D-SANS-BLOC", "unknown"),
        ("E-SAINT-MARTIN", "com_code_du_travail"),
    ]


def test_it_gives_the_engine_counts_without_territories() -> None:
    """``read_payroll_evidence`` turns each declaration into the engine's
    ``PayrollDeclaration``: same identifiers and counts, workplaces in the summary's order."""
    (evidence,) = read_payroll_evidence([FIXTURES / "two-declarations.dsn"])[:1]
    assert evidence == PayrollDeclaration(
        source="two-declarations.dsn",
        siren="815881396",
        siret="81588139600023",
        month="2026-08",
        nature="01",
        type="01",
        workplaces=(WorkplaceCount("81588139600023", 2, 0),),
    )
