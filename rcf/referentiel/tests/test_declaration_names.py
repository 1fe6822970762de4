"""Names and brands of a declaration refuse the characters that make a name lie or break files:
NUL and other controls, bidirectional overrides and other invisible formats, lone surrogates,
line and paragraph separators. Each one is an input error at its JSON Pointer, in French."""

from __future__ import annotations

import json
from typing import Any

import pytest

from rcf.referentiel.declaration import parse_declaration_json, validate_declaration
from rcf.referentiel.declaration.rules import character_problems
from rcf.referentiel.tests.builders import eligible


def errors_of(document: Any) -> list[tuple[str, str]]:
    return [(e.pointer, e.message) for e in validate_declaration(document)]


def test_it_accepts_accents_apostrophes_and_non_latin_scripts() -> None:
    """Letters of any script, typographic apostrophes and non-breaking spaces are names."""
    document = eligible()
    document["applicant"]["name"] = "Société d’Œuvres « Ça » Ελληνικά 日本\u00a0SA"
    document["applicant"]["brands"] = ["شركة", "Über-Marke"]
    assert validate_declaration(document) == []


@pytest.mark.parametrize(
    ("char", "message"),
    [
        ("\x00", "contient un caractère de contrôle U+0000 en position 4"),
        ("\n", "contient un caractère de contrôle U+000A en position 4"),
        ("\x1b", "contient un caractère de contrôle U+001B en position 4"),
        (
            "\u202e",
            "contient un caractère de mise en forme invisible U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) en position 4",
        ),
        (
            "\u2066",
            "contient un caractère de mise en forme invisible U+2066 "
            "(LEFT-TO-RIGHT ISOLATE) en position 4",
        ),
        (
            "\u200b",
            "contient un caractère de mise en forme invisible U+200B "
            "(ZERO WIDTH SPACE) en position 4",
        ),
        ("\ud800", "contient un demi-caractère de substitution (surrogate) U+D800 en position 4"),
        ("\u2028", "contient un séparateur de ligne U+2028 (LINE SEPARATOR) en position 4"),
        (
            "\u2029",
            "contient un séparateur de paragraphe U+2029 (PARAGRAPH SEPARATOR) en position 4",
        ),
    ],
)
def test_it_reports_a_forbidden_character_of_the_applicant_name(char: str, message: str) -> None:
    document = eligible()
    document["applicant"]["name"] = f"Abc{char}def"
    assert errors_of(document) == [("/applicant/name", message)]


def test_it_reports_each_forbidden_character_in_every_named_field() -> None:
    """The applicant's name and brands, a site's name, an operator's name: every character
    at the pointer of its field, each with its position."""
    document = eligible()
    document["applicant"]["name"] = "\u202eCRFA"
    document["applicant"]["brands"] = ["Bonne", "Mau\x00vaise\x07"]
    document["sites"][1]["name"] = "Site\u2029B"
    document["operators"][0]["name"] = "Brest\u200dContact"
    assert errors_of(document) == [
        (
            "/applicant/brands/1",
            "contient un caractère de contrôle U+0000 en position 4",
        ),
        (
            "/applicant/brands/1",
            "contient un caractère de contrôle U+0007 en position 10",
        ),
        (
            "/applicant/name",
            "contient un caractère de mise en forme invisible U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) en position 1",
        ),
        (
            "/operators/0/name",
            "contient un caractère de mise en forme invisible U+200D "
            "(ZERO WIDTH JOINER) en position 6",
        ),
        (
            "/sites/1/name",
            "contient un séparateur de paragraphe U+2029 (PARAGRAPH SEPARATOR) en position 5",
        ),
    ]


def test_a_lone_surrogate_from_the_json_text_is_reported_at_its_name() -> None:
    """``"\\udc00"`` in the JSON text gives a string with half a character: refused where it is."""
    document = eligible()
    text = json.dumps(document).replace('"Brest Contact SAS"', '"Brest \\udc00Contact"')
    parsed = parse_declaration_json(text)
    assert errors_of(parsed) == [
        (
            "/operators/0/name",
            "contient un demi-caractère de substitution (surrogate) U+DC00 en position 7",
        )
    ]


def test_a_name_of_the_wrong_type_keeps_only_its_structural_error() -> None:
    """A brand that is a number is a schema error; the character check does not crash on it."""
    document = eligible()
    document["applicant"]["brands"] = [12]
    document["operators"][0]["name"] = None
    pointers = [pointer for pointer, _message in errors_of(document)]
    assert pointers == ["/applicant/brands/0", "/operators/0/name"]


def test_other_fields_are_not_checked_for_characters() -> None:
    """Only names and brands: a city with a tab is the schema's business, not this rule's."""
    assert character_problems("Ville\tHaute") != []
    document = eligible()
    document["sites"][0]["location"]["city"] = "Ville\tHaute"
    assert all(pointer != "/sites/0/location/city" for pointer, _ in errors_of(document))
