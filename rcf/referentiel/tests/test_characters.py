"""``forbidden_character`` and ``text_problems``: the characters a name or a brand may not hold."""

from __future__ import annotations

import pytest

from rcf.referentiel.characters import forbidden_character, text_problems


@pytest.mark.parametrize(
    ("value", "problem"),
    [
        (
            "Dupont\u202eSA",
            "contient un caractère de mise en forme invisible U+202E "
            "(RIGHT-TO-LEFT OVERRIDE) en position 7",
        ),
        (
            "\u2066x",
            "contient un caractère de mise en forme invisible U+2066 "
            "(LEFT-TO-RIGHT ISOLATE) en position 1",
        ),
        (
            "Tel\u200bEx",
            "contient un caractère de mise en forme invisible U+200B "
            "(ZERO WIDTH SPACE) en position 4",
        ),
        ("a\x00b", "contient un caractère de contrôle U+0000 en position 2"),
        ("a\tb", "contient un caractère de contrôle U+0009 en position 2"),
        ("x\ud800", "contient un demi-caractère de substitution (surrogate) U+D800 en position 2"),
        ("a\u2028b", "contient un séparateur de ligne U+2028 (LINE SEPARATOR) en position 2"),
    ],
    ids=["rlo", "isolate", "zero-width", "nul", "tab", "surrogate", "line-separator"],
)
def test_it_names_the_first_forbidden_character(value: str, problem: str) -> None:
    assert text_problems(value) == problem


@pytest.mark.parametrize(
    "value", ["Télécom Exemple SA", "L'Œuvre & Fils", "ＡＦＲＣ", "Mutuelle 79 — Niort", "", "日本"]
)
def test_it_accepts_ordinary_names(value: str) -> None:
    """Accents, ligatures, full-width and other scripts, dashes, the empty string: fine."""
    assert text_problems(value) is None
    assert forbidden_character(value) is None
