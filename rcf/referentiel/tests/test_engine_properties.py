"""Properties of the evaluation over many generated declarations (hypothesis).

Declarations are drawn from the two valid examples with random headcounts, contracts, laws,
locations, scope statuses and commitments, so that every requirement can take every status.
"""

from __future__ import annotations

import copy
from collections import Counter
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from rcf.referentiel.engine import Evaluation, dumps_evaluation, evaluate_declaration
from rcf.referentiel.evidence import PayrollDeclaration
from rcf.referentiel.tests.builders import dsn, example, example_memberships, statuses
from rcf.referentiel.versions import load_scheme

CONTRACTS = sorted(load_scheme("1").contract_kinds)
ESTABLISHMENT_LOCATIONS = [
    {"country": "FR", "commune_insee": "75056"},
    {"country": "FR", "commune_insee": "97411"},
    {"country": "RE"},
    {"country": "FR", "commune_insee": "98818"},
    {"country": "TN"},
]
TELEWORK_LOCATIONS = [{"country": "FR", "department": "59"}, {"country": "BE"}, {"country": "PF"}]
VERDICT_RANK = {"eligible": 0, "to_verify": 1, "not_eligible": 2}


@st.composite
def cases(draw: st.DrawFn) -> tuple[dict[str, Any], list[PayrollDeclaration]]:
    """A valid declaration and DSN summaries for it."""
    document = example(draw(st.sampled_from(["mutuelle-sans-dsn", "telecom-offshore"])))
    for row in document["workforce"]:
        row["headcount"] = draw(st.integers(0, 400))
        row["contract"] = draw(st.sampled_from(CONTRACTS))
        row["contract_law"] = draw(st.sampled_from(["FR", "FR", "FR", "BE"]))
    for site in document["sites"]:
        choices = (
            ESTABLISHMENT_LOCATIONS if site["kind"] == "establishment" else (TELEWORK_LOCATIONS)
        )
        site["location"] = copy.deepcopy(draw(st.sampled_from(choices)))
    for dimension in ("channels", "phases"):
        items = document["scope"][dimension]
        for item in list(items):
            items[item] = draw(st.sampled_from(["performed", "not_performed", None]))
            if items[item] is None:
                del items[item]
    for op in document["operators"]:
        op["france_clause"] = draw(st.booleans())
    document["commitments"]["accept_audits"] = draw(st.booleans())
    sirets = [s["siret"] for s in document["sites"] if "siret" in s]
    payroll = [
        dsn(
            siret=draw(st.sampled_from(sirets)),
            headcount=draw(st.integers(0, 300)),
            abroad=draw(st.integers(0, 2)),
            month=draw(st.sampled_from(["2026-05", "2026-06"])),
        )
        for _ in range(draw(st.integers(0, 3)))
    ]
    return document, payroll


def run(document: dict[str, Any], payroll: list[PayrollDeclaration]) -> Evaluation:
    return evaluate_declaration(document, memberships=example_memberships(), payroll=payroll)


def summary(evaluation: Evaluation) -> tuple[Any, ...]:
    """What must not depend on the order of the declaration's objects."""
    code_counts = Counter(f["code"] for r in evaluation["requirements"] for f in r["findings"])
    return evaluation["verdict"], statuses(evaluation), code_counts, evaluation["metrics"]


@settings(max_examples=150, deadline=None)
@given(cases(), st.randoms(use_true_random=False))
def test_it_does_not_depend_on_the_order_of_sites_operators_and_rows(
    case: tuple[dict[str, Any], list[PayrollDeclaration]], random: Any
) -> None:
    """Reordering sites, operators or workforce rows changes no status, code count or metric."""
    document, payroll = case
    shuffled = copy.deepcopy(document)
    for key in ("sites", "operators", "workforce"):
        random.shuffle(shuffled[key])
    assert summary(run(shuffled, payroll)) == summary(run(document, payroll))


@settings(max_examples=150, deadline=None)
@given(cases(), st.data())
def test_it_never_improves_the_verdict_when_a_non_compliant_row_is_added(
    case: tuple[dict[str, Any], list[PayrollDeclaration]], data: st.DataObject
) -> None:
    """Adding a workforce row abroad, under foreign law or without an employment contract
    never improves the verdict."""
    document, payroll = case
    before = run(copy.deepcopy(document), payroll)["verdict"]
    site = data.draw(st.sampled_from(document["sites"]))
    row = {
        "site": site["id"],
        "employer": site["operator"],
        "contract": "cdi",
        "contract_law": "FR",
        "headcount": data.draw(st.integers(1, 50)),
    }
    flaw = data.draw(st.sampled_from(["law", "freelance", "posted_worker", "abroad"]))
    if flaw == "law":
        row["contract_law"] = "MA"
    elif flaw == "abroad":
        site["location"] = {"country": "MA"}
    else:
        row["contract"] = flaw
    document["workforce"].append(row)
    after = run(document, payroll)["verdict"]
    assert after == "not_eligible"
    assert VERDICT_RANK[after] >= VERDICT_RANK[before]


@settings(max_examples=150, deadline=None)
@given(cases())
def test_it_reports_share_compliant_as_compliant_over_contributors(
    case: tuple[dict[str, Any], list[PayrollDeclaration]],
) -> None:
    """share_compliant = compliant / contributors to 4 decimals (0 without contributors), and
    compliant people are both in France and under a French-law contract."""
    metrics = run(*case)["metrics"]
    expected = (
        round(metrics["compliant"] / metrics["contributors"], 4)
        if (metrics["contributors"])
        else 0.0
    )
    assert metrics["share_compliant"] == expected
    assert metrics["compliant"] <= min(metrics["in_france"], metrics["french_law_contract"])
    assert max(metrics["in_france"], metrics["french_law_contract"]) <= metrics["contributors"]


@settings(max_examples=100, deadline=None)
@given(cases())
def test_it_is_deterministic_byte_for_byte(
    case: tuple[dict[str, Any], list[PayrollDeclaration]],
) -> None:
    """The same declaration and evidence give the same bytes, and the input is not changed."""
    document, payroll = case
    original = copy.deepcopy(document)
    first = dumps_evaluation(run(document, payroll))
    assert document == original
    assert dumps_evaluation(run(copy.deepcopy(document), list(payroll))) == first
