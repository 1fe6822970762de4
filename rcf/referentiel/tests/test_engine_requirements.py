"""Each requirement RCF-01 … RCF-08 and each of its finding codes, one rule per test.

The starting point is ``mutuelle-sans-dsn.json`` with a DSN supporting its Niort site, which is
eligible; each test changes one thing and checks the one finding it must give.
"""

from __future__ import annotations

import datetime as dt

import pytest

from rcf.referentiel.engine import Evaluation, Finding, dumps_evaluation, evaluate_declaration
from rcf.referentiel.evidence import Membership
from rcf.referentiel.tests.builders import (
    MUTUELLE_SIREN,
    codes,
    eligible,
    not_conforme,
    requirement,
    run,
    siren_with_key,
    siret_of,
)
from rcf.referentiel.versions import load_scheme


def only_finding(evaluation: Evaluation, ident: str) -> Finding:
    """The single finding of requirement ``ident``, the others being conforme."""
    assert set(not_conforme(evaluation)) == {ident}, not_conforme(evaluation)
    findings = requirement(evaluation, ident)["findings"]
    assert len(findings) == 1, findings
    return findings[0]


def test_it_is_eligible_when_everything_is_in_order() -> None:
    """The base case: every requirement conforme, verdict eligible, full metrics."""
    evaluation = run(eligible())
    assert evaluation["verdict"] == "eligible"
    assert not_conforme(evaluation) == {}
    assert [r["id"] for r in evaluation["requirements"]] == [f"RCF-0{i}" for i in range(1, 9)]
    assert evaluation["metrics"] == {
        "contributors": 98,
        "in_france": 98,
        "french_law_contract": 98,
        "compliant": 98,
        "share_compliant": 1.0,
    }


# --- RCF-01 ---------------------------------------------------------------------------------


def test_it_finds_not_a_member_without_any_membership_of_the_siren() -> None:
    """RCF-01: no membership of the applicant's SIREN → not_a_member (non_conforme)."""
    others = [Membership("AFRC-9", "804072387", dt.date(2020, 1, 1), None)]
    finding = only_finding(run(eligible(), memberships=others), "RCF-01")
    assert finding["code"] == "not_a_member"
    assert finding["status"] == "non_conforme"
    assert finding["siren"] == MUTUELLE_SIREN


def test_it_finds_membership_expired_when_the_membership_ended_before_the_date() -> None:
    """RCF-01: a membership that ended the day before the reference date → membership_expired."""
    memberships = [Membership("AFRC-1", MUTUELLE_SIREN, dt.date(2020, 1, 1), dt.date(2026, 6, 29))]
    finding = only_finding(run(eligible(), memberships=memberships), "RCF-01")
    assert finding["code"] == "membership_expired"
    assert "30/06/2026" in finding["message"]


def test_a_membership_starting_after_the_date_is_not_a_membership_yet() -> None:
    """RCF-01: only a membership starting the day after → not a member on that date."""
    memberships = [Membership("AFRC-1", MUTUELLE_SIREN, dt.date(2026, 7, 1), None)]
    finding = only_finding(run(eligible(), memberships=memberships), "RCF-01")
    assert finding["code"] == "not_a_member"


def test_it_accepts_a_membership_ending_on_the_reference_date() -> None:
    """RCF-01: ``valid_until`` is inclusive."""
    memberships = [Membership("AFRC-1", MUTUELLE_SIREN, dt.date(2020, 1, 1), dt.date(2026, 6, 30))]
    assert requirement(run(eligible(), memberships=memberships), "RCF-01")["status"] == "conforme"


# --- RCF-02 ---------------------------------------------------------------------------------


def test_it_finds_an_invalid_applicant_siren() -> None:
    """RCF-02: the applicant's SIREN check digit is wrong → invalid_siren."""
    document = eligible()
    document["applicant"]["siren"] = "845333146"
    memberships = [Membership("AFRC-1", "845333146", dt.date(2020, 1, 1), None)]
    evaluation = run(document, memberships=memberships)
    findings = requirement(evaluation, "RCF-02")["findings"]
    assert (findings[0]["code"], findings[0]["operator"], findings[0]["siren"]) == (
        "invalid_siren",
        "applicant",
        "845333146",
    )


