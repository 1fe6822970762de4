"""Version 2: ``rcf-declaration/2``, its contact points and RCF-09 (``referentiel-v2.md``)."""

from __future__ import annotations

import dataclasses
from typing import Any

import pytest

from rcf.referentiel.declaration import (
    DeclarationError,
    declaration_schema,
    validate_declaration,
)
from rcf.referentiel.engine import Evaluation, evaluate_declaration
from rcf.referentiel.telephone import PhoneNumberError, parse_phone, telephone_plan
from rcf.referentiel.tests.builders import (
    example,
    example_memberships,
    not_conforme,
    requirement,
    run,
)
from rcf.referentiel.versions import load_scheme

_PLAN = telephone_plan(load_scheme("2"))
assert _PLAN is not None
PLAN = _PLAN


def v2(*contact_points: dict[str, Any]) -> dict[str, Any]:
    """The version 2 example with these contact points (its own when none are given)."""
    document = example("mutuelle-v2-numero-surtaxe")
    if contact_points:
        document["contact_points"] = list(contact_points)
    return document


def point(ident: str = "sc", **changes: Any) -> dict[str, Any]:
    row = {
        "id": ident,
        "channel": "telephone",
        "value": "05 49 12 34 56",
        "purpose": "customer_service",
        "brands": [],
        "sites": ["niort"],
    }
    return {**row, **changes}


EMAIL = point("courriel", channel="email", value="contact@mutuelle-exemple.fr")


def rcf09(evaluation: Evaluation) -> list[dict[str, Any]]:
    return [
        {k: v for k, v in f.items() if k != "message"}
        for f in requirement(evaluation, "RCF-09")["findings"]
    ]


def errors_of(document: Any) -> list[tuple[str, str]]:
    return [(e.pointer, e.message) for e in validate_declaration(document)]


def test_the_example_gives_what_the_readme_says() -> None:
    evaluation = evaluate_declaration(
        example("mutuelle-v2-numero-surtaxe"), memberships=example_memberships(), payroll=[]
    )
    assert evaluation["verdict"] == "not_eligible"
    assert evaluation["scheme_version"] == "2"
    assert [r["id"] for r in evaluation["requirements"]] == [f"RCF-0{n}" for n in range(1, 10)]
    assert not_conforme(evaluation) == {"RCF-07": "a_verifier", "RCF-09": "non_conforme"}
    assert rcf09(evaluation) == [
        {
            "code": "surcharged_customer_service_number",
            "status": "non_conforme",
            "contact_point": "reclamations",
            "number": "+33892681234",
        }
    ]
    message = requirement(evaluation, "RCF-09")["findings"][0]["message"]
    assert "0 892 68 12 34" in message and "L121-16" in message


def test_a_lawful_declaration_is_conforme() -> None:
    evaluation = run(v2(point(), EMAIL))
    assert requirement(evaluation, "RCF-09") == {
        "id": "RCF-09",
        "status": "conforme",
        "findings": [],
    }
    assert evaluation["verdict"] == "eligible"


def test_every_finding_in_order_with_its_objects() -> None:
    """Channels without a contact point first (enumeration order), then contact point by
    contact point: channel not performed, site mismatches in its sites' order, its number."""
    document = v2(
        point(
            "chat", channel="chat", value="https://www.exemple.fr/aide", sites=["domicile", "niort"]
        ),
        point("surtaxe", value="0892 68 12 34", sites=["domicile", "niort"]),
        point("demarchage", value="01 62 12 34 56", purpose="sales"),
        point("outremer", value="+262 262 12 34 56"),
        point("etranger", value="+216 71 123 456"),
        point("caledonie", value="+687 28 12 34"),
        point("surtaxe-vente", value="0 899 12 34 56", purpose="sales"),
    )
    found = rcf09(run(document))
    assert [(f["code"], f["status"]) for f in found] == [
        ("channel_without_contact_point", "non_conforme"),
        ("contact_point_channel_not_performed", "non_conforme"),
        ("contact_point_site_mismatch", "non_conforme"),
        ("contact_point_site_mismatch", "non_conforme"),
        ("contact_point_site_mismatch", "non_conforme"),
        ("surcharged_customer_service_number", "non_conforme"),
        ("telemarketing_range_number", "a_verifier"),
        ("foreign_phone_number", "a_verifier"),
        ("foreign_phone_number", "a_verifier"),
    ]
    objects = [{k: v for k, v in f.items() if k not in ("code", "status")} for f in found]
    assert objects == [
        {"item": "channels.email"},
        {"contact_point": "chat"},
        {"contact_point": "chat", "site": "domicile"},
        {"contact_point": "chat", "site": "niort"},
        {"contact_point": "surtaxe", "site": "domicile"},
        {"contact_point": "surtaxe", "number": "+33892681234"},
        {"contact_point": "demarchage", "number": "+33162123456"},
        {"contact_point": "etranger", "number": "+21671123456"},
        {"contact_point": "caledonie", "number": "+687281234"},
    ]


