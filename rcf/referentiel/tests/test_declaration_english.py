"""The validator's input errors have an English wording for the pages under /en/; the French
messages themselves (the formats') are unchanged."""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable
from typing import Any

import pytest

from rcf.referentiel.declaration import (
    DeclarationError,
    parse_declaration_json,
    validate_declaration,
)
from rcf.referentiel.declaration.english import DESCRIPTIONS, english_message, message_in
from rcf.referentiel.tests.builders import example

FRENCH = re.compile(
    r"\b(?:doit|être|reçu|champ|inconnue?|valeurs?|clé|caractères|éléments|déjà|utilisé|"
    r"chaîne|donneurs?|contredit|pays|département|ligne|colonne|fichier|imbriqué|"
    r"identifiant|établissement|télétravail|réservé|admises|invalide|vide|entier)\b|«|»"
)

Change = Callable[[dict[str, Any]], None]

BROKEN: list[Change] = [
    lambda d: d["operators"][0].update(colour="red"),
    lambda d: d.pop("reference_date"),
    lambda d: d.update(reference_date="2026-13-45"),
    lambda d: d.update(reference_date=12),
    lambda d: d.update(format="rcf-declaration/9"),
    lambda d: d["applicant"].update(siren="12345"),
    lambda d: d["applicant"].update(siren=123456789),
    lambda d: d["applicant"].update(brands="x"),
    lambda d: d["applicant"].update(name=""),
    lambda d: d["operators"][0].update(id="a" * 70),
    lambda d: d["scope"]["channels"].update(telephone="maybe"),
    lambda d: d["scope"]["channels"].update(fax="performed"),
    lambda d: d["scope"].update(channels=[]),
    lambda d: d["commitments"].update(notify_changes="yes"),
    lambda d: d["workforce"][0].update(headcount=-3),
    lambda d: d["workforce"][0].update(headcount=1.5),
    lambda d: d["workforce"][0].update(site="maison"),
    lambda d: d["workforce"][0].update(employer="nobody"),
    lambda d: d["workforce"][0].update(contract="stage"),
    lambda d: d["workforce"][0].update(contract_law=3),
    lambda d: d["sites"][0].update(id="Bad Id!"),
    lambda d: d["sites"][1].update(id=d["sites"][0]["id"]),
    lambda d: d["sites"][0].update(operator="ghost"),
    lambda d: d["sites"][0].update(kind="office"),
    lambda d: d["sites"][0]["location"].update(country="GP"),
    lambda d: d["sites"][0]["location"].update(country="ZZ"),
    lambda d: d["sites"][0]["location"].update(country="TN"),
    lambda d: d["sites"][0]["location"].update(commune_insee="99999"),
    lambda d: d["sites"][0]["location"].update(department="79"),
    lambda d: d["sites"][0]["location"].pop("commune_insee"),
    lambda d: d["sites"][0].update(location=[]),
    lambda d: d["sites"][0].update(channels=["telephone", "telephone"]),
    lambda d: d["operators"][0].update(id="applicant"),
    lambda d: d["operators"][0].update(parent="ghost"),
    lambda d: d["operators"][0].update(role="friend"),
    lambda d: d.update(operators={}),
    lambda d: d.update(sites="none"),
]


def _messages(change: Change) -> list[str]:
    document = example("telecom-offshore")
    change(document)
    return [e.message for e in validate_declaration(copy.deepcopy(document))]


def test_every_message_of_the_validator_has_its_english() -> None:
    seen: set[str] = set()
    for change in BROKEN:
        messages = _messages(change)
        assert messages, f"the change must break the document: {BROKEN.index(change)}"
        seen.update(messages)
    for text in [b"{", b'{"a": 1,}', b"\xff\xfe", b"[" * 100_000, b"{} x", b'{"a" 1}']:
        with pytest.raises(DeclarationError) as caught:
            parse_declaration_json(text)
        seen.update(e.message for e in caught.value.errors)
    assert len(seen) >= 30
    for message in sorted(seen):
        english = english_message(message)
        assert english != message, message
        assert not FRENCH.search(english), (message, english)