def test_it_finds_an_operator_in_france_without_siren() -> None:
    """RCF-02: an operator located in France (FR or an overseas alias) needs a SIREN."""
    document = eligible()
    del document["operators"][0]["siren"]
    document["operators"][0]["country"] = "RE"
    finding = only_finding(run(document), "RCF-02")
    assert (finding["code"], finding["operator"]) == ("invalid_siren", "brest-contact")
    assert "siren" not in finding


def test_it_needs_no_siren_for_an_operator_abroad() -> None:
    """RCF-02: an operator registered abroad (or in Nouvelle-Calédonie) needs no SIREN."""
    document = eligible()
    del document["operators"][0]["siren"]
    document["operators"][0]["country"] = "NC"
    document["sites"][2]["siret"] = siret_of(siren_with_key("12345678"), "0001")
    assert requirement(run(document), "RCF-02")["status"] == "conforme"


def test_it_finds_an_invalid_operator_siren() -> None:
    """RCF-02: a wrong check digit in an operator's SIREN → invalid_siren with the SIREN."""
    document = eligible()
    document["operators"][0]["siren"] = "878932889"
    evaluation = run(document)
    found = requirement(evaluation, "RCF-02")["findings"]
    assert found[0] == {
        "code": "invalid_siren",
        "status": "non_conforme",
        "operator": "brest-contact",
        "siren": "878932889",
        "message": found[0]["message"],
    }
    assert "878932889" in found[0]["message"]


@pytest.mark.parametrize("siret", [None, "84533314500018", "8453331450001A"])
def test_it_finds_a_missing_or_invalid_siret_of_an_establishment_in_france(
    siret: str | None,
) -> None:
    """RCF-02: an establishment in France needs a valid SIRET → invalid_siret."""
    document = eligible()
    if siret is None:
        del document["sites"][0]["siret"]
    else:
        document["sites"][0]["siret"] = siret
    evaluation = run(document)
    finding = requirement(evaluation, "RCF-02")["findings"][0]
    assert (finding["code"], finding["site"]) == ("invalid_siret", "niort")
    assert finding.get("siret") == siret


def test_it_accepts_a_la_poste_siret_that_fails_luhn() -> None:
    """RCF-02: La Poste's SIRETs (356000000…) follow the digit-sum rule, not Luhn."""
    document = eligible()
    document["applicant"]["siren"] = "356000000"
    document["sites"][0]["siret"] = "35600000000010"
    memberships = [Membership("AFRC-1", "356000000", dt.date(2020, 1, 1), None)]
    evaluation = run(document, memberships=memberships)
    assert requirement(evaluation, "RCF-02")["status"] == "conforme"
    document["sites"][0]["siret"] = "35600000000028"  # digit sum not a multiple of 5
    evaluation = run(document, memberships=memberships)
    assert codes(evaluation)[:1] == ["invalid_siret"]


def test_it_needs_no_siret_for_telework_or_a_site_abroad() -> None:
    """RCF-02: telework sites and establishments abroad need no SIRET."""
    document = eligible()
    assert "siret" not in document["sites"][1]  # the telework site
    del document["sites"][2]["siret"]
    document["sites"][2]["location"] = {"country": "TN", "city": "Tunis"}
    assert requirement(run(document), "RCF-02")["status"] == "conforme"


def test_it_finds_a_siret_of_another_company() -> None:
    """RCF-02: a SIRET whose first 9 digits are not its operator's SIREN → mismatch."""
    document = eligible()
    document["sites"][2]["siret"] = "84533314500017"  # the applicant's, on brest-contact's site
    finding = only_finding(run(document), "RCF-02")
    assert finding == {
        "code": "siret_operator_mismatch",
        "status": "non_conforme",
        "site": "brest",
        "operator": "brest-contact",
        "siren": "878932888",
        "siret": "84533314500017",
        "message": "Le SIRET 84533314500017 du site « brest » n'appartient pas à son opérateur "
        "« brest-contact » (SIREN 878932888).",
    }


# --- RCF-03 ---------------------------------------------------------------------------------


