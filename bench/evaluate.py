"""Benchmark of the pre-check: validation + evaluation of a large declaration against json.loads.

    python bench/evaluate.py [--runs N]

Generates a valid ``rcf-declaration/1`` with 2,000 sites, 500 operators and 20,000 workforce
rows (fixed seed), then times, in the same process and each as the best of N runs:
``json.loads`` of the document, and ``evaluate_declaration`` (which validates, then evaluates).
The target is validation + evaluation ≤ 2 × json.loads; it exits 1 when missed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import random
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from stdnum import luhn

from rcf.referentiel.engine import evaluate_declaration
from rcf.referentiel.evidence import Membership, PayrollDeclaration, WorkplaceCount

SITES, OPERATORS, ROWS = 2_000, 500, 20_000
TARGET_RATIO = 2.0
CHANNELS = ["telephone", "email", "chat", "messaging", "social_media", "postal_mail", "video"]
CONTRACTS = ["cdi", "cdd", "cdi_intermittent", "apprenticeship", "professionalisation"]


def siren(rng: random.Random) -> str:
    body = f"{rng.randrange(10**7, 10**8)}"
    return body + luhn.calc_check_digit(body)


def siret(owner: str, nic: int) -> str:
    body = f"{owner}{nic:04d}"
    return body + luhn.calc_check_digit(body)


def declaration(seed: int = 2026) -> dict[str, Any]:
    rng = random.Random(seed)
    applicant = siren(rng)
    operators: list[dict[str, Any]] = []
    for i in range(OPERATORS):
        temp = i % 10 == 9
        parent = "applicant" if i < 50 or temp else f"op-{rng.randrange(50)}"
        operators.append(
            {
                "id": f"op-{i}",
                "role": "temp_agency" if temp else "subcontractor",
                "parent": parent,
                "name": f"Opérateur {i} SAS",
                "country": "FR",
                "siren": siren(rng),
                "france_clause": True,
                "contract_reference": f"CT-{i:04d}",
            }
        )
    owners = ["applicant"] + [op["id"] for op in operators if op["role"] == "subcontractor"]
    siren_of = {"applicant": applicant} | {op["id"]: op["siren"] for op in operators}
    agencies = [op["id"] for op in operators if op["role"] == "temp_agency"]
    sites: list[dict[str, Any]] = []
    for i in range(SITES):
        owner = "applicant" if i % 4 == 0 else owners[1 + i % (len(owners) - 1)]
        department = f"{rng.randrange(1, 96):02d}".replace("20", "21")
        site = {
            "id": f"site-{i}",
            "operator": owner,
            "kind": "establishment",
            "name": f"Centre {i}",
            "siret": siret(siren_of[owner], i + 1),
            "location": {
                "country": "FR",
                "commune_insee": f"{department}{rng.randrange(1, 999):03d}",
                "city": f"Ville {i}",
            },
            "channels": CHANNELS,
            "activities": ["front_office", "back_office"],
            "phases": ["pre_sale", "sale", "after_sale"],
        }
        if i % 7 == 6:
            del site["siret"]
            site["kind"] = "telework"
            site["location"] = {"country": "FR", "department": department}
        sites.append(site)
    workforce: list[dict[str, Any]] = []
    for i in range(ROWS):
        site = sites[i % SITES]
        interim = i % 10 == 9
        workforce.append(
            {
                "site": site["id"],
                "employer": rng.choice(agencies) if interim else site["operator"],
                "contract": "interim" if interim else rng.choice(CONTRACTS),
                "contract_law": "FR",
                "headcount": rng.randrange(1, 40),
                "function": "adviser",
            }
        )
    return {
        "format": "rcf-declaration/1",
        "reference_date": "2026-09-30",
        "applicant": {"siren": applicant, "name": "Banc d'essai SA", "brands": ["Banc"]},
        "scope": {
            "channels": dict.fromkeys(CHANNELS, "performed"),
            "activities": {"front_office": "performed", "back_office": "performed"},
            "phases": {"pre_sale": "performed", "sale": "performed", "after_sale": "performed"},
        },
        "operators": operators,
        "sites": sites,
        "workforce": workforce,
        "commitments": {"notify_changes": True, "accept_audits": True},
    }


def evidence(document: dict[str, Any]) -> list[PayrollDeclaration]:
    """One DSN per establishment of the applicant, matching what it declares."""
    applicant = document["applicant"]["siren"]
    own: dict[str, int] = {}
    for row in document["workforce"]:
        if row["employer"] == "applicant":
            own[row["site"]] = own.get(row["site"], 0) + row["headcount"]
    return [
        PayrollDeclaration(
            source=f"{site['siret']}.dsn",
            siren=applicant,
            siret=site["siret"],
            month="2026-09",
            nature="01",
            type="01",
            workplaces=(WorkplaceCount(site["siret"], own[site["id"]]),),
        )
        for site in document["sites"]
        if site["operator"] == "applicant" and "siret" in site and site["id"] in own
    ]


def best_of(runs: int, function: Callable[[], object]) -> float:
    best = float("inf")
    for _ in range(runs):
        start = time.perf_counter()
        function()
        best = min(best, time.perf_counter() - start)
    return best


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    runs = parser.parse_args().runs

    document = declaration()
    text = json.dumps(document, ensure_ascii=False)
    payroll = evidence(document)
    memberships = [Membership("BENCH-1", document["applicant"]["siren"], dt.date(2020, 1, 1), None)]

    result = evaluate_declaration(json.loads(text), memberships=memberships, payroll=payroll)
    assert result["verdict"] == "eligible", json.dumps(result["requirements"])[:2000]

    parse = best_of(runs, lambda: json.loads(text))
    parsed = json.loads(text)
    check = best_of(
        runs, lambda: evaluate_declaration(parsed, memberships=memberships, payroll=payroll)
    )
    ratio = check / parse
    machine = platform.processor() or platform.machine()
    print(
        f"document: {len(text.encode()):,} bytes, {SITES:,} sites, {OPERATORS:,} operators, "
        f"{ROWS:,} workforce rows, {len(payroll)} DSN summaries"
    )
    print(f"machine: {machine}, {os.cpu_count()} CPUs, Python {platform.python_version()}")
    print(f"json.loads:              {parse * 1000:8.1f} ms (best of {runs})")
    print(f"validation + evaluation: {check * 1000:8.1f} ms (best of {runs})")
    print(
        f"ratio: {ratio:.2f}x json.loads (target <= {TARGET_RATIO:.0f}x): "
        f"{'met' if ratio <= TARGET_RATIO else 'NOT MET'}"
    )
    return 0 if ratio <= TARGET_RATIO else 1


if __name__ == "__main__":
    sys.exit(main())
