"""Text shared by search and sorting (folding). The characters a name may hold are checked by
:mod:`rcf.referentiel.characters`."""

from __future__ import annotations

import re
import unicodedata


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
