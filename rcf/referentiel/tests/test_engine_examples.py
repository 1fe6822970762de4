"""The three shared examples give exactly the results of ``examples/README.md``."""

from __future__ import annotations

import pytest

from rcf.referentiel.declaration import DeclarationError
from rcf.referentiel.engine import Evaluation, evaluate_declaration
from rcf.referentiel.tests.builders import example, example_memberships, not_conforme, requirement


def findings(evaluation: Evaluation, ident: str) -> list[tuple]:
    return [
        (f["code"], f.get("site"), f.get("operator"), f.get("workforce_index"), f.get("headcount"))
        for f in requirement(evaluation, ident)["findings"]
    ]


def test_it_evaluates_mutuelle_sans_dsn_as_to_verify() -> None:
    """mutuelle-sans-dsn: to_verify, RCF-07 no_payroll_evidence for niort (67), 98 people."""
    evaluation = evaluate_declaration(
        example("mutuelle-sans-dsn"), memberships=example_memberships(), payroll=[]
    )
    assert evaluation["verdict"] == "to_verify"
    assert not_conforme(evaluation) == {"RCF-07": "a_verifier"}
    assert findings(evaluation, "RCF-07") == [("no_payroll_evidence", "niort", None, None, 67)]
    assert evaluation["metrics"]["contributors"] == 98
    assert evaluation["metrics"]["share_compliant"] == 1.0


def test_it_evaluates_telecom_offshore_as_not_eligible() -> None:
    """telecom-offshore: not_eligible with the findings and metrics of the README."""
    evaluation = evaluate_declaration(
        example("telecom-offshore"), memberships=example_memberships(), payroll=[]
    )
    assert evaluation["verdict"] == "not_eligible"
    assert not_conforme(evaluation) == {
        "RCF-04": "non_conforme",
        "RCF-05": "non_conforme",
        "RCF-06": "non_conforme",
        "RCF-07": "a_verifier",
        "RCF-08": "non_conforme",
    }
    assert findings(evaluation, "RCF-04") == [
        ("site_outside_france", "tunis", "bpo-tunis", None, 320),
        ("site_outside_france", "antananarivo", "tana", None, 95),
    ]
    assert findings(evaluation, "RCF-05") == [
        ("no_employment_contract", "paris", "applicant", 1, 6),
        ("foreign_law_contract", "tunis", "bpo-tunis", 3, 320),
        ("foreign_law_contract", "antananarivo", "tana", 4, 95),
    ]
    assert [f[2] for f in findings(evaluation, "RCF-06")] == ["bpo", "bpo-tunis", "tana"]
    assert findings(evaluation, "RCF-07") == [("no_payroll_evidence", "paris", None, None, 216)]
    assert [f["item"] for f in requirement(evaluation, "RCF-08")["findings"]] == [
        "commitments.accept_audits"
    ]
    assert evaluation["metrics"] == {
        "contributors": 771,
        "in_france": 356,
        "french_law_contract": 350,
        "compliant": 350,
        "share_compliant": 0.454,
    }


def test_it_rejects_erreurs_de_saisie_with_its_four_errors() -> None:
    """erreurs-de-saisie: rejected whole, four errors at the README's pointers."""
    with pytest.raises(DeclarationError) as raised:
        evaluate_declaration(
            example("erreurs-de-saisie"), memberships=example_memberships(), payroll=[]
        )
    assert [(e.pointer, e.message) for e in raised.value.errors] == [
        ("/operators/0", "champ inconnu « colour »"),
        ("/sites/0/location", "le pays GP (Guadeloupe) contredit le code commune INSEE 79191"),
        ("/workforce/1/headcount", "doit être supérieur ou égal à 0 (reçu : -3)"),
        ("/workforce/2/site", "site inconnu « maison »"),
    ]
