"""Write valid DSN files: test data, demo data and the benchmark's 3-million-line file.

A :class:`DsnSpec` says what the file holds (declarations, employees, contracts, ends,
workplaces); :func:`generate_dsn` streams it to a binary file object, one employee at a time,
and returns what it intended: the number of lines and the ``rcf-dsn-summary/1`` declarations a
correct reader must find. That expectation is computed from the spec by plain code that does not
share the reader's parsing, so tests can compare the two.

NIRs are fake but shaped (13 characters, no key); names and addresses are invented. Pure
Python, no Django.
"""

from __future__ import annotations

import calendar
import random
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any, BinaryIO

from rcf.dsn.summary import (
    FORMAT,
    establishment_territory,
    territory_scheme,
    workplace_territory,
)

ANNULMENT = "099"
"""Motif of an end of contract (``S21.G00.62.002``) that cancels an earlier end."""


@dataclass(frozen=True, slots=True)
class Contract:
    """One ``S21.G00.40`` block, with its ``S21.G00.62`` end when it has one."""

    start: date
    nature: str = "01"
    workplace: str | None = None
    """``S21.G00.40.019``; ``None`` leaves it out (the declaring establishment)."""
    abroad: str | None = None
    """``S21.G00.40.024`` (``01`` détaché, ``02`` expatrié, ``03`` frontalier, ``99``)."""
    end: date | None = None
    end_motif: str = "059"
    """``S21.G00.62.002``; ``099`` is an annulment."""


@dataclass(frozen=True, slots=True)
class Employee:
    """One ``S21.G00.30`` block: an individual identified by NIR, or by NTT without NIR."""

    nir: str | None
    ntt: str | None = None
    contracts: tuple[Contract, ...] = ()
    family_name: str = "MARTIN"
    first_names: str = "Camille"

    def key(self) -> str:
        return "N" + self.nir if self.nir is not None else "T" + (self.ntt or "")


@dataclass(frozen=True, slots=True)
class Workplace:
    """One ``S21.G00.85`` block describing a workplace named by contracts."""

    identifier: str
    country: str | None = None
    """``.006`` code pays; ``None`` leaves it out (French postal system)."""
    commune: str | None = None
    """``.011`` INSEE commune code."""
    nature: str = "02"


@dataclass(frozen=True, slots=True)
class Declaration:
    """One ``S20`` declaration: one declaring establishment for one month."""

    siren: str
    nic: str
    month: str
    """``YYYY-MM``."""
    employees: Sequence[Employee] = ()
    workplaces: tuple[Workplace, ...] = ()
    nature: str = "01"
    type: str = "01"
    postal_code: str | None = "59000"
    """``S21.G00.11.004``."""
    country: str | None = None
    """``S21.G00.11.015``."""
    pay_lines: int = 115
    """Pay and contribution lines written for each employee (``S21.G00.50`` … ``81``)."""

    @property
    def last_day(self) -> date:
        year, month = int(self.month[:4]), int(self.month[5:7])
        return date(year, month, calendar.monthrange(year, month)[1])


@dataclass(frozen=True, slots=True)
class DsnSpec:
    """One envoi: its declarations and its line ending."""

    declarations: tuple[Declaration, ...]
    newline: str = "\r\n"


@dataclass(frozen=True, slots=True)
class GeneratedDsn:
    """What :func:`generate_dsn` wrote and what a reader must find in it."""

    lines: int
    declarations: list[dict[str, Any]] = field(default_factory=list)
    """Intended ``rcf-dsn-summary/1`` declarations, without their ``file`` key."""

    def summary(self, file_name: str) -> dict[str, Any]:
        """The intended ``rcf-dsn-summary/1`` document of the file named ``file_name``."""
        return {
            "format": FORMAT,
            "declarations": [{"file": file_name, **decl} for decl in self.declarations],
        }


def _ddmmyyyy(day: date) -> str:
    return f"{day.day:02d}{day.month:02d}{day.year:04d}"