def test_it_finds_an_undeclared_scope_item() -> None:
    """RCF-03: a channel with no status → scope_item_undeclared, with its item."""
    document = eligible()
    del document["scope"]["channels"]["video"]
    finding = only_finding(run(document), "RCF-03")
    assert (finding["code"], finding["item"]) == ("scope_item_undeclared", "channels.video")


def test_it_finds_a_performed_item_no_site_covers() -> None:
    """RCF-03: a phase declared performed that no site lists → scope_item_uncovered."""
    document = eligible()
    document["scope"]["phases"]["pre_sale"] = "performed"
    finding = only_finding(run(document), "RCF-03")
    assert (finding["code"], finding["item"]) == ("scope_item_uncovered", "phases.pre_sale")
    assert "Avant-vente" in finding["message"]


def test_it_finds_a_subcontractor_without_site() -> None:
    """RCF-03: every subcontractor has a site; a temp agency need not."""
    document = eligible()
    document["operators"].append(
        {
            "id": "sans-site",
            "role": "subcontractor",
            "parent": "applicant",
            "name": "Sans Site",
            "country": "TN",
            "france_clause": True,
            "contract_reference": "X-1",
        }
    )
    document["operators"].append(
        {
            "id": "interim",
            "role": "temp_agency",
            "parent": "applicant",
            "name": "Intérim",
            "country": "TN",
            "france_clause": True,
            "contract_reference": "X-2",
        }
    )
    finding = only_finding(run(document), "RCF-03")
    assert (finding["code"], finding["operator"]) == ("operator_without_site", "sans-site")


def test_it_finds_a_site_without_workforce() -> None:
    """RCF-03: every site has at least one workforce row."""
    document = eligible()
    document["workforce"] = [r for r in document["workforce"] if r["site"] != "domicile"]
    finding = only_finding(run(document), "RCF-03")
    assert (finding["code"], finding["site"]) == ("site_without_workforce", "domicile")


def test_it_finds_no_contributors() -> None:
    """RCF-03: a total headcount of 0 → no_contributors; share_compliant is then 0."""
    document = eligible()
    for row in document["workforce"]:
        row["headcount"] = 0
    evaluation = run(document, payroll=[])
    assert codes(evaluation) == ["no_contributors"]
    assert requirement(evaluation, "RCF-07")["status"] == "non_applicable"
    assert evaluation["metrics"]["share_compliant"] == 0.0


# --- RCF-04 ---------------------------------------------------------------------------------


def test_it_finds_an_establishment_outside_france() -> None:
    """RCF-04: a site in Nouvelle-Calédonie (FR commune 988xx) is outside France."""
    document = eligible()
    document["sites"][2]["location"] = {"country": "FR", "commune_insee": "98818"}
    evaluation = run(document)
    finding = only_finding(evaluation, "RCF-04")
    assert finding["code"] == "site_outside_france"
    assert (finding["site"], finding["operator"], finding["headcount"]) == (
        "brest",
        "brest-contact",
        22,
    )
    assert evaluation["metrics"]["in_france"] == 76
    assert evaluation["verdict"] == "not_eligible"


def test_it_finds_telework_outside_france() -> None:
    """RCF-04: teleworkers abroad → telework_outside_france with their headcount."""
    document = eligible()
    document["sites"][1]["location"] = {"country": "MC"}
    finding = only_finding(run(document), "RCF-04")
    assert (finding["code"], finding["site"], finding["headcount"]) == (
        "telework_outside_france",
        "domicile",
        9,
    )


@pytest.mark.parametrize(
    "location",
    [
        {"country": "RE"},
        {"country": "FR", "commune_insee": "97411"},
        {"country": "PM", "commune_insee": "97502"},
        {"country": "FR", "commune_insee": "2A004"},
    ],
)
def test_it_counts_overseas_departments_and_corsica_as_france(location: dict) -> None:
    """RCF-04: DROM, Saint-Pierre-et-Miquelon and Corsica are in France for the label."""
    document = eligible()
    document["sites"][2]["location"] = location
    assert requirement(run(document), "RCF-04")["status"] == "conforme"


