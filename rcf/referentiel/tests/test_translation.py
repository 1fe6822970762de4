"""The findings of an evaluation re-rendered in English from the scheme's English templates."""

from __future__ import annotations

import copy
import re
from typing import Any

import pytest

from rcf.referentiel.engine import Declaration
from rcf.referentiel.scheme import read_scheme
from rcf.referentiel.tests.builders import dsn, example, run
from rcf.referentiel.translation import finding_message, recover_parameters

FRENCH_WORDS = re.compile(
    r"\b(?:ligne|d'effectif|contrat|contributeurs?|établissement|entreprise|sous-traitant|"
    r"n'est|aucune?|salariés?|engagement|périmètre|déclaré|travail|droit|clause France et)\b"
    r"|«|»",
    re.IGNORECASE,
)


TYPED_NAME = "BPO « Grand » : France"
"""An operator name with guillemets and a colon, like the template's own punctuation."""


def _findings(evaluation: Any) -> list[dict[str, Any]]:
    return [f for r in evaluation["requirements"] for f in r["findings"]]


def _offshore_with_everything() -> dict[str, Any]:
    """telecom-offshore plus rows and sites that give the other findings."""
    document = example("telecom-offshore")
    document["applicant"]["siren"] = "845333146"  # a bad check digit: invalid_siren applicant
    document["scope"]["channels"].pop("chat", None)  # scope_item_undeclared
    document["operators"][0]["name"] = TYPED_NAME
    return document


def test_every_finding_of_the_examples_reads_in_english() -> None:
    scheme = read_scheme("1")
    evaluation = run(_offshore_with_everything(), payroll=[dsn(headcount=1)])
    findings = _findings(evaluation)
    assert len({f["code"] for f in findings}) >= 6
    for finding in findings:
        english = finding_message(finding, scheme, "en")
        assert english != finding["message"], finding
        # data typed by people is kept as it is, guillemets included; the rest is English
        assert not FRENCH_WORDS.search(english.replace(TYPED_NAME, "")), english
        if TYPED_NAME in finding["message"]:
            assert TYPED_NAME in english
        # the objects the French message names, the English names too
        for key in ("site", "operator", "siret", "siren", "headcount"):
            if key in finding and str(finding[key]) in finding["message"]:
                assert str(finding[key]) in english, (key, english)


def test_the_french_message_is_returned_for_french_and_unknown_languages() -> None:
    scheme = read_scheme("1")
    finding = _findings(run(example("telecom-offshore")))[0]
    assert finding_message(finding, scheme, "fr") == finding["message"]
    assert finding_message(finding, scheme, "de") == finding["message"]
    assert finding_message(finding, scheme, None) == finding["message"]


def test_a_message_that_matches_no_template_stays_as_published() -> None:
    """A message of another wording (an older file, a hand-edited document) is not guessed."""
    scheme = read_scheme("1")
    finding = {"code": "site_without_workforce", "status": "non_conforme", "site": "x"}
    finding["message"] = "Le site x est vide."
    assert finding_message(finding, scheme, "en") == "Le site x est vide."
    finding["code"] = "no_such_code"
    assert finding_message(finding, scheme, "en") == "Le site x est vide."


@pytest.mark.parametrize(
    ("headcount", "french", "english"),
    [
        (0, "0 contributeur y travaille", "0 contributors work there"),
        (1, "1 contributeur y travaille", "1 contributor works there"),
        (2, "2 contributeurs y travaillent", "2 contributors work there"),
    ],
)
def test_plurals_follow_each_language(headcount: int, french: str, english: str) -> None:
    scheme = read_scheme("1")
    document = example("telecom-offshore")
    declaration = Declaration(copy.deepcopy(document), scheme)
    finding = declaration.finding(
        "site_outside_france", site="tunis", location="TN, Tunis", headcount=headcount
    )
    assert french in finding["message"]
    assert english in finding_message(finding, scheme, "en")