class _Writer:
    """Counts lines as it encodes them; flushes one employee at a time."""

    def __init__(self, out: BinaryIO, newline: str) -> None:
        if newline not in ("\n", "\r\n"):
            raise ValueError("newline must be '\\n' or '\\r\\n'")
        self.out = out
        self.newline = newline
        self.lines = 0
        self.pending: list[str] = []

    def add(self, rubrique: str, value: str | None) -> None:
        if value is None:
            return
        if not value:
            raise ValueError(f"{rubrique}: empty values are forbidden by the norm")
        self.pending.append(f"{rubrique},'{value}'")

    def add_text(self, text: str, lines: int) -> None:
        """Lines already joined (the repeated pay blocks), ``lines`` of them."""
        self.flush()
        self.out.write(text.encode("latin-1"))
        self.lines += lines

    def flush(self) -> None:
        if self.pending:
            newline = self.newline
            self.out.write((newline.join(self.pending) + newline).encode("latin-1"))
            self.lines += len(self.pending)
            self.pending.clear()


def _pay_lines(month: str, count: int) -> list[str]:
    """``count`` pay and contribution lines, in block order, ending where the count does."""
    year, mon = int(month[:4]), int(month[5:7])
    first = f"01{mon:02d}{year:04d}"
    last = f"{calendar.monthrange(year, mon)[1]:02d}{mon:02d}{year:04d}"
    lines = [
        f"S21.G00.50.001,'{last}'",
        "S21.G00.50.002,'1843.27'",
        "S21.G00.50.003,'1'",
        "S21.G00.50.004,'1702.55'",
        "S21.G00.50.006,'4.20'",
    ]
    for kind, amount in (("001", "2100.00"), ("002", "2100.00"), ("003", "2180.00")):
        lines += [
            f"S21.G00.51.001,'{first}'",
            f"S21.G00.51.002,'{last}'",
            f"S21.G00.51.011,'{kind}'",
            f"S21.G00.51.013,'{amount}'",
        ]
    lines += ["S21.G00.71.002,'RUAA'"]
    codes = ("045", "068", "074", "075", "076", "100", "103", "104", "226", "905")
    base = 0
    while len(lines) < count:
        base += 1
        lines += [
            f"S21.G00.78.001,'{base % 90 + 2:02d}'",
            f"S21.G00.78.002,'{first}'",
            f"S21.G00.78.003,'{last}'",
            "S21.G00.78.004,'2180.00'",
            "S21.G00.79.001,'10'",
            "S21.G00.79.004,'12.50'",
        ]
        for code in codes[: 2 + base % 4]:
            lines += [
                f"S21.G00.81.001,'{code}'",
                "S21.G00.81.002,'78861779300013'",
                "S21.G00.81.003,'2180.00'",
                f"S21.G00.81.004,'{base * 7 % 100}.{base % 100:02d}'",
            ]
    return lines[:count]


def generate_dsn(spec: DsnSpec, out: BinaryIO) -> GeneratedDsn:
    """Write ``spec`` as a NEODeS file (ISO-8859-1) to ``out``; return what it intended.

    Streams: only one employee's lines are held at a time, so millions of lines are fine.
    """
    writer = _Writer(out, spec.newline)
    first = spec.declarations[0] if spec.declarations else None
    add = writer.add
    add("S10.G00.00.001", "RCF générateur de DSN")
    add("S10.G00.00.002", "Relation Client France")
    add("S10.G00.00.003", "1.0")
    add("S10.G00.00.005", "02")
    add("S10.G00.00.006", "P25V01")
    add("S10.G00.00.008", "01")
    add("S10.G00.01.001", first.siren if first else "000000000")
    add("S10.G00.01.002", first.nic if first else "00000")
    add("S10.G00.01.003", "Cabinet d'expertise paie")
    add("S10.G00.01.004", "12 rue de l'Épinette")
    add("S10.G00.01.005", "59000")
    add("S10.G00.01.006", "LILLE")
    add("S10.G00.02.002", "Service paie")
    add("S10.G00.02.004", "paie@example.org")
    add("S10.G00.02.005", "0300000000")
    for decl in spec.declarations:
        _write_declaration(writer, decl)
    writer.flush()
    add("S90.G00.90.001", str(writer.lines + 2))
    add("S90.G00.90.002", str(len(spec.declarations)))
    writer.flush()
    return GeneratedDsn(
        lines=writer.lines, declarations=[intended_declaration(d) for d in spec.declarations]
    )


