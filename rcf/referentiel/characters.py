"""The characters a name, a brand or a user name may not hold.

One rule for the declarations (``rcf.referentiel.declaration.rules``), the accounts and the
members' register: pure Python, in the référentiel, so that every part of the platform may use
it (the référentiel imports nothing of Django).
"""

from __future__ import annotations

import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

#: Unicode general categories refused in names and brands: controls (NUL, tab, newline, escape
#: sequences), formats (bidirectional overrides and isolates, zero-width spaces and joiners,
#: soft hyphen, byte-order mark), surrogates (a lone half of a UTF-16 pair, which no UTF-8 text
#: can hold) and the line and paragraph separators.
FORBIDDEN_CATEGORIES = {
    "Cc": "caractère de contrôle",
    "Cf": "caractère de mise en forme invisible",
    "Cs": "demi-caractère de substitution (surrogate)",
    "Zl": "séparateur de ligne",
    "Zp": "séparateur de paragraphe",
}


@dataclass(frozen=True)
class ForbiddenCharacter:
    """The first character of a text that a name may not hold, and where it is (1-based)."""

    position: int
    codepoint: str  # "U+202E"
    name: str  # "RIGHT-TO-LEFT OVERRIDE", or "" when Unicode gives none (controls)
    kind: str  # French words for its category

    def describe(self) -> str:
        named = f" ({self.name})" if self.name else ""
        return f"{self.kind} {self.codepoint}{named} en position {self.position}"


def forbidden_characters(value: str) -> Iterator[ForbiddenCharacter]:
    """Every control, invisible format, surrogate or separator character of ``value``, in
    order."""
    for index, char in enumerate(value, start=1):
        kind = FORBIDDEN_CATEGORIES.get(unicodedata.category(char))
        if kind is not None:
            yield ForbiddenCharacter(
                position=index,
                codepoint=f"U+{ord(char):04X}",
                name=unicodedata.name(char, ""),
                kind=kind,
            )


def forbidden_character(value: str) -> ForbiddenCharacter | None:
    """The first control, invisible format, surrogate or separator character of ``value``.

    Such characters make a name look like another one (a right-to-left override shows
    ``crfa`` reversed, as ``afrc``), hide text in the registry or its open data, or break the
    files that carry it.
    """
    return next(forbidden_characters(value), None)


def text_problems(value: str) -> str | None:
    """Why ``value`` cannot be a name or a brand, in French, or None when it can.

    ``text_problems("Dupont\\u202eSA")`` →
    ``"contient un caractère de mise en forme invisible U+202E (RIGHT-TO-LEFT OVERRIDE) en
    position 7"``.
    """
    found = forbidden_character(value)
    return None if found is None else f"contient un {found.describe()}"
