"""What a DSN declaration is reduced to: the ``rcf-dsn-summary/1`` shapes (``dsn.md`` §4).

Counts only: no NIR, no name, nothing about a person. The reader builds these objects; the
``rcf dsn summary`` command prints them and ``rcf evaluate --dsn`` turns them into the engine's
:class:`~rcf.referentiel.evidence.PayrollDeclaration`. Pure Python, no Django.
"""

from __future__ import annotations

import calendar
import datetime as dt
from dataclasses import dataclass, field
from typing import TypedDict

from rcf.referentiel.evidence import PayrollDeclaration, WorkplaceCount
from rcf.referentiel.scheme import Scheme, SchemeError
from rcf.referentiel.territory import UNKNOWN, classify_commune, classify_location
from rcf.referentiel.versions import load_scheme, scheme_in_effect, scheme_versions

FORMAT = "rcf-dsn-summary/1"

# Postal codes that the INSEE commune table cannot read as they are: Saint-Barthélemy and
# Saint-Martin use postal codes of the Guadeloupe range (référentiel §1.1).
_POSTAL_COMMUNES = {"97133": "97701", "97150": "97801"}


def territory_scheme(month: str) -> Scheme:
    """The scheme whose territory table classifies the workplaces of a declaration of that
    month (``YYYY-MM``): the version in effect on its last day, which is when the counted
    individuals are active. A month before any version took effect uses the first version."""
    year, number = int(month[:4]), int(month[5:7])
    last_day = dt.date(year, number, calendar.monthrange(year, number)[1])
    try:
        return scheme_in_effect(last_day)
    except SchemeError:
        return load_scheme(scheme_versions()[0])


def workplace_territory(country: str | None, commune: str | None, scheme: Scheme) -> str:
    """Territory of a workplace from its ``S21.G00.85`` block (``.006`` code pays, ``.011``
    INSEE commune code).

    An absent code pays means the French postal system, which also serves Monaco and the
    outside collectivities: the commune code decides. A code pays that is an overseas ISO
    alias (``RE``, ``NC`` …) is read as référentiel §1.1 reads it; any other foreign code is
    ``outside``; neither a foreign code nor a commune code gives ``unknown``.
    """
    if country and country != "FR":
        return classify_location(country, scheme=scheme)
    if commune:
        return classify_commune(commune, scheme)
    return UNKNOWN


def establishment_territory(country: str | None, postal_code: str | None, scheme: Scheme) -> str:
    """Territory of the declaring establishment when no ``S21.G00.85`` block describes it.

    The ``S21.G00.11`` block has no INSEE commune code, only an address: ``.015`` code pays
    (absent in the French postal system) and ``.004`` code postal. A foreign code pays is
    classified like a workplace's. A French postal code is read through the INSEE table: the
    first two or three characters of a postal code are its department, as for a commune code,
    except Corsica (``20`` → ``2A``/``2B``), Monaco (``980``), Saint-Barthélemy (``97133``) and
    Saint-Martin (``97150``), which are mapped explicitly. Anything else is ``unknown``.
    """
    if country and country != "FR":
        return classify_location(country, scheme=scheme)
    if not postal_code or len(postal_code) != 5 or not postal_code.isdigit():
        return UNKNOWN
    if postal_code.startswith("980"):
        return classify_location("MC", scheme=scheme)
    if postal_code.startswith("20"):
        return classify_commune("2A" + postal_code[2:], scheme)
    return classify_commune(_POSTAL_COMMUNES.get(postal_code, postal_code), scheme)


class WorkplaceEntry(TypedDict):
    """A workplace of a declaration in ``rcf-dsn-summary/1``."""

    workplace: str
    territory: str
    headcount: int
    by_contract_nature: dict[str, int]
    working_abroad: int


class DeclarationEntry(TypedDict):
    """A declaration in ``rcf-dsn-summary/1``, keys in the order they are published."""

    file: str
    siren: str
    siret: str
    month: str
    nature: str
    type: str
    individuals: int
    workplaces: list[WorkplaceEntry]
    ended_before_month_end: int


class DsnSummary(TypedDict):
    """The ``rcf-dsn-summary/1`` document (``dsn.md`` §4)."""

    format: str
    declarations: list[DeclarationEntry]


@dataclass(frozen=True, slots=True)
class WorkplaceSummary:
    """Active individuals of one declaration at one workplace on the last day of the month."""

    workplace: str
    territory: str
    headcount: int
    by_contract_nature: dict[str, int]
    """Nature (``S21.G00.40.007``) of each one's active contract → number of individuals."""
    working_abroad: int

    def as_dict(self) -> WorkplaceEntry:
        return {
            "workplace": self.workplace,
            "territory": self.territory,
            "headcount": self.headcount,
            "by_contract_nature": dict(sorted(self.by_contract_nature.items())),
            "working_abroad": self.working_abroad,
        }


@dataclass(frozen=True, slots=True)
class DeclarationSummary:
    """One S20 declaration of a DSN file, reduced to counts."""

    file: str
    """Base name of the file it was read from."""
    siren: str
    siret: str
    month: str
    """``YYYY-MM``."""
    nature: str
    type: str
    individuals: int
    """Distinct individuals (NIR, or NTT without NIR) declared."""
    workplaces: tuple[WorkplaceSummary, ...] = field(default=())
    """Declaring establishment first, then the other workplaces by identifier."""
    ended_before_month_end: int = 0
    """Individuals none of whose contracts is active on the last day of the month."""

    def as_dict(self) -> DeclarationEntry:
        return {
            "file": self.file,
            "siren": self.siren,
            "siret": self.siret,
            "month": self.month,
            "nature": self.nature,
            "type": self.type,
            "individuals": self.individuals,
            "workplaces": [place.as_dict() for place in self.workplaces],
            "ended_before_month_end": self.ended_before_month_end,
        }

    def as_payroll_declaration(self) -> PayrollDeclaration:
        """The engine's view of it (RCF-07): the same counts, without territories."""
        return PayrollDeclaration(
            source=self.file,
            siren=self.siren,
            siret=self.siret,
            month=self.month,
            nature=self.nature,
            type=self.type,
            workplaces=tuple(
                WorkplaceCount(place.workplace, place.headcount, place.working_abroad)
                for place in self.workplaces
            ),
        )


def summary_document(declarations: list[DeclarationSummary]) -> DsnSummary:
    """The ``rcf-dsn-summary/1`` document of declarations read from one or more files."""
    return {"format": FORMAT, "declarations": [decl.as_dict() for decl in declarations]}