def _write_declaration(writer: _Writer, decl: Declaration) -> None:
    add = writer.add
    year, month = decl.month[:4], decl.month[5:7]
    add("S20.G00.05.001", decl.nature)
    add("S20.G00.05.002", decl.type)
    add("S20.G00.05.003", "11")
    add("S20.G00.05.004", "1")
    add("S20.G00.05.005", f"01{month}{year}")
    add("S20.G00.05.007", _ddmmyyyy(decl.last_day + timedelta(days=5)))
    add("S20.G00.05.008", "01")
    add("S20.G00.05.010", "01")
    add("S20.G00.07.001", "Service paie")
    add("S20.G00.07.002", "0300000000")
    add("S21.G00.06.001", decl.siren)
    add("S21.G00.06.002", decl.nic)
    add("S21.G00.06.003", "8220Z")
    add("S21.G00.06.004", "12 rue de l'Épinette")
    add("S21.G00.06.005", "59000")
    add("S21.G00.06.006", "LILLE")
    add("S21.G00.06.009", str(len(decl.employees)))
    add("S21.G00.11.001", decl.nic)
    add("S21.G00.11.002", "8220Z")
    add("S21.G00.11.003", "3 place de la République")
    add("S21.G00.11.004", decl.postal_code)
    add("S21.G00.11.005", "VILLE")
    add("S21.G00.11.008", str(len(decl.employees)))
    add("S21.G00.11.015", decl.country)
    add("S21.G00.11.017", "07")
    add("S21.G00.15.001", "PREV-2024-01")
    add("S21.G00.15.002", "P0942")
    add("S21.G00.15.004", "01")
    newline = writer.newline
    pay = _pay_lines(decl.month, decl.pay_lines)
    pay_text = newline.join(pay) + newline if pay else ""
    for number, employee in enumerate(decl.employees, start=1):
        _write_employee(writer, employee, number)
        writer.add_text(pay_text, len(pay))
    for place in decl.workplaces:
        add("S21.G00.85.001", place.identifier)
        add("S21.G00.85.003", "1 chemin du Lieu")
        add("S21.G00.85.005", "LIEU")
        add("S21.G00.85.006", place.country)
        add("S21.G00.85.010", place.nature)
        add("S21.G00.85.011", place.commune)
    writer.flush()


def _write_employee(writer: _Writer, employee: Employee, number: int) -> None:
    add = writer.add
    add("S21.G00.30.001", employee.nir)
    add("S21.G00.30.002", employee.family_name)
    add("S21.G00.30.004", employee.first_names)
    add("S21.G00.30.005", "02" if number % 2 else "01")
    add("S21.G00.30.006", f"{number % 28 + 1:02d}0{number % 9 + 1}19{number % 50 + 50}")
    add("S21.G00.30.007", "Lille")
    add("S21.G00.30.008", f"{number % 200 + 1} rue des Tisserands")
    add("S21.G00.30.009", "59000")
    add("S21.G00.30.010", "LILLE")
    add("S21.G00.30.013", "01")
    add("S21.G00.30.014", "59")
    add("S21.G00.30.015", "FR")
    add("S21.G00.30.019", f"M{number:06d}")
    add("S21.G00.30.020", employee.ntt)
    for index, contract in enumerate(employee.contracts, start=1):
        add("S21.G00.40.001", _ddmmyyyy(contract.start))
        add("S21.G00.40.002", "01")
        add("S21.G00.40.003", "04")
        add("S21.G00.40.004", "546a")
        add("S21.G00.40.006", "Conseiller clientèle")
        add("S21.G00.40.007", contract.nature)
        add("S21.G00.40.008", "99")
        add("S21.G00.40.009", f"C{number:06d}-{index}")
        add("S21.G00.40.011", "10")
        add("S21.G00.40.012", "151.67")
        add("S21.G00.40.013", "151.67")
        add("S21.G00.40.014", "10")
        add("S21.G00.40.016", "99")
        add("S21.G00.40.017", "2098")
        add("S21.G00.40.018", "200")
        add("S21.G00.40.019", contract.workplace)
        add("S21.G00.40.020", "200")
        add("S21.G00.40.024", contract.abroad)
        add("S21.G00.40.026", "99")
        add("S21.G00.40.036", "02")
        add("S21.G00.40.037", "02")
        add("S21.G00.40.039", "200")
        add("S21.G00.40.040", "744BB")
        add("S21.G00.40.043", "1.20")
        if contract.end is not None:
            add("S21.G00.62.001", _ddmmyyyy(contract.end))
            add("S21.G00.62.002", contract.end_motif)
            add("S21.G00.62.006", _ddmmyyyy(contract.end))


def contract_is_active(contract: Contract, last_day: date) -> bool:
    """Référentiel §3 point 3: started on or before the last day of the month, and no end
    before that day (an end with motif 099 is an annulment, an end on that day leaves it
    active)."""
    if contract.start > last_day:
        return False
    ended = contract.end is not None and contract.end_motif != ANNULMENT
    return not (ended and contract.end is not None and contract.end < last_day)