def test_the_words_of_the_scheme_in_a_message_are_translated_too() -> None:
    """Contract labels, scope items, commitments and dates come from the English scheme."""
    scheme = read_scheme("1")
    declaration = Declaration(example("telecom-offshore"), scheme)
    cases = [
        (
            declaration.finding(
                "no_employment_contract",
                workforce_index=1,
                site="paris",
                operator="applicant",
                headcount=6,
                contract_label=scheme.contract_kinds["freelance"].label,
            ),
            "6 contributors in self-employment, without",
        ),
        (
            declaration.finding(
                "scope_item_uncovered", item="channels.postal_mail", item_label="Courrier postal"
            ),
            "“Postal mail” (channels.postal_mail) is declared performed",
        ),
        (
            declaration.finding(
                "missing_commitment",
                item="commitments.notify_changes",
                commitment=scheme.commitments["notify_changes"],
            ),
            "must commit to report any change of scope",
        ),
        (
            declaration.finding(
                "membership_expired", siren="845333145", reference_date="30/06/2026"
            ),
            "covers the reference date of 30 June 2026.",
        ),
    ]
    for finding, english in cases:
        assert english in finding_message(finding, scheme, "en")


def test_parameters_are_recovered_exactly_or_not_at_all() -> None:
    """The variant and parameters recovered render the French message again, byte for byte."""
    scheme = read_scheme("1")
    kind = scheme.findings["missing_france_clause"]
    message = kind.render(
        {"contract_reference": "C-1", "operator": "a", "operator_name": "A « B » C"}, "clause"
    )
    variant, parameters = recover_parameters(kind, message) or (None, {})
    assert variant == "clause"
    assert kind.render(parameters, variant) == message
    assert recover_parameters(kind, message + " ") is None


def test_every_rcf09_finding_reads_in_english() -> None:
    """Version 2: the six RCF-09 findings, the channel's label in English, numbers kept."""
    from rcf.referentiel.tests.test_contact_points import point, v2

    scheme = read_scheme("2")
    document = v2(
        point("chat", channel="chat", value="https://www.exemple.fr/aide", sites=["domicile"]),
        point("surtaxe", value="0892 68 12 34", sites=["domicile", "niort"]),
        point("demarchage", value="01 62 12 34 56", purpose="sales"),
        point("etranger", value="+216 71 123 456"),
    )
    findings = [f for f in _findings(run(document)) if f["code"] in scheme.findings]
    rcf09 = [f for f in findings if scheme.findings[f["code"]].requirement == "RCF-09"]
    assert {f["code"] for f in rcf09} == {
        "channel_without_contact_point",
        "contact_point_channel_not_performed",
        "contact_point_site_mismatch",
        "surcharged_customer_service_number",
        "telemarketing_range_number",
        "foreign_phone_number",
    }
    english = {f["code"]: finding_message(f, scheme, "en") for f in rcf09}
    for finding in rcf09:
        assert english[finding["code"]] != finding["message"], finding
        assert not FRENCH_WORDS.search(english[finding["code"]]), english[finding["code"]]
    assert english["channel_without_contact_point"] == (
        "“Email” (channels.email) is declared performed, but no contact point of this channel "
        "is declared."
    )
    assert english["contact_point_channel_not_performed"] == (
        "Contact point “chat” is a “Chat” channel that the scope does not declare performed."
    )
    # the channel's label is the scheme's English one (« Téléphone » in French)
    mismatches = [
        finding_message(f, scheme, "en")
        for f in rcf09
        if f["code"] == "contact_point_site_mismatch"
    ]
    assert (
        "Contact point “surtaxe” (Telephone) is declared answered at site “domicile”, which does "
        "not cover this channel."
    ) in mismatches
    assert "0 892 68 12 34" in english["surcharged_customer_service_number"]
    assert "(+21671123456)" in english["foreign_phone_number"]
