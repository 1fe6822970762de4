"""The scheme file is validated when loaded: a broken file stops the program at start."""

from __future__ import annotations

import copy
import re
import tomllib
from importlib import resources
from typing import Any

import pytest

from rcf.referentiel.engine import check_scheme_fits, evaluate_declaration
from rcf.referentiel.messages import render_message
from rcf.referentiel.scheme import SchemeError, parse_scheme
from rcf.referentiel.territory import country_in_france
from rcf.referentiel.tests.builders import eligible
from rcf.referentiel.versions import load_scheme


def scheme_data() -> dict[str, Any]:
    text = (
        resources.files("rcf.referentiel")
        .joinpath("schemes", "relation-client-france-v1.toml")
        .read_text("utf-8")
    )
    return tomllib.loads(text)


def test_it_loads_version_1_with_every_part_the_engine_needs() -> None:
    """Version 1 loads, lists RCF-01 … RCF-08 in order and fits the engine."""
    scheme = load_scheme("1")
    assert [r.id for r in scheme.requirements] == [f"RCF-0{i}" for i in range(1, 9)]
    assert [v.code for v in scheme.verdicts] == ["not_eligible", "to_verify", "eligible"]
    check_scheme_fits(scheme)


def test_it_computes_the_payroll_tolerance_in_integers() -> None:
    """max(2, ⌈5 % × payroll⌉) without float error: 60 → 3 (0.05 × 60 is 3.0000000000000004)."""
    payroll = load_scheme("1").payroll
    assert [payroll.tolerance(n) for n in (0, 20, 40, 41, 60, 65, 100, 101)] == [
        2, 2, 2, 3, 3, 4, 5, 6,
    ]  # fmt: skip


def test_it_writes_singular_and_plural_from_one_template() -> None:
    """{n:singulier|pluriel}: 0 and 1 take the singular in French."""
    template = "{headcount:contributeur|contributeurs}"
    assert [render_message(template, {"headcount": n}) for n in (0, 1, 2)] == [
        "0 contributeur",
        "1 contributeur",
        "2 contributeurs",
    ]


def _broken(change: Any) -> dict[str, Any]:
    data = copy.deepcopy(scheme_data())
    change(data)
    return data


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (
            lambda d: d["findings"]["not_a_member"].update(requirement="RCF-99"),
            "unknown requirement 'RCF-99'",
        ),
        (
            lambda d: d["findings"]["not_a_member"].update(status="non_applicable"),
            "is not a status a finding can have",
        ),
        (
            lambda d: d["findings"]["not_a_member"].update(message="{sirne}"),
            "unknown parameter {sirne}",
        ),
        (
            lambda d: d["findings"]["not_a_member"].update(message="{headcount:a|b|c}"),
            "a plural field",
        ),
        (lambda d: d["findings"]["not_a_member"].update(mesage="x"), "unknown key(s) mesage"),
        (lambda d: d["contracts"]["kinds"]["cdi"].update(finding="nope"), "unknown finding"),
        (lambda d: d["verdicts"].reverse(), "only the last verdict"),
        (lambda d: d["verdicts"][0].update(if_any="rouge"), "unknown status 'rouge'"),
        (lambda d: d["requirements"].append(dict(d["requirements"][0])), "appears twice"),
        (lambda d: d["scope"].update(dimensions=["channels", "colours"]), "'colours' needs"),
        (lambda d: d["payroll"].update(tolerance_min=-1), "cannot be negative"),
        (lambda d: d["enumerations"]["channels"].update(fax=""), "non-empty string"),
        (lambda d: d.pop("commitments"), "missing key 'commitments'"),
        # Every French text has its English (docs/i18n.md), or the scheme does not load.
        (lambda d: d["requirements"][3].pop("title_en"), "requirements[3]: missing key 'title_en'"),
        (lambda d: d["statuses"][0].update(label_en=" "), "'en' must not be empty"),
        (lambda d: d["verdicts"][2].pop("explanation_en"), "missing key 'explanation_en'"),
        (lambda d: d["audit_checklist"][4].pop("text_en"), "audit_checklist[4]: missing key"),
        (lambda d: d["territories"][0].pop("label_en"), "territories[0]: missing key 'label_en'"),
        (
            lambda d: d["contracts"]["kinds"]["cdd"].pop("label_en"),
            "[contracts.kinds.cdd]: missing key 'label_en'",
        ),
        (
            lambda d: d["enumerations_en"]["channels"].pop("video"),
            "[enumerations_en.channels]: must have the codes of the French table; missing video",
        ),
        (lambda d: d["enumerations_en"].pop("phases"), "[enumerations_en.phases]: missing"),
        (lambda d: d["metrics_en"].update(speed="Fast"), "[metrics_en]: must have the codes"),
        (lambda d: d.pop("commitments_en"), "[commitments_en]: missing"),
        (lambda d: d["scope"].pop("labels_en"), "[scope.labels_en]: missing"),
        (
            lambda d: d["findings"]["invalid_siret"].pop("variants_en"),
            "[findings.invalid_siret].variants_en: missing",
        ),
        (
            lambda d: d["findings"]["site_outside_france"].update(
                message_en="Site {site} is abroad."
            ),
            "must use the parameters of the French message (headcount, location, site)",
        ),
        (
            lambda d: d["findings"]["site_outside_france"].update(
                message_en="{site} {location} {headcount} people."
            ),
            "must use the parameters of the French message",
        ),
        (
            lambda d: d["findings"]["missing_france_clause"]["variants_en"].update(
                clause="The contract {contract_reference} lacks the clause."
            ),
            "variants_en.clause: must use the parameters",
        ),
    ],
)
def test_it_refuses_a_broken_scheme_file(change: Any, complaint: str) -> None:
    """Typos and dangling references in the scheme file are refused when it is loaded."""
    with pytest.raises(SchemeError, match=re.escape(complaint)):
        parse_scheme(_broken(change), source="test.toml")


