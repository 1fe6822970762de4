"""Small builders for the référentiel tests: the shared examples, memberships, DSN summaries.

``examples/`` is a copy of ``shared/examples`` (the README there gives the expected results).
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import json
from functools import cache
from pathlib import Path
from typing import Any

from stdnum import luhn

from rcf.referentiel.engine import Evaluation, RequirementResult, evaluate_declaration
from rcf.referentiel.evidence import Membership, PayrollDeclaration, WorkplaceCount

EXAMPLES = Path(__file__).parent.parent / "examples"
MUTUELLE_SIREN = "845333145"
NIORT_SIRET = "84533314500017"


@cache
def _example_text(name: str) -> str:
    return (EXAMPLES / f"{name}.json").read_text("utf-8")


def example(name: str) -> dict[str, Any]:
    """A fresh copy of ``examples/<name>.json``."""
    document: dict[str, Any] = json.loads(_example_text(name))
    return document


def example_memberships() -> list[Membership]:
    """The rows of ``examples/members.csv`` as the engine takes them."""
    with (EXAMPLES / "members.csv").open(encoding="utf-8", newline="") as file:
        return [
            Membership(
                row["member_number"],
                row["siren"],
                dt.date.fromisoformat(row["valid_from"]),
                dt.date.fromisoformat(row["valid_until"]) if row["valid_until"] else None,
            )
            for row in csv.DictReader(file)
        ]


def siren_with_key(body: str) -> str:
    """A valid SIREN from 8 digits."""
    return body + luhn.calc_check_digit(body)


def siret_of(siren: str, nic: str) -> str:
    """A valid SIRET from a SIREN and a 4-digit NIC body."""
    return siren + nic + luhn.calc_check_digit(siren + nic)


def dsn(
    siret: str = NIORT_SIRET,
    headcount: int = 67,
    *,
    siren: str | None = None,
    month: str = "2026-06",
    nature: str = "01",
    type: str = "01",
    workplace: str | None = None,
    abroad: int = 0,
    source: str | None = None,
    extra: tuple[WorkplaceCount, ...] = (),
) -> PayrollDeclaration:
    """The summary of one DSN of ``siret`` listing ``headcount`` active individuals working at
    ``workplace`` (by default the declaring establishment itself)."""
    return PayrollDeclaration(
        source=source or f"{siret}-{month}-{type}.dsn",
        siren=siren or siret[:9],
        siret=siret,
        month=month,
        nature=nature,
        type=type,
        workplaces=(WorkplaceCount(workplace or siret, headcount, abroad), *extra),
    )


def eligible() -> dict[str, Any]:
    """``mutuelle-sans-dsn.json``: eligible with :func:`dsn` of niort and its membership."""
    return example("mutuelle-sans-dsn")


def run(
    document: dict[str, Any],
    *,
    payroll: list[PayrollDeclaration] | None = None,
    memberships: list[Membership] | None = None,
) -> Evaluation:
    """Evaluate with the examples' memberships and, by default, a DSN that supports niort."""
    return evaluate_declaration(
        copy.deepcopy(document),
        memberships=example_memberships() if memberships is None else memberships,
        payroll=[dsn()] if payroll is None else payroll,
    )


def requirement(evaluation: Evaluation, ident: str) -> RequirementResult:
    return next(r for r in evaluation["requirements"] if r["id"] == ident)


def statuses(evaluation: Evaluation) -> dict[str, str]:
    return {r["id"]: r["status"] for r in evaluation["requirements"]}


def codes(evaluation: Evaluation) -> list[str]:
    return [f["code"] for r in evaluation["requirements"] for f in r["findings"]]


def not_conforme(evaluation: Evaluation) -> dict[str, str]:
    """The requirements whose status is not ``conforme``."""
    return {k: v for k, v in statuses(evaluation).items() if v != "conforme"}
