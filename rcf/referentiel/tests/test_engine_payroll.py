"""RCF-07: the declared in-house headcount against the DSN summaries (référentiel §3, 1–6).

Niort (SIRET 84533314500017) has 67 contributors employed by the applicant (64 + 3); the
telework site and Brest (a subcontractor's) are not checked.
"""

from __future__ import annotations

import pytest

from rcf.referentiel.engine import RequirementResult
from rcf.referentiel.evidence import WorkplaceCount
from rcf.referentiel.tests.builders import (
    NIORT_SIRET,
    codes,
    dsn,
    eligible,
    example,
    requirement,
    run,
    statuses,
)


def rcf07(document: dict, payroll: list) -> RequirementResult:
    return requirement(run(document, payroll=payroll), "RCF-07")


def test_it_finds_no_payroll_evidence_without_a_dsn_with_the_exact_message() -> None:
    """Point 4: no DSN of the site's SIRET and nobody working there → no_payroll_evidence."""
    found = rcf07(eligible(), [])
    assert found["status"] == "a_verifier"
    assert found["findings"] == [
        {
            "code": "no_payroll_evidence",
            "status": "a_verifier",
            "site": "niort",
            "siret": NIORT_SIRET,
            "headcount": 67,
            "message": "Aucune DSN fournie pour l'établissement 84533314500017 "
            "(67 contributeurs salariés de l'entreprise).",
        }
    ]


def test_it_writes_the_singular_for_one_contributor() -> None:
    """Messages agree in number: « 1 contributeur salarié »."""
    document = eligible()
    document["workforce"][0]["headcount"] = 0
    document["workforce"][1]["headcount"] = 1
    message = rcf07(document, [])["findings"][0]["message"]
    assert message.endswith("(1 contributeur salarié de l'entreprise).")


def test_it_is_not_applicable_when_the_applicant_employs_nobody_itself() -> None:
    """RCF-07 is non_applicable when every contributor is employed by others."""
    document = eligible()
    for row in document["workforce"]:
        if row["employer"] == "applicant":
            row["headcount"] = 0
    found = rcf07(document, [])
    assert (found["status"], found["findings"]) == ("non_applicable", [])


@pytest.mark.parametrize("payroll", [65, 63])
def test_it_accepts_a_payroll_within_the_tolerance(payroll: int) -> None:
    """Point 5: declared ≤ payroll + max(2, ⌈5 % × payroll⌉): 67 ≤ 63 + 4."""
    assert rcf07(eligible(), [dsn(headcount=payroll)])["status"] == "conforme"


def test_it_finds_declared_exceeding_payroll_with_both_figures() -> None:
    """Point 5: 67 > 62 + max(2, ⌈3.1⌉) → declared_exceeds_payroll with both figures."""
    found = rcf07(eligible(), [dsn(headcount=62)])
    assert [f["code"] for f in found["findings"]] == ["declared_exceeds_payroll"]
    finding = found["findings"][0]
    assert (finding["headcount"], finding["payroll"], finding["siret"]) == (67, 62, NIORT_SIRET)
    assert finding["message"] == (
        "Établissement 84533314500017 : 67 contributeurs salariés déclarés, "
        "mais la DSN n'en montre que 62 (tolérance : 4)."
    )


def test_it_uses_a_tolerance_of_at_least_two() -> None:
    """Point 5: the tolerance is never below 2, even for a small payroll."""
    document = eligible()
    document["workforce"][0]["headcount"] = 9  # declared 9 + 3 = 12
    assert rcf07(document, [dsn(headcount=10)])["status"] == "conforme"
    assert rcf07(document, [dsn(headcount=9)])["findings"][0]["code"] == (
        "declared_exceeds_payroll"
    )


def test_it_finds_work_abroad_in_the_payroll() -> None:
    """Point 6: active individuals détachés or expatriés at the site → their number."""
    found = rcf07(eligible(), [dsn(headcount=67, abroad=2)])
    assert [(f["code"], f["headcount"]) for f in found["findings"]] == [
        ("payroll_shows_work_abroad", 2)
    ]