def test_it_refuses_to_evaluate_with_a_scheme_it_has_no_check_for() -> None:
    """A version with a new requirement needs its code: evaluation fails loudly."""
    data = _broken(
        lambda d: d["requirements"].append(
            {"id": "RCF-09", "title": "Nouveau", "text": "…", "title_en": "New", "text_en": "…"}
        )
    )
    with pytest.raises(SchemeError, match="no check for requirement RCF-09"):
        evaluate_declaration(eligible(), memberships=[], payroll=[], scheme=parse_scheme(data))


def test_it_evaluates_with_the_scheme_given() -> None:
    """The engine reads rules from the scheme it is given: a contract kind's finding and a
    message changed in the data change the evaluation without touching the code."""

    def stricter(d: dict[str, Any]) -> None:
        d["contracts"]["kinds"]["apprenticeship"]["finding"] = "unknown_contract"
        d["findings"]["unknown_contract"]["message"] = "À voir : ligne {workforce_index}."
        d["findings"]["unknown_contract"]["message_en"] = "To see: line {workforce_index}."

    scheme = parse_scheme(_broken(stricter))
    evaluation = evaluate_declaration(eligible(), memberships=[], payroll=[], scheme=scheme)
    rcf05 = evaluation["requirements"][4]
    assert [(f["code"], f["message"]) for f in rcf05["findings"]] == [
        ("unknown_contract", "À voir : ligne 1.")
    ]


@pytest.mark.parametrize(
    ("country", "expected"),
    [
        ("FR", True),
        ("GP", True),
        ("PM", True),
        ("MF", True),
        ("NC", False),
        ("WF", False),
        ("TF", False),
        ("MC", False),
        ("BE", False),
    ],
)
def test_it_locates_organisations_by_country(country: str, expected: bool) -> None:
    """An organisation is in France when registered in FR or an overseas territory of §1."""
    assert country_in_france(country, load_scheme("1")) is expected


def _version_2_data() -> dict[str, Any]:
    text = (
        resources.files("rcf.referentiel")
        .joinpath("schemes", "relation-client-france-v2.toml")
        .read_text("utf-8")
    )
    return tomllib.loads(text)


def test_version_2_has_its_english_and_keeps_its_french() -> None:
    scheme = load_scheme("2")
    english = scheme.in_language("en")
    assert english.checklist["RCF-A6"].startswith("The declared contact points reach")
    assert english.findings["surcharged_customer_service_number"].message.startswith(
        "Customer service number “{contact_point}”"
    )
    assert english.section("contact_points")["purposes"] == {
        "customer_service": "Customer service (performance of the contract, complaints)",
        "sales": "Sales",
    }
    # The French scheme (the formats' and the engine's) keeps its French purposes.
    assert scheme.section("contact_points")["purposes"]["sales"] == "Vente"
    assert scheme.findings["foreign_phone_number"].message.startswith("Le numéro « ")


@pytest.mark.parametrize(
    ("change", "complaint"),
    [
        (lambda d: d["contact_points"].pop("purposes_en"), r"contact_points\.purposes_en"),
        (
            lambda d: d["contact_points"]["purposes_en"].pop("sales"),
            r"contact_points\.purposes_en.*missing sales",
        ),
        (lambda d: d["findings"]["foreign_phone_number"].pop("message_en"), "message_en"),
        (
            lambda d: d["findings"]["foreign_phone_number"].update(message_en="{site}"),
            "parameters of the French message",
        ),
    ],
)
def test_version_2_refuses_a_missing_english(change: Any, complaint: str) -> None:
    data = _version_2_data()
    change(data)
    with pytest.raises(SchemeError, match=complaint):
        parse_scheme(data, source="relation-client-france-v2.toml")
