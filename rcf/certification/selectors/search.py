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
   each word of the query (split at hyphens and apostrophes too) is also looked up by trigram
   similarity among the words of the registry: « mutuele » finds « Mutuelle », « Boulenger »
   « Boulanger ». The similarity is pg_trgm's (:func:`rcf.core.text.similarity`: shared
   padded trigrams over all trigrams), computed in Python over the registry's vocabulary, the
   same on both engines; a word at least :data:`THRESHOLD` similar is an alternative of the
   query word (the :data:`NEAR_WORDS` closest). A word with a digit has no alternative: a
   SIREN one digit off is another company. The certificates holding, for every query word,
   the word or one of its alternatives are then found through the same trigram indexes as in
   step 2 (FTS5: ``("mutuelle" OR "mutuel") AND …``; PostgreSQL: ``LIKE`` alternatives served
   by the GIN index), scored in SQL by the similarity of the alternative each word matched,
   and come after the exact hits, best first. Unlike « the top N by bm25 », nothing is cut:
   every company holding a near spelling is found, with the filters applied in the query.

**Memory.** The vocabulary (the distinct words of ``search_text`` without digits, with a
trigram index of them) and the last results are kept per process while the database's
``registry_search_generation`` (a random number every write to the certificates table
replaces, by trigger) stays the same: one small query per search checks it.