# --- RCF-05 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("contract", "code", "status"),
    [
        ("freelance", "no_employment_contract", "non_conforme"),
        ("posted_worker", "posted_worker", "non_conforme"),
        ("internship", "internship_or_volunteer", "a_verifier"),
        ("volunteer", "internship_or_volunteer", "a_verifier"),
        ("other", "unknown_contract", "a_verifier"),
    ],
)
def test_it_finds_contracts_that_are_not_accepted_employment_contracts(
    contract: str, code: str, status: str
) -> None:
    """RCF-05: each contract kind gives its finding, with the row and its headcount."""
    document = eligible()
    document["workforce"][3]["contract"] = contract
    finding = only_finding(run(document), "RCF-05")
    assert (finding["code"], finding["status"]) == (code, status)
    assert (finding["workforce_index"], finding["site"], finding["headcount"]) == (3, "brest", 22)
    assert finding["operator"] == "brest-contact"


@pytest.mark.parametrize(
    "contract",
    [
        "cdi",
        "cdd",
        "cdi_intermittent",
        "apprenticeship",
        "professionalisation",
        "portage",
        "public_law",
    ],
)
def test_it_accepts_french_employment_contracts(contract: str) -> None:
    """RCF-05: these kinds are conforme under French law."""
    document = eligible()
    document["workforce"][3]["contract"] = contract
    assert requirement(run(document), "RCF-05")["status"] == "conforme"


def test_it_finds_a_foreign_law_contract_whatever_its_kind() -> None:
    """RCF-05: a law other than FR → foreign_law_contract, one finding for the row."""
    document = eligible()
    document["workforce"][3].update(contract="freelance", contract_law="BE")
    evaluation = run(document)
    finding = only_finding(evaluation, "RCF-05")
    assert finding["code"] == "foreign_law_contract"
    assert "droit BE" in finding["message"]
    assert evaluation["metrics"]["french_law_contract"] == 76
    assert evaluation["metrics"]["in_france"] == 98


def _with_temp_workers(employer_country: str) -> dict:
    document = eligible()
    document["operators"].append(
        {
            "id": "agence",
            "role": "temp_agency",
            "parent": "applicant",
            "name": "Agence",
            "country": employer_country,
            "france_clause": True,
            "contract_reference": "MAD-1",
        }
    )
    document["workforce"].append(
        {
            "site": "brest",
            "employer": "agence",
            "contract": "interim",
            "contract_law": "FR",
            "headcount": 4,
        }
    )
    return document


def test_it_accepts_temp_workers_of_a_temp_agency_in_france() -> None:
    """RCF-05: interim contracts are conforme when a temp agency in France employs them."""
    assert requirement(run(_with_temp_workers("GP")), "RCF-05")["status"] == "conforme"


def test_it_finds_temp_workers_of_an_agency_abroad() -> None:
    """RCF-05: a temp agency outside France → temp_agency_outside_france."""
    document = _with_temp_workers("BE")
    finding = only_finding(run(document), "RCF-05")
    assert (finding["code"], finding["workforce_index"], finding["headcount"]) == (
        "temp_agency_outside_france",
        4,
        4,
    )
    assert "(BE)" in finding["message"]


@pytest.mark.parametrize(("index", "employer"), [(3, "brest-contact"), (1, "applicant")])
def test_it_finds_temp_workers_whose_employer_is_not_a_temp_agency(
    index: int, employer: str
) -> None:
    """RCF-05: temp workers employed by a subcontractor or the applicant, not by a temp agency
    → temp_agency_outside_france."""
    document = eligible()
    document["workforce"][index]["contract"] = "cdi_interimaire"
    assert document["workforce"][index]["employer"] == employer
    finding = only_finding(run(document), "RCF-05")
    assert (finding["code"], finding["operator"]) == ("temp_agency_outside_france", employer)
    assert "n'est pas une entreprise de travail temporaire" in finding["message"]


