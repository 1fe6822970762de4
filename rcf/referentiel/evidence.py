"""Payroll evidence as the engine sees it (RCF-07, référentiel §3).

The engine does not read DSN files: it takes one :class:`PayrollDeclaration` per DSN (one
declaring establishment and one month), already reduced to counts by the DSN reader
(``rcf.dsn``), which applies the activity rules of §3 point 3 (a contract active on the last day
of the month, annulled ends ignored, the workplace from ``S21.G00.40.019`` or else the declaring
establishment). Counts only: no NIR ever reaches the engine.

Tests build these objects directly; the DSN reader produces them from files.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date


@dataclass(frozen=True, slots=True)
class WorkplaceCount:
    """Active individuals of one DSN at one workplace on the last day of the month."""

    workplace: str
    """A SIRET (14 digits), or the free code of a place without SIRET."""
    headcount: int
    """Distinct individuals with a contract active on the last day of the month there."""
    working_abroad: int = 0
    """Of those, individuals whose active contract says détaché (01) or expatrié (02)."""


@dataclass(frozen=True, slots=True)
class PayrollDeclaration:
    """One DSN (one S20 declaration): a declaring establishment's payroll for one month."""

    source: str
    """Where it came from, for messages: the file name."""
    siren: str
    """``S21.G00.06.001``."""
    siret: str
    """The declaring establishment: SIREN + NIC (``S21.G00.11.001``)."""
    month: str
    """``YYYY-MM``, from ``S20.G00.05.005``."""
    nature: str
    """``S20.G00.05.001``: ``01`` is the monthly DSN, the only kind that is evidence."""
    type: str
    """``S20.G00.05.002``: ``04`` and ``05`` (annulations) are not evidence."""
    workplaces: tuple[WorkplaceCount, ...] = field(default=())


@dataclass(frozen=True, slots=True)
class Membership:
    """One period of AFRC membership of a SIREN, from the membership registry (RCF-01)."""

    member_number: str
    siren: str
    valid_from: date
    valid_until: date | None
    """Inclusive; ``None`` is open-ended."""

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_until is None or day <= self.valid_until)
