"""Hypothesis strategies for DSN specs: varied, valid, small."""

from __future__ import annotations

import calendar
from datetime import date, timedelta

from hypothesis import strategies as st

from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, Workplace, fake_nir

MONTHS = ["2024-02", "2026-09", "2026-12"]
PLACES = ["81588139600023", "DOMICILE-01", "CHANTIER-BE", "ENTREPOT-NC", "SANS-BLOC"]
NAMES = ["MARTIN", "O'CONNOR", "LEFÈVRE", "D'ARTAGNAN'", "Ñ'Ü"]


def _last_day(month: str) -> date:
    year, number = int(month[:4]), int(month[5:])
    return date(year, number, calendar.monthrange(year, number)[1])


@st.composite
def contracts(draw: st.DrawFn, month: str) -> Contract:
    last = _last_day(month)
    start = last + timedelta(days=draw(st.integers(-3000, 3)))
    end = None
    if draw(st.booleans()):
        end = last + timedelta(days=draw(st.integers(-40, 3)))
    return Contract(
        start=start,
        nature=draw(st.sampled_from(["01", "02", "03", "07", "29", "80"])),
        workplace=draw(st.none() | st.sampled_from(PLACES)),
        abroad=draw(st.sampled_from([None, "01", "02", "03", "99"])),
        end=end,
        end_motif=draw(st.sampled_from(["059", "031", "099"])),
    )


@st.composite
def employees(draw: st.DrawFn, month: str) -> Employee:
    number = draw(st.integers(1, 12))  # few numbers: the same person may come twice
    nir = fake_nir(number) if draw(st.integers(0, 5)) else None
    return Employee(
        nir=nir,
        ntt=None if nir else f"NTT{number:08d}",
        contracts=tuple(draw(st.lists(contracts(month), max_size=3))),
        family_name=draw(st.sampled_from(NAMES)),
    )


@st.composite
def declarations(draw: st.DrawFn) -> Declaration:
    month = draw(st.sampled_from(MONTHS))
    places = draw(
        st.lists(
            st.builds(
                Workplace,
                identifier=st.sampled_from([*PLACES[:-1], "81588139600015"]),
                country=st.sampled_from([None, "FR", "BE", "RE", "NC"]),
                commune=st.sampled_from([None, "59350", "97411", "98818", "97701"]),
            ),
            max_size=4,
        )
    )
    return Declaration(
        siren="815881396",
        nic=draw(st.sampled_from(["00015", "00023"])),
        month=month,
        employees=draw(st.lists(employees(month), max_size=8)),
        workplaces=tuple(places),
        nature=draw(st.sampled_from(["01", "01", "02"])),
        type=draw(st.sampled_from(["01", "02", "03", "04"])),
        postal_code=draw(st.sampled_from([None, "59000", "97133", "20000", "98000"])),
        country=draw(st.sampled_from([None, None, "FR", "MC"])),
        pay_lines=draw(st.integers(0, 25)),
    )


def specs() -> st.SearchStrategy[DsnSpec]:
    return st.builds(
        DsnSpec,
        declarations=st.lists(declarations(), min_size=1, max_size=3).map(tuple),
        newline=st.sampled_from(["\n", "\r\n"]),
    )