Filters (public status, territory, department, channel) apply to both stages; the order is
relevance when there are words, otherwise the folded name; ``sort="name"`` or
``sort="recent"`` (most recently certified first) override it.
"""

from __future__ import annotations

import datetime as dt
import re
import threading
from array import array
from collections import Counter, OrderedDict
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from django.db import connection
from django.db.models import Case, FloatField, IntegerField, Q, QuerySet, Value, When
from django.db.models.expressions import RawSQL
from django.db.models.functions import Concat
from django.utils import timezone

from rcf.certification.models import Certificate
from rcf.core.text import fold, trigrams, words

SORTS = ("relevance", "name", "recent", "ending")
"""The orders a search may ask for (``sort``); an empty or unknown one is the default."""

FUZZY_BELOW = 20
"""Near spellings are looked for when the exact words find fewer certificates than a page."""

THRESHOLD = 0.4
"""The lowest similarity of a registry word to a query word to stand for it: « nort » (0.43
to « nord ») is kept, « boulangerie » (0.375 to « boulenger ») is not."""

NEAR_WORDS = 8
"""Alternatives kept per query word, the closest first."""

FTS_MATCH = "SELECT rowid FROM registry_search_fts WHERE registry_search_fts MATCH %s"
"""The FTS5 table of rcf/registry/migrations/0002_full_text_search.py (SQLite)."""

GENERATION = "SELECT value FROM registry_search_generation WHERE id = 1"
TEXTS = "SELECT search_text FROM certificates_certificate"

RESULTS_KEPT = 2_000_000
"""Certificate ids kept in memory over all remembered results (8 bytes each)."""

ORDERS = {
    # Valid certificates first, whatever the order asked: a withdrawn one never heads a list.
    "name": ("status_rank", "sort_name", "number"),
    "recent": ("status_rank", "-first_issued_on", "-valid_from", "-number"),
    "ending": ("status_rank", "valid_until", "sort_name", "number"),
}

STATUS_RANK = Case(
    When(public_status="active", then=Value(0)),
    When(public_status="suspended", then=Value(1)),
    When(public_status="expired", then=Value(2)),
    default=Value(3),
    output_field=IntegerField(),
)


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
    filters = filters or Filters()
    today = today or timezone.localdate()
    generation = registry_search_generation()
    key = (generation, today, tuple(terms), filters, sort)
    kept = _RESULTS.get(key)
    if kept is not None:
        return kept
    ids = _search(terms, filters, sort, today, generation)
    _RESULTS.put(key, ids)
    return ids


def _search(
    terms: list[str], filters: Filters, sort: str, today: dt.date, generation: int | None
) -> list[int]:
    base = _filtered(filters, today)
    exact = _containing(base, terms)
    if sort == "relevance":
        exact = exact.annotate(padded_name=Concat(Value(" "), "sort_name", Value(" ")))
        exact = exact.annotate(relevance=_relevance(terms)).order_by(
            "status_rank", "-relevance", "sort_name", "number"
        )
    else:
        exact = exact.order_by(*ORDERS[sort])
    ids = _ids(exact)
    if not terms or len(ids) >= FUZZY_BELOW:
        return ids
    alternatives = _alternatives(terms, _vocabulary(generation))
    if alternatives is None:
        return ids
    near = _holding_one_of_each(base, alternatives)
    if sort == "relevance":
        near = near.exclude(pk__in=ids)
        near = near.annotate(nearness=_nearness(alternatives)).order_by(
            "status_rank", "-nearness", "sort_name", "number"
        )
        return ids + _ids(near)
    # The exact hits hold every word too: one query in the order asked.
    return _ids((near | base.filter(pk__in=ids)).order_by(*ORDERS[sort]))


def _ids(queryset: QuerySet[Certificate]) -> list[int]:
    """The ids of ``queryset`` in its order, read straight from the cursor: thousands of rows
    cost half as much as through ``values_list`` (no converter or iterator per row; an id
    needs none on either engine)."""
    query = queryset.values_list("pk", flat=True).query
    sql, params = query.get_compiler(using=queryset.db).as_sql()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [row[0] for row in cursor.fetchall()]


def registry_search_generation() -> int | None:
    """The number the database changes at every write to the certificates table."""
    with connection.cursor() as cursor:
        cursor.execute(GENERATION)
        row = cursor.fetchone()
    return None if row is None else int(row[0])


def _filtered(filters: Filters, today: dt.date) -> QuerySet[Certificate]:
    queryset = Certificate.objects.with_public_status(today).annotate(status_rank=STATUS_RANK)
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
    return _holding_one_of_each(queryset, [[(term, 1.0)] for term in terms])


def _holding_one_of_each(
    queryset: QuerySet[Certificate], alternatives: list[list[tuple[str, float]]]
) -> QuerySet[Certificate]:
    """Certificates whose text holds, for each list, at least one of its words."""
    indexed = [group for group in alternatives if all(len(word) >= 3 for word, _ in group)]
    if indexed and connection.vendor == "sqlite":
        # One FTS5 query: each quoted word is a substring for the trigram tokenizer.
        match = " AND ".join(
            "(" + " OR ".join(_fts_string(word) for word, _ in group) + ")" for group in indexed
        )
        queryset = queryset.filter(
            pk__in=RawSQL(FTS_MATCH, [match])  # noqa: S611 -- a constant; the words are a parameter
        )
        rest = [group for group in alternatives if group not in indexed]
    else:
        rest = alternatives  # PostgreSQL: LIKE '%word%' served by the GIN trigram index
    for group in rest:
        condition = Q()
        for word, _ in group:
            condition |= Q(search_text__contains=word)
        queryset = queryset.filter(condition)
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


def _nearness(alternatives: list[list[tuple[str, float]]]) -> Any:
    """The SQL score of a near hit: the similarity of the closest alternative each query word
    matched, summed."""
    score: Any = Value(0.0, output_field=FloatField())
    for group in alternatives:
        ranked = sorted(group, key=lambda alternative: -alternative[1])
        score = score + Case(
            *(
                When(search_text__contains=word, then=Value(similarity))
                for word, similarity in ranked
            ),
            default=Value(0.0),
            output_field=FloatField(),
        )
    return score


def _alternatives(terms: list[str], vocabulary: Vocabulary) -> list[list[tuple[str, float]]] | None:
    """For each word of the query, itself and its near spellings in the registry; None when
    no word has any (the exact stage said it all)."""
    groups = []
    found = False
    for token in dict.fromkeys(token for term in terms for token in words(term, folded=True)):
        group = [(token, 1.0)]
        if len(token) >= 3 and not _DIGIT.search(token):
            near = [(w, s) for w, s in vocabulary.near(token) if token not in w]
            found |= bool(near)
            group += near
        groups.append(group)
    return groups if found else None


class Vocabulary:
    """The distinct words of the registry (without digits), with the trigrams of each."""

    def __init__(self, texts: Iterable[str]) -> None:
        # Split at spaces first: far fewer distinct pieces than texts to look into.
        pieces: set[str] = set()
        for text in texts:
            pieces.update(text.split())
        self.words = sorted(
            {w for piece in pieces if not _DIGIT.search(piece) for w in words(piece, folded=True)}
        )
        self.sizes = array("H")
        self.postings: dict[str, array[int]] = {}
        for index, word in enumerate(self.words):
            grams = trigrams(word)
            self.sizes.append(len(grams))
            for gram in grams:
                self.postings.setdefault(gram, array("I")).append(index)

    def near(self, token: str) -> list[tuple[str, float]]:
        """The words at least :data:`THRESHOLD` similar to ``token``, closest first."""
        grams = trigrams(token)
        shared: Counter[int] = Counter()
        for gram in grams:
            shared.update(self.postings.get(gram, ()))
        found = []
        for index, count in shared.items():
            score = count / (len(grams) + self.sizes[index] - count)
            if score >= THRESHOLD:
                found.append((self.words[index], score))
        found.sort(key=lambda item: (-item[1], item[0]))
        return found[:NEAR_WORDS]


_DIGIT = re.compile(r"\d")

_VOCABULARY: dict[int | None, Vocabulary] = {}
_LOCK = threading.Lock()


def _vocabulary(generation: int | None) -> Vocabulary:
    """The vocabulary of the registry as of ``generation``, read again when it changed."""
    with _LOCK:
        kept = _VOCABULARY.get(generation)
        if kept is None:
            with connection.cursor() as cursor:  # 100,000 texts: no model instance for each
                cursor.execute(TEXTS)
                kept = Vocabulary(text for (text,) in cursor.fetchall())
            _VOCABULARY.clear()
            _VOCABULARY[generation] = kept
        return kept


class _Results:
    """The last results, as long as they hold fewer than :data:`RESULTS_KEPT` ids in all."""

    def __init__(self) -> None:
        self.kept: OrderedDict[tuple[Any, ...], array[int]] = OrderedDict()
        self.size = 0
        self.lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> list[int] | None:
        with self.lock:
            ids = self.kept.get(key)
            if ids is None:
                return None
            self.kept.move_to_end(key)
            return ids.tolist()

    def put(self, key: tuple[Any, ...], ids: list[int]) -> None:
        if key[0] is None or len(ids) > RESULTS_KEPT // 4:
            return
        with self.lock:
            if key[0] != next(iter(self.kept), (key[0],))[0]:
                self.kept.clear()  # another generation: every result is out of date
                self.size = 0
            self.kept[key] = array("q", ids)
            self.size += len(ids)
            while self.size > RESULTS_KEPT:
                _, dropped = self.kept.popitem(last=False)
                self.size -= len(dropped)

    def clear(self) -> None:
        with self.lock:
            self.kept.clear()
            self.size = 0


_RESULTS = _Results()

ANSWERS_KEPT = 4096
"""Answers built from the registry (an API page, a page of result cards) kept per process."""

T = TypeVar("T")
_ANSWERS: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
_ANSWERS_GENERATION: list[int | None] = [None]


def remembered(key: tuple[Any, ...], compute: Callable[[], T]) -> T:
    """``compute()``, remembered under ``key`` while the certificates table does not change.

    For what is made only of certificates, their companies' names and ``today`` (put ``today``
    and the language in the key): a page of the API's registry answer, the result cards of the
    registry page. Every write to the certificates table — issue, renewal, status change, a
    renamed company's reindex — changes the generation and forgets everything.
    """
    generation = registry_search_generation()
    if generation is None:
        return compute()
    with _LOCK:
        if _ANSWERS_GENERATION[0] != generation:
            _ANSWERS.clear()
            _ANSWERS_GENERATION[0] = generation
        if key in _ANSWERS:
            _ANSWERS.move_to_end(key)
            return cast(T, _ANSWERS[key])
    value = compute()
    with _LOCK:
        if _ANSWERS_GENERATION[0] == generation:
            _ANSWERS[key] = value
            while len(_ANSWERS) > ANSWERS_KEPT:
                _ANSWERS.popitem(last=False)
    return value


def forget() -> None:
    """Forget the remembered results and answers of this process (tests: a test that swaps a
    function for another must not be served what the real one answered before)."""
    _RESULTS.clear()
    with _LOCK:
        _ANSWERS.clear()
        _VOCABULARY.clear()