# --- RCF-06 ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clause", "reference", "wording"),
    [
        (False, "SOUS-TRAITANCE-2025-01", "ne comporte pas la clause France."),
        (True, "  ", "sa référence n'est pas indiquée"),
        (True, None, "sa référence n'est pas indiquée"),
        (False, None, "et n'a pas de référence de contrat"),
    ],
)
def test_it_finds_a_missing_france_clause(
    clause: bool, reference: str | None, wording: str
) -> None:
    """RCF-06: a subcontractor needs france_clause true and a non-empty contract reference."""
    document = eligible()
    document["operators"][0]["france_clause"] = clause
    if reference is None:
        del document["operators"][0]["contract_reference"]
    else:
        document["operators"][0]["contract_reference"] = reference
    finding = only_finding(run(document), "RCF-06")
    assert (finding["code"], finding["operator"]) == ("missing_france_clause", "brest-contact")
    assert wording in finding["message"]


# --- RCF-08 ---------------------------------------------------------------------------------


def test_it_finds_each_missing_commitment() -> None:
    """RCF-08: one missing_commitment per commitment that is not true."""
    document = eligible()
    document["commitments"] = {"notify_changes": False, "accept_audits": False}
    evaluation = run(document)
    findings = requirement(evaluation, "RCF-08")["findings"]
    assert [(f["code"], f["item"]) for f in findings] == [
        ("missing_commitment", "commitments.notify_changes"),
        ("missing_commitment", "commitments.accept_audits"),
    ]
    assert set(not_conforme(evaluation)) == {"RCF-08"}


# --- the evaluation as a whole --------------------------------------------------------------


def test_it_gives_to_verify_when_the_worst_status_is_a_verifier() -> None:
    """Verdict: to_verify when no requirement is non_conforme and one is a_verifier."""
    document = eligible()
    document["workforce"][3]["contract"] = "internship"
    evaluation = run(document)
    assert evaluation["verdict"] == "to_verify"
    assert evaluation["metrics"]["french_law_contract"] == 76
    assert evaluation["metrics"]["share_compliant"] == round(76 / 98, 4)


def test_it_takes_the_worst_status_of_a_requirements_findings() -> None:
    """A requirement with an a_verifier and a non_conforme finding is non_conforme."""
    document = eligible()
    document["workforce"][3]["contract"] = "internship"
    document["workforce"][2]["contract"] = "freelance"
    assert requirement(run(document), "RCF-05")["status"] == "non_conforme"


def test_it_produces_every_finding_code_of_the_scheme_somewhere() -> None:
    """Guard: the scheme holds exactly the finding codes of the référentiel §2–3."""
    assert set(load_scheme("1").findings) == {
        "not_a_member", "membership_expired", "invalid_siren", "invalid_siret",
        "siret_operator_mismatch", "scope_item_undeclared", "scope_item_uncovered",
        "operator_without_site", "site_without_workforce", "no_contributors",
        "site_outside_france", "telework_outside_france", "foreign_law_contract",
        "temp_agency_outside_france", "internship_or_volunteer", "no_employment_contract",
        "posted_worker", "unknown_contract", "missing_france_clause", "no_payroll_evidence",
        "dsn_siren_mismatch", "declared_exceeds_payroll", "payroll_shows_work_abroad",
        "missing_commitment",
    }  # fmt: skip


def test_it_accepts_integral_numbers_written_as_floats() -> None:
    """JSON has one number type: a headcount of 22.0 is the integer 22, written as such."""
    document = eligible()
    document["workforce"][3]["headcount"] = 22.0
    evaluation = run(document)
    assert evaluation["metrics"]["contributors"] == 98
    assert '"contributors": 98,' in dumps_evaluation(evaluation)


def test_it_serialises_byte_for_byte_with_a_final_newline() -> None:
    """dumps_evaluation: fixed key order, UTF-8 text, 2-space indent, final newline."""
    evaluation = evaluate_declaration(eligible(), memberships=[], payroll=[])
    text = dumps_evaluation(evaluation)
    assert text.endswith("}\n")
    assert text.startswith(
        '{\n  "format": "rcf-evaluation/1",\n  "scheme": "relation-client-france"'
    )
    assert "Deux-Sèvres" in text  # not \u00e8
    keys = list(evaluation)
    assert keys == [
        "format",
        "scheme",
        "scheme_version",
        "reference_date",
        "applicant",
        "verdict",
        "requirements",
        "metrics",
    ]
