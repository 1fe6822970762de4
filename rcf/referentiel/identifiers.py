"""SIREN and SIRET validity (référentiel RCF-02), fast on the numbers declarations hold.

``python-stdnum`` is the reference: it cleans separators, checks the digits, then the Luhn key
(and La Poste's SIRET rule). Through its generic helpers that costs about 40 µs a number, a
third of the whole evaluation of a 20,000-row declaration. A number that is exactly the digits
it should be needs none of the cleaning: its Luhn key is computed here from the bytes. Anything
else (separators, other characters, another length) goes to ``stdnum`` unchanged, so the answer
is always ``stdnum``'s; a test compares the two on generated numbers.
"""

from __future__ import annotations

from stdnum.fr import siren as stdnum_siren
from stdnum.fr import siret as stdnum_siret

_VALUE = bytes((b - 48) % 256 for b in range(256))
"""ASCII digit → its value, as a ``bytes.translate`` table (the sums then run in C)."""
_DOUBLED = bytearray(256)
for _digit, _counted in enumerate((0, 2, 4, 6, 8, 1, 3, 5, 7, 9)):
    # Luhn: a digit in an even position from the right counts as the digits of its double.
    _DOUBLED[48 + _digit] = _counted
_LA_POSTE = "356000000"
_LA_POSTE_HEAD_OFFICE = "35600000000048"


def _plain_digits(number: str, length: int) -> bool:
    return len(number) == length and number.isascii() and number.isdigit()


def _luhn_valid(number: str) -> bool:
    digits = number.encode("ascii")
    return (
        sum(digits[-1::-2].translate(_VALUE)) + sum(digits[-2::-2].translate(_DOUBLED))
    ) % 10 == 0


def siren_is_valid(number: str) -> bool:
    """Whether a SIREN is valid, as ``stdnum.fr.siren.is_valid`` says."""
    if not _plain_digits(number, 9):
        return bool(stdnum_siren.is_valid(number))
    return _luhn_valid(number)


def siret_is_valid(number: str) -> bool:
    """Whether a SIRET is valid, as ``stdnum.fr.siret.is_valid`` says: La Poste's
    establishments (SIREN 356000000, except its head office) have digits summing to a
    multiple of 5 instead of a Luhn key."""
    if not _plain_digits(number, 14):
        return bool(stdnum_siret.is_valid(number))
    if number.startswith(_LA_POSTE) and number != _LA_POSTE_HEAD_OFFICE:
        digit_sum = sum(number.encode("ascii")) - 48 * len(number)
        return digit_sum % 5 == 0 and _luhn_valid(number[:9])
    return _luhn_valid(number) and _luhn_valid(number[:9])