def test_a_performed_channel_without_contact_point_is_reported_per_channel() -> None:
    document = v2()
    document["contact_points"] = []
    found = rcf09(run(document))
    assert found == [
        {"code": "channel_without_contact_point", "status": "non_conforme", "item": f"channels.{c}"}
        for c in ("telephone", "email")
    ]  # postal mail is performed but is not a contact point channel


def test_an_overseas_telemarketing_range_is_data() -> None:
    """09475 … 09479 are overseas telemarketing ranges; a range added to the scheme data is
    recognised without code."""
    assert parse_phone("09 47 51 23 45", PLAN).telemarketing_range
    assert not parse_phone("09 46 51 23 45", PLAN).telemarketing_range
    widened = dataclasses.replace(PLAN, telemarketing_prefixes=("0946",))
    assert parse_phone("09 46 51 23 45", widened).telemarketing_range


def test_it_reads_numbers_as_people_write_them() -> None:
    for written in (
        "0969320000",
        "09 69 32 00 00",
        "09.69.32.00.00",
        "09-69-32-00-00",
        "+33 9 69 32 00 00",
        "+33969320000",
    ):
        number = parse_phone(written, PLAN)
        assert (number.e164, number.national, number.french) == (
            "+33969320000",
            "09 69 32 00 00",
            True,
        )
    assert parse_phone("+590 590 12 34 56", PLAN).french
    assert not parse_phone("+689 87 12 34 56", PLAN).french


@pytest.mark.parametrize("short", ["3949", "1014", "118 712", "3900"])
def test_a_short_number_asks_for_the_ten_digit_number(short: str) -> None:
    with pytest.raises(PhoneNumberError) as raised:
        parse_phone(short, PLAN)
    assert raised.value.short and "dix chiffres" in raised.value.message


@pytest.mark.parametrize(
    "bad", ["0969", "06 12", "+33 1", "abc", "09 69 32 00 00 00", "++33969320000", "0800-FLEURS"]
)
def test_an_invalid_number_is_refused(bad: str) -> None:
    with pytest.raises(PhoneNumberError):
        parse_phone(bad, PLAN)


def test_every_contact_point_input_error_has_its_pointer() -> None:
    document = v2(
        point("sc"),
        point("sc", value="3949"),
        point("poste", channel="postal_mail", value="1 rue de la Paix"),
        point("mail", channel="email", value="pas-une-adresse"),
        point("web", channel="chat", value="http://www.exemple.fr"),
        point("tel", value="0969"),
        point("p", purpose="complaints"),
        point("marques", brands=["Autre", "Mutuelle Exemple", "Mutuelle Exemple"]),
        point("sites", sites=[]),
        point("sites2", sites=["niort", "niort", "maison"]),
    )
    found = errors_of(document)
    assert [pointer for pointer, _ in found] == [
        "/contact_points/1/id",
        "/contact_points/1/value",
        "/contact_points/2/channel",
        "/contact_points/3/value",
        "/contact_points/4/value",
        "/contact_points/5/value",
        "/contact_points/6/purpose",
        "/contact_points/7/brands",
        "/contact_points/7/brands/0",
        "/contact_points/8/sites",
        "/contact_points/9/sites",
        "/contact_points/9/sites/2",
    ]
    messages = dict(found)
    assert "déjà utilisé par /contact_points/0" in messages["/contact_points/1/id"]
    assert "dix chiffres" in messages["/contact_points/1/value"]
    assert "https://" in messages["/contact_points/4/value"]
    assert messages["/contact_points/7/brands/0"].startswith("marque inconnue « Autre »")
    assert messages["/contact_points/9/sites/2"] == "site inconnu « maison »"
    with pytest.raises(DeclarationError):
        run(document)


def test_contact_points_are_required_in_version_2_and_unknown_in_version_1() -> None:
    document = v2()
    del document["contact_points"]
    assert errors_of(document) == [("", "champ obligatoire manquant « contact_points »")]
    version_1 = v2()
    version_1["format"] = "rcf-declaration/1"
    assert errors_of(version_1) == [("", "champ inconnu « contact_points »")]


def test_the_version_2_schema_agrees_with_the_scheme_file() -> None:
    scheme = load_scheme("2")
    properties = declaration_schema("2")["$defs"]["contact_point"]["properties"]
    assert properties["channel"]["enum"] == scheme.section("contact_points")["channels"]
    assert properties["purpose"]["enum"] == list(scheme.section("contact_points")["purposes"])
    assert set(scheme.section("contact_points")["channels"]) < set(scheme.enumerations["channels"])
    assert declaration_schema("1")["$defs"].get("contact_point") is None