@pytest.mark.parametrize(("nature", "type_"), [("02", "01"), ("01", "04"), ("01", "05")])
def test_it_ignores_a_dsn_that_is_not_evidence(nature: str, type_: str) -> None:
    """Point 1: nature other than 01, or type 04/05 → ignored, as if absent."""
    found = rcf07(eligible(), [dsn(nature=nature, type=type_)])
    assert [f["code"] for f in found["findings"]] == ["no_payroll_evidence"]


def test_it_finds_and_ignores_a_dsn_of_another_company() -> None:
    """Point 1: a DSN whose SIREN is not the applicant's → dsn_siren_mismatch, ignored."""
    other = dsn(siret="87893288800018", headcount=67, workplace=NIORT_SIRET, source="b.dsn")
    found = rcf07(eligible(), [other])
    assert [f["code"] for f in found["findings"]] == ["dsn_siren_mismatch", "no_payroll_evidence"]
    mismatch = found["findings"][0]
    assert (mismatch["siren"], mismatch["siret"]) == ("878932888", "87893288800018")
    assert "b.dsn" in mismatch["message"]


def test_it_uses_only_the_latest_month_of_an_establishment() -> None:
    """Point 2: of two months of the same establishment, only the later one counts."""
    old, new = dsn(month="2026-05", headcount=67), dsn(month="2026-06", headcount=40)
    for payroll in ([old, new], [new, old]):
        assert rcf07(eligible(), payroll)["findings"][0]["payroll"] == 40


def test_it_prefers_a_replacement_in_the_same_month() -> None:
    """Point 2 (choice): in the same month, an « annule et remplace » (03) wins."""
    normal, replacing = dsn(headcount=40), dsn(headcount=67, type="03")
    for payroll in ([normal, replacing], [replacing, normal]):
        assert rcf07(eligible(), payroll)["status"] == "conforme"


def test_it_counts_individuals_declared_by_another_establishment() -> None:
    """Points 3–5: the workplace counts, not the declaring establishment; counts of several
    establishments add up (a person cannot be recognised across DSNs: counts only)."""
    other_siret = "84533314500025"
    head_office = dsn(siret=other_siret, headcount=30, workplace=NIORT_SIRET)
    assert rcf07(eligible(), [head_office])["findings"][0]["payroll"] == 30
    niort = dsn(headcount=35)
    assert rcf07(eligible(), [head_office, niort])["status"] == "conforme"


def test_it_has_evidence_when_the_sites_own_dsn_shows_nobody_working_there() -> None:
    """Point 4 needs both: a DSN declared by the SIRET is evidence, even with its people
    working elsewhere; then point 5 compares 67 with 0."""
    elsewhere = dsn(headcount=67, workplace="84533314500025")
    found = rcf07(eligible(), [elsewhere])
    assert [(f["code"], f["payroll"]) for f in found["findings"]] == [
        ("declared_exceeds_payroll", 0)
    ]


def test_it_reads_workplaces_beyond_the_first() -> None:
    """Every workplace of a DSN counts, not only the declaring establishment's."""
    payroll = dsn(siret="84533314500025", headcount=1, extra=(WorkplaceCount(NIORT_SIRET, 66),))
    assert rcf07(eligible(), [payroll])["status"] == "conforme"


def test_it_cannot_attach_a_dsn_to_an_establishment_without_siret() -> None:
    """An establishment in France without SIRET: no_payroll_evidence, saying why (RCF-02
    reports the missing SIRET itself)."""
    document = eligible()
    del document["sites"][0]["siret"]
    evaluation = run(document, payroll=[dsn()])
    finding = requirement(evaluation, "RCF-07")["findings"][0]
    assert finding["code"] == "no_payroll_evidence"
    assert "siret" not in finding
    assert "n'indique pas de SIRET" in finding["message"]
    assert codes(evaluation)[0] == "invalid_siret"


def test_it_makes_the_mutuelle_eligible_with_a_dsn_of_65_at_niort() -> None:
    """Examples README: a DSN (September 2026, or any month) listing ≥ 65 active individuals
    working at 84533314500017 makes mutuelle-sans-dsn.json eligible."""
    for month in ("2026-09", "2025-01"):
        evaluation = run(example("mutuelle-sans-dsn"), payroll=[dsn(headcount=65, month=month)])
        assert evaluation["verdict"] == "eligible"
        assert set(statuses(evaluation).values()) == {"conforme"}