def test_values_typed_by_people_are_kept_as_they_are() -> None:
    (message,) = _messages(lambda d: d["workforce"][0].update(site="maison « bleue »"))
    assert english_message(message) == "unknown site “maison « bleue »”"


def test_a_key_error_is_translated_with_its_inner_message() -> None:
    message = "clé « Bad » : valeur invalide « Bad » : " + next(
        d for d in DESCRIPTIONS if d.startswith("identifiant")
    )
    assert english_message(message).startswith("key “Bad”: invalid value “Bad”: identifier: 1 to")


def test_other_messages_and_french_pages_are_left_alone() -> None:
    assert english_message("Le SIREN n'est pas le vôtre.") == "Le SIREN n'est pas le vôtre."
    assert message_in("champ inconnu « x »", "fr") == "champ inconnu « x »"
    assert message_in("champ inconnu « x »", "en") == "unknown field “x”"


def test_every_description_of_the_schema_has_its_english() -> None:
    from rcf.referentiel.declaration import declaration_schema

    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "description" in node and {"pattern", "format", "enum", "const"} & set(node):
                found.add(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(declaration_schema())
    assert found and found <= set(DESCRIPTIONS)


def test_the_french_messages_are_unchanged() -> None:
    """The formats' messages: the erroneous example gives the same four errors as before."""
    document = json.loads(json.dumps(example("erreurs-de-saisie")))
    errors = [(e.pointer, e.message) for e in validate_declaration(document)]
    assert errors == [
        ("/operators/0", "champ inconnu « colour »"),
        ("/sites/0/location", "le pays GP (Guadeloupe) contredit le code commune INSEE 79191"),
        ("/workforce/1/headcount", "doit être supérieur ou égal à 0 (reçu : -3)"),
        ("/workforce/2/site", "site inconnu « maison »"),
    ]


def test_each_rule_writes_every_value_it_reads() -> None:
    import string

    from rcf.referentiel.declaration.english import _RULES

    for pattern, english in _RULES:
        fields = {name for _l, name, _s, _c in string.Formatter().parse(english) if name}
        assert fields == set(pattern.groupindex), english


def test_every_contact_point_message_has_its_english() -> None:
    """Version 2: the input errors of contact points, and the numbers the phone check reads."""
    from rcf.referentiel.tests.test_contact_points import point, v2

    document = v2(
        point("sc"),
        point("sc", value="3949"),
        point("poste", channel="postal_mail", value="1 rue de la Paix"),
        point("mail", channel="email", value="pas-une-adresse"),
        point("web", channel="chat", value="http://www.exemple.fr"),
        point("tel", value="0969"),
        point("lettres", value="09 69 AB"),
        point("p", purpose="complaints"),
        point("marques", brands=["Autre"]),
        point("sites", sites=[]),
        point("sites2", sites=["maison"]),
    )
    document["format"] = "rcf-declaration/2"
    messages = {e.message for e in validate_declaration(document)}
    changed = v2()
    changed["format"] = "rcf-declaration/3"
    messages |= {e.message for e in validate_declaration(changed)}
    assert len(messages) >= 10
    for message in sorted(messages):
        english = english_message(message)
        assert english != message, message
        assert not FRENCH.search(english), (message, english)
    assert (
        english_message("identifiant « sc » déjà utilisé par /contact_points/0")
        == "identifier “sc” already used by /contact_points/0"
    )


def test_every_description_of_the_version_2_schema_has_its_english() -> None:
    """The descriptions a message may quote (those of a pattern, format, enum or const)."""
    from rcf.referentiel.declaration import declaration_schema

    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            if "description" in node and {"pattern", "format", "enum", "const"} & set(node):
                found.add(node["description"])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(declaration_schema("2"))
    assert "canal du point de contact (pas le courrier postal)" in found
    assert found <= set(DESCRIPTIONS)