def intended_declaration(decl: Declaration) -> dict[str, Any]:
    """The summary a correct reader must give of ``decl`` (without ``file``)."""
    last_day = decl.last_day
    siret = decl.siren + decl.nic
    active: dict[str, Contract | None] = {}
    for employee in decl.employees:
        if active.get(employee.key()) is None:
            active[employee.key()] = next(
                (c for c in employee.contracts if contract_is_active(c, last_day)), None
            )
    counted = [c for c in active.values() if c is not None]
    places: dict[str, dict[str, Any]] = {}
    for contract in counted:
        workplace = contract.workplace or siret
        place = places.setdefault(
            workplace, {"headcount": 0, "by_contract_nature": {}, "working_abroad": 0}
        )
        place["headcount"] += 1
        natures = place["by_contract_nature"]
        natures[contract.nature] = natures.get(contract.nature, 0) + 1
        place["working_abroad"] += contract.abroad in ("01", "02")
    described: dict[str, Workplace] = {}
    for block in decl.workplaces:
        described.setdefault(block.identifier, block)
    workplaces = []
    scheme = territory_scheme(decl.month)
    for workplace in sorted(places, key=lambda w: (w != siret, w)):
        if workplace in described:
            block = described[workplace]
            territory = workplace_territory(block.country, block.commune, scheme)
        elif workplace == siret:
            territory = establishment_territory(decl.country, decl.postal_code, scheme)
        else:
            territory = workplace_territory(None, None, scheme)
        place = places[workplace]
        workplaces.append(
            {
                "workplace": workplace,
                "territory": territory,
                "headcount": place["headcount"],
                "by_contract_nature": dict(sorted(place["by_contract_nature"].items())),
                "working_abroad": place["working_abroad"],
            }
        )
    return {
        "siren": decl.siren,
        "siret": siret,
        "month": decl.month,
        "nature": decl.nature,
        "type": decl.type,
        "individuals": len(active),
        "workplaces": workplaces,
        "ended_before_month_end": len(active) - len(counted),
    }


def fake_nir(number: int) -> str:
    """A fake NIR shaped like a real one (13 characters, no key), unique for ``number`` below
    a million. Department ``99`` (born abroad) and the order number make it no real person's.
    """
    return (
        f"{1 + number % 2}{70 + number % 30:02d}{1 + number % 12:02d}99"
        f"{number // 1000 % 1000:03d}{number % 1000:03d}"
    )


def random_declaration(
    rng: random.Random,
    *,
    employees: int,
    siren: str = "815881396",
    nic: str = "00015",
    month: str = "2026-09",
    pay_lines: int = 115,
) -> Declaration:
    """A plausible call-centre payroll: mostly CDI at the declaring establishment, some CDD
    and temps, a few ends (some annulled), other establishments, home workers, a few abroad."""
    last_day = date(int(month[:4]), int(month[5:7]), 1) + timedelta(days=31)
    last_day = last_day.replace(day=1) - timedelta(days=1)
    other_site = siren + "00023"
    people = []
    for number in range(1, employees + 1):
        start = last_day - timedelta(days=rng.randrange(1, 4000))
        nature = rng.choices(["01", "02", "03", "29"], weights=[80, 14, 4, 2])[0]
        workplace = rng.choices([None, other_site, "DOMICILE-01"], weights=[85, 12, 3])[0]
        abroad = "01" if rng.random() < 0.005 else rng.choice([None, "99"])
        end = None
        motif = "059"
        if rng.random() < 0.05:
            end = last_day - timedelta(days=rng.randrange(0, 25))
            motif = rng.choice(["059", "031", ANNULMENT])
        name = rng.choice(["MARTIN", "O'CONNOR", "LEFÈVRE", "N'DIAYE", "GARCIA"])
        contract = Contract(start, nature, workplace, abroad, end, motif)
        nir = fake_nir(number) if number % 500 else None
        ntt = None if nir else f"NTT{number:010d}"
        people.append(Employee(nir, ntt, (contract,), family_name=name, first_names="Alex"))
    return Declaration(
        siren=siren,
        nic=nic,
        month=month,
        employees=people,
        workplaces=(
            Workplace(other_site, commune="59350", nature="01"),
            Workplace("DOMICILE-01", commune="59512", nature="03"),
        ),
        pay_lines=pay_lines,
    )
