"""The registry search: full text, ranked, typo-tolerant, on SQLite and PostgreSQL alike.

One function, :func:`search_certificates`, gives the ids of the matching certificates in the
order to show them; the public page, the JSON API and the certification body's list read it.
How it works (docs/registry.md, « Recherche ») :

1. **Folding.** The query is folded (:func:`rcf.core.text.fold`: lower case, no accents) like
   ``Certificate.search_text``, the indexed text (name, brands, SIREN, number), so « TÉLÉCOM »
   finds « Télécom » identically on both engines.
2. **Exact stage.** Every word of the query must appear in the text (anywhere: « mutu » finds
   « Mutuelle », « rcf-2026-0002 » a number). SQLite answers from its FTS5 trigram index (a
   quoted word is a substring query), PostgreSQL from its GIN pg_trgm index (``LIKE``). Words
   shorter than three letters, which no trigram index can serve, are matched by ``LIKE``.
   The hits are ranked in SQL: per word, 3 when it is a whole word of the company name, 2 when
   a name word starts with it, 1 otherwise (brand, SIREN, number, inside a word); 10 more when
   the query is the whole name.
3. **Near spellings.** When the exact stage finds fewer than :data:`FUZZY_BELOW` certificates,
   the words are also looked up by trigram similarity: « mutuele » finds « Mutuelle »,
   « Boulenger » finds « Boulanger ». The engine gives the :data:`CANDIDATES` texts sharing the
   most trigrams with the words — SQLite: an FTS5 query of every trigram of the words joined
   by OR, ordered by bm25 (the more trigrams matched, and the rarer, the better); PostgreSQL:
   pg_trgm's ``<%`` operator (word similarity, served by the same GIN index), ordered by the
   sum of ``word_similarity``. Then Python scores each candidate the same way on both engines
   (:func:`rcf.core.text.word_similarity`, pg_trgm's trigram similarity against the closest
   word of the text) and keeps those where every word scores at least :data:`THRESHOLD`
   (a word with a digit must be there as typed: a SIREN one digit off is another company).
   They come after the exact hits, best first.

Filters (public status, territory, department, channel) apply to both stages; the order is
relevance when there are words, otherwise the folded name; ``sort="name"`` or
``sort="recent"`` (latest validity start first) override it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection
from django.db.models import Case, IntegerField, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat

from rcf.certification.models import Certificate
from rcf.core.text import fold, word_similarity, words

SORTS = ("relevance", "name", "recent")
"""The orders a search may ask for (``sort``); an empty or unknown one is the default."""

FUZZY_BELOW = 20
"""Near spellings are looked for when the exact words find fewer certificates than a page."""

CANDIDATES = 300
"""How many texts the engine proposes for the similarity scoring in Python."""

THRESHOLD = 0.4
"""The lowest similarity of a word to its closest word of a text: « nort » (0.43 to « nord »)
is kept, « boulangerie » (0.375 to « boulenger ») is not."""

FTS_MATCH = "SELECT rowid FROM registry_search_fts WHERE registry_search_fts MATCH %s"
"""The FTS5 table of rcf/registry/migrations/0002_full_text_search.py (SQLite)."""

ORDERS = {
    "name": ("sort_name", "number"),
    "recent": ("-valid_from", "-number"),
}


@dataclass(frozen=True)
class Filters:
    """What narrows a search; an empty value does not filter."""

    status: str = ""
    """The public status (``Certificate.objects.with_public_status``)."""
    territory: str = ""
    department: str = ""
    channel: str = ""


def search_certificates(
    q: str = "",
    filters: Filters | None = None,
    sort: str = "",
    today: dt.date | None = None,
) -> list[int]:
    """The ids of the certificates matching ``q`` and ``filters``, in the order ``sort``."""
    terms = fold(q).split()
    if sort not in SORTS or (sort == "relevance" and not terms):
        sort = "relevance" if terms else "name"
    base = _filtered(filters or Filters(), today)
    exact = _containing(base, terms)
    if sort == "relevance":
        exact = exact.annotate(padded_name=Concat(Value(" "), "sort_name", Value(" ")))
        exact = exact.annotate(relevance=_relevance(terms)).order_by(
            "-relevance", "sort_name", "number"
        )
    else:
        exact = exact.order_by(*ORDERS[sort])
    ids = list(exact.values_list("pk", flat=True))
    if not terms or len(ids) >= FUZZY_BELOW:
        return ids
    near = _near(base, terms, exclude=ids)
    if not near:
        return ids
    if sort == "relevance":
        near.sort(key=lambda row: (-row.score, row.sort_name, row.number))
        return ids + [row.pk for row in near]
    # A handful of exact hits (fewer than FUZZY_BELOW): merged with the near ones in Python.
    rows = near + [
        _Row(pk, 1.0, name, start, number)
        for pk, name, start, number in Certificate.objects.filter(pk__in=ids).values_list(
            "pk", "sort_name", "valid_from", "number"
        )
    ]
    if sort == "name":
        rows.sort(key=lambda row: (row.sort_name, row.number))
    else:
        rows.sort(key=lambda row: (row.valid_from, row.number), reverse=True)
    return [row.pk for row in rows]


def _filtered(filters: Filters, today: dt.date | None) -> QuerySet[Certificate]:
    queryset = Certificate.objects.with_public_status(today)
    if filters.status:
        queryset = queryset.filter(public_status=filters.status)  # type: ignore[misc]
    # Scope lists are stored as quoted tokens; matching the quoted value keeps it portable.
    if filters.territory:
        queryset = queryset.filter(search_filters__contains=f'"t:{filters.territory}"')
    if filters.department:
        queryset = queryset.filter(search_filters__contains=f'"d:{filters.department}"')
    if filters.channel:
        queryset = queryset.filter(search_filters__contains=f'"c:{filters.channel}"')
    return queryset


def _containing(queryset: QuerySet[Certificate], terms: list[str]) -> QuerySet[Certificate]:
    """Certificates whose text holds every term."""
    short = [term for term in terms if len(term) < 3]
    long = [term for term in terms if len(term) >= 3]
    if long and connection.vendor == "sqlite":
        # One FTS5 query: each quoted term is a substring for the trigram tokenizer.
        match = " AND ".join(_fts_string(term) for term in long)
        queryset = queryset.filter(
            pk__in=RawSQL(FTS_MATCH, [match])  # noqa: S611 -- a constant; the words are a parameter
        )
    else:
        short += long  # PostgreSQL: LIKE '%term%' served by the GIN trigram index
    for term in short:
        queryset = queryset.filter(search_text__contains=term)
    return queryset


def _fts_string(text: str) -> str:
    """An FTS5 string literal (a double quote is written twice)."""
    return '"' + text.replace('"', '""') + '"'


def _relevance(terms: list[str]) -> Any:
    """The SQL score of an exact hit (see the module's documentation); ``padded_name`` is the
    folded name between two spaces, so that a whole word is `` word ``."""
    score: Any = Case(
        When(sort_name=" ".join(terms), then=Value(10)),
        default=Value(0),
        output_field=IntegerField(),
    )
    for term in terms:
        score = score + Case(
            When(padded_name__contains=f" {term} ", then=Value(3)),
            When(padded_name__contains=f" {term}", then=Value(2)),
            default=Value(1),
            output_field=IntegerField(),
        )
    return score


@dataclass(frozen=True)
class _Row:
    pk: int
    score: float
    sort_name: str
    valid_from: dt.date
    number: str


def _near(queryset: QuerySet[Certificate], terms: list[str], exclude: Iterable[int]) -> list[_Row]:
    """Certificates where every term is at least :data:`THRESHOLD` similar to a word of the
    text, with their mean similarity; none of ``exclude``."""
    tokens = sorted({token for term in terms for token in words(term) if len(token) >= 3})
    if not tokens:
        return []
    candidates = _candidates(tokens)
    if not candidates:
        return []
    rows = (
        queryset.filter(pk__in=candidates)
        .exclude(pk__in=list(exclude))
        .values_list("pk", "search_text", "sort_name", "valid_from", "number")
    )
    found = []
    for pk, text, name, start, number in rows:
        scores = [_term_score(term, text) for term in terms]
        if min(scores) >= THRESHOLD:
            found.append(_Row(pk, sum(scores) / len(scores), name, start, number))
    return found


def _term_score(term: str, text: str) -> float:
    """How well one query term matches ``text``: its weakest word. A word with a digit (SIREN,
    certificate number) must be there as typed: one digit off is another company."""
    if term in text:
        return 1.0
    tokens = words(term)
    if not tokens:
        return 0.0
    return min(
        (1.0 if token in text else 0.0)
        if any(c.isdigit() for c in token)
        else word_similarity(token, text)
        for token in tokens
    )


def _candidates(tokens: list[str]) -> list[int]:
    """The ids of the :data:`CANDIDATES` texts closest to ``tokens`` for the engine."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            grams = sorted({token[i : i + 3] for token in tokens for i in range(len(token) - 2)})
            cursor.execute(
                FTS_MATCH + " ORDER BY rank LIMIT %s",
                [" OR ".join(_fts_string(gram) for gram in grams), CANDIDATES],
            )
        else:
            # The operator's threshold (0.6 by default) is lowered below what the Python
            # scoring keeps: pg_trgm's word similarity is never below the trigram similarity.
            cursor.execute("SET pg_trgm.word_similarity_threshold = 0.3")
            near = " OR ".join(["%s <%% search_text"] * len(tokens))
            total = " + ".join(["word_similarity(%s, search_text)"] * len(tokens))
            cursor.execute(
                # Constant text and one placeholder per word: the words are parameters.
                f"SELECT id FROM certificates_certificate WHERE {near} "  # noqa: S608
                f"ORDER BY {total} DESC LIMIT %s",
                [*tokens, *tokens, CANDIDATES],
            )
        return [row[0] for row in cursor.fetchall()]
