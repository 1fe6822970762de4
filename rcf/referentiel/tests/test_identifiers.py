"""The fast SIREN/SIRET checks say exactly what python-stdnum says."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st
from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

from rcf.referentiel.identifiers import siren_is_valid, siret_is_valid

DIGITS = st.text(alphabet="0123456789", min_size=8, max_size=15)
ODD = st.text(alphabet="0123456789 .-a٣", min_size=0, max_size=16)
LA_POSTE = st.text(alphabet="0123456789", min_size=5, max_size=5).map(lambda s: "356000000" + s)


@settings(max_examples=2000)
@given(DIGITS | ODD | LA_POSTE)
def test_it_agrees_with_stdnum(number: str) -> None:
    assert siren_is_valid(number) is stdnum_siren.is_valid(number)
    assert siret_is_valid(number) is stdnum_siret.is_valid(number)


def test_it_knows_valid_and_invalid_numbers() -> None:
    """A valid SIREN and SIRET, their neighbours with a wrong key, La Poste's rule."""
    assert siren_is_valid("845333145") and not siren_is_valid("845333146")
    assert siret_is_valid("84533314500017") and not siret_is_valid("84533314500018")
    assert siret_is_valid("35600000000048")  # La Poste's head office: Luhn
    assert siret_is_valid("35600000049837") and not siret_is_valid("35600000049838")
