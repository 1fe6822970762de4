"""Text shared by search and sorting (folding), and the check of the characters a name may hold."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass


def fold(text: str) -> str:
    """Lower case without accents (``Télécom Évry`` → ``telecom evry``), spaces collapsed.

    Stored beside what is searched and applied to the query, so a search ignores case and
    accents identically on SQLite and PostgreSQL without database extensions.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("œ", "oe").replace("æ", "ae").split())


# Trigram similarity (the typo tolerance of the registry search) -------------------------------

_WORD = re.compile(r"[^\W_]+")


def words(text: str, *, folded: bool = False) -> list[str]:
    """The words of ``text`` folded (unless it already is), split at anything that is not a
    letter or digit."""
    return _WORD.findall(text if folded else fold(text))


def trigrams(word: str) -> set[str]:
    """The trigrams of one folded word, padded as PostgreSQL's pg_trgm does (two spaces before,
    one after), so that the first letters weigh more: ``trigrams("eau")`` →
    ``{"  e", " ea", "eau", "au "}``."""
    padded = f"  {word} "
    return {padded[i : i + 3] for i in range(len(padded) - 2)}


def similarity(a: str, b: str) -> float:
    """Shared trigrams over all trigrams of two folded words (pg_trgm's ``similarity``):
    1.0 for the same word, ``mutuele``/``mutuelle`` 0.7, ``boulenger``/``boulanger`` 0.54."""
    ta, tb = trigrams(a), trigrams(b)
    return len(ta & tb) / len(ta | tb) if ta or tb else 0.0


# Characters a name must not hold ---------------------------------------------------------------

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


def forbidden_character(value: str) -> ForbiddenCharacter | None:
    """The first control, invisible format, surrogate or separator character of ``value``.

    Such characters make a name look like another one (a right-to-left override shows
    ``crfa`` reversed, as ``afrc``), hide text in the registry or its open data, or break the
    files that carry it. Pure Python, so the référentiel engine can use it too.
    """
    for index, char in enumerate(value, start=1):
        kind = FORBIDDEN_CATEGORIES.get(unicodedata.category(char))
        if kind is not None:
            return ForbiddenCharacter(
                position=index,
                codepoint=f"U+{ord(char):04X}",
                name=unicodedata.name(char, ""),
                kind=kind,
            )
    return None


def text_problems(value: str) -> str | None:
    """Why ``value`` cannot be a name or a brand, in French, or None when it can.

    ``text_problems("Dupont\\u202eSA")`` →
    ``"contient un caractère de mise en forme invisible U+202E (RIGHT-TO-LEFT OVERRIDE) en
    position 7"``.
    """
    found = forbidden_character(value)
    return None if found is None else f"contient un {found.describe()}"
