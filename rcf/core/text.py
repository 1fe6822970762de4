"""Text normalisation shared by search and sorting."""

from __future__ import annotations

import unicodedata


def fold(text: str) -> str:
    """Lower case without accents (``Télécom Évry`` → ``telecom evry``), spaces collapsed.

    Stored beside what is searched and applied to the query, so a search ignores case and
    accents identically on SQLite and PostgreSQL without database extensions.
    """
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    bare = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(bare.replace("œ", "oe").replace("æ", "ae").split())
