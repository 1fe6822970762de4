"""Time the registry search in process, on the database of RCF_DATA_DIR / DATABASE_URL.

    RCF_DATA_DIR=/tmp/x python bench/search.py [--rounds 20]

Runs each query of :data:`QUERIES` (words matching a few to a few thousand companies of
``bench/make_registry.py``, misspelt words, filters, orders) ``--rounds`` times through
:func:`search_certificates` plus the read of one page of 20 results, as the API does, and
prints the median and 95th percentile per query and over all: « engine » with the remembered
results forgotten before each call (the cost of a query never asked before; the vocabulary,
built once per change of the registry, is kept), « remembered » without. No HTTP: the search's
own cost, which bench/http.sh then measures behind the server.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcf.settings")

import django

django.setup()

from django.db import connection  # noqa: E402

from rcf.certification.selectors.certificate import certificates_in_order  # noqa: E402
from rcf.certification.selectors.search import (  # noqa: E402
    _RESULTS,
    Filters,
    _vocabulary,
    search_certificates,
)

QUERIES: list[tuple[str, Filters, str]] = [
    ("telecom", Filters(), ""),
    ("energie", Filters(), ""),
    ("mutuelle nord", Filters(), ""),
    ("assurances ouest", Filters(), ""),
    ("sante provence", Filters(), ""),
    ("gaz sas", Filters(), "name"),
    ("eau bretagne", Filters(status="active"), ""),
    ("optique", Filters(department="29"), "recent"),
    ("mutuele", Filters(), ""),  # typos: near spellings
    ("telecm bretagen", Filters(), ""),
    ("electricte", Filters(channel="chat"), ""),
    ("librarie auvergne 4321", Filters(), ""),
    ("", Filters(territory="drom", channel="video"), ""),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    options = parser.parse_args()
    start = time.perf_counter()
    _vocabulary(None)
    print(f"{connection.vendor}: vocabulary built in {(time.perf_counter() - start) * 1000:.0f} ms")
    totals: dict[str, list[float]] = {"engine": [], "remembered": []}
    print(f"{'query':40} {'found':>6} {'engine p50':>10} {'p95':>6} {'remembered p95':>14}")
    for q, filters, sort in QUERIES:
        found = 0
        times: dict[str, list[float]] = {"engine": [], "remembered": []}
        for _ in range(options.rounds):
            for kind in ("engine", "remembered"):
                if kind == "engine":
                    _RESULTS.clear()
                start = time.perf_counter()
                ids = search_certificates(q, filters, sort)
                certificates_in_order(ids[:20])
                times[kind].append((time.perf_counter() - start) * 1000)
                found = len(ids)
        for kind in totals:
            totals[kind] += times[kind]
        label = " ".join(
            filter(None, [repr(q), sort, *(f"{k}={v}" for k, v in vars(filters).items() if v)])
        )
        print(
            f"{label:40} {found:6} {statistics.median(times['engine']):10.1f} "
            f"{p95(times['engine']):6.1f} {p95(times['remembered']):14.1f}"
        )
    print(
        f"{'all':40} {'':6} {statistics.median(totals['engine']):10.1f} "
        f"{p95(totals['engine']):6.1f} {p95(totals['remembered']):14.1f}"
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1]


if __name__ == "__main__":
    main()
