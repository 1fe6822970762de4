"""The territory of DSN workplaces (dsn.md §4, référentiel §1.1)."""

from __future__ import annotations

import pytest

from rcf.dsn.summary import establishment_territory, territory_scheme, workplace_territory
from rcf.referentiel.versions import load_scheme


@pytest.mark.parametrize(
    ("country", "commune", "territory"),
    [
        (None, "59350", "metropole"),
        ("FR", "2A004", "metropole"),
        (None, "97411", "drom"),
        (None, "97502", "com_code_du_travail"),
        (None, "97701", "com_code_du_travail"),
        (None, "98818", "outside"),
        ("BE", None, "outside"),
        ("BE", "59350", "outside"),
        ("NC", None, "outside"),
        ("RE", None, "drom"),
        ("FR", None, "unknown"),
        (None, None, "unknown"),
        (None, "ABCDE", "unknown"),
    ],
)
def test_it_classifies_a_workplace_from_its_85_block(
    country: str | None, commune: str | None, territory: str
) -> None:
    """A foreign code pays decides (an overseas ISO alias as référentiel §1.1 reads it);
    otherwise the INSEE commune code; neither gives ``unknown``. An absent code pays is the
    French postal system, which includes Nouméa."""
    assert workplace_territory(country, commune, load_scheme("1")) == territory


@pytest.mark.parametrize(
    ("country", "postal_code", "territory"),
    [
        (None, "59000", "metropole"),
        (None, "20000", "metropole"),
        (None, "97400", "drom"),
        (None, "97133", "com_code_du_travail"),
        (None, "97150", "com_code_du_travail"),
        (None, "97500", "com_code_du_travail"),
        (None, "98000", "outside"),
        (None, "98800", "outside"),
        ("MC", "98000", "outside"),
        ("FR", "59000", "metropole"),
        (None, None, "unknown"),
        (None, "5900", "unknown"),
        (None, "00100", "unknown"),
    ],
)
def test_it_classifies_the_declaring_establishment_from_its_address(
    country: str | None, postal_code: str | None, territory: str
) -> None:
    """Without an 85 block, the declaring establishment is classified from ``S21.G00.11``:
    a foreign ``.015`` code pays, else the ``.004`` postal code read through the INSEE table,
    with Corsica, Monaco, Saint-Barthélemy and Saint-Martin mapped explicitly."""
    assert establishment_territory(country, postal_code, load_scheme("1")) == territory


@pytest.mark.parametrize("month", ["2019-01", "2021-05", "2021-06", "2026-09"])
def test_it_classifies_with_the_scheme_in_effect_at_the_end_of_the_month(month: str) -> None:
    """A declaration's workplaces are classified with the territory table of the version in
    effect on the month's last day; months before version 1 took effect use version 1."""
    assert territory_scheme(month).version == "1"
