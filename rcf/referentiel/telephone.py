"""Telephone numbers of contact points (RCF-09) and of the public phone check.

What a number *is* — whether the international numbering plan holds it valid, its country
calling code, its E.164 and national forms, whether it is a short number — is libphonenumber's
knowledge (the ``phonenumbers`` port), never a pattern written here. What the label makes of a
number — which calling codes are French, which national prefixes are surcharged or reserved for
telemarketing — is scheme data (``[telephone]`` in the scheme file), so a new range is an edit
of that file (``referentiel-v2.md`` §2).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

import phonenumbers
from phonenumbers import shortnumberinfo

from rcf.referentiel.scheme import Scheme, SchemeError

_WRITTEN = re.compile(r"\+?[0-9 .\-]+")
"""How a number may be written (``referentiel-v2.md`` §1: digits, an optional leading ``+``,
spaces, dots and hyphens). Only the characters: the numbering plan is libphonenumber's."""


@dataclass(frozen=True, slots=True)
class TelephonePlan:
    """The label's reading of telephone numbers, from the scheme's ``[telephone]`` table."""

    region: str
    """How a number written without ``+`` is read (``FR``)."""
    national_code: int
    """The calling code whose numbers are compared, in national form, with the prefixes."""
    french_codes: dict[int, str]
    """Calling codes of territories in France for the label → their names."""
    surcharged_prefixes: tuple[str, ...]
    telemarketing_prefixes: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A valid telephone number and what the label makes of it."""

    e164: str
    """``+33892681234``: the form numbers are compared and stored in."""
    national: str
    """As libphonenumber writes it in its country (``09 69 32 00 00``, ``0 892 68 12 34``)."""
    international: str
    """``+33 9 69 32 00 00``: how a number from abroad is shown."""
    country_code: int
    french: bool
    surcharged: bool
    telemarketing_range: bool


class PhoneNumberError(ValueError):
    """The text is not a valid telephone number; ``short`` when it is a short number
    (``3949``, ``1014``, ``118 712``), for which the ten-digit number must be given."""

    def __init__(self, message: str, *, short: bool = False) -> None:
        super().__init__(message)
        self.message = message
        self.short = short


def telephone_plan(scheme: Scheme) -> TelephonePlan | None:
    """The scheme's ``[telephone]`` table, checked; ``None`` for a version without contact
    points (version 1)."""
    table: Any = scheme.data.get("telephone")
    if table is None:
        return None
    where = f"scheme {scheme.version}: [telephone]"
    try:
        region = table["region"]
        national_code = table["national_code"]
        codes = {int(code): str(name) for code, name in table["french_calling_codes"].items()}
        surcharged = tuple(table["surcharged_prefixes"])
        telemarketing = tuple(table["telemarketing_prefixes"])
    except (KeyError, TypeError, ValueError) as exc:
        raise SchemeError(f"{where}: missing or malformed key ({exc})") from None
    if region not in phonenumbers.SUPPORTED_REGIONS or not isinstance(national_code, int):
        raise SchemeError(f"{where}: unknown region {region!r} or malformed national_code")
    for prefix in (*surcharged, *telemarketing):
        if not isinstance(prefix, str) or not prefix.isdigit() or not prefix.startswith("0"):
            raise SchemeError(f"{where}: prefix {prefix!r} is not a national prefix (0…)")
    if national_code not in codes:
        raise SchemeError(f"{where}: national_code {national_code} is not a French calling code")
    return TelephonePlan(region, national_code, codes, surcharged, telemarketing)


def parse_phone(text: str, plan: TelephonePlan) -> PhoneNumber:
    """Read a number written in national (``09 69 32 00 00``) or international form
    (``+33 9 69 32 00 00``); :class:`PhoneNumberError` with a French message otherwise."""
    written = text.strip()
    if not _WRITTEN.fullmatch(written) or "+" in written[1:]:
        raise PhoneNumberError(
            "un numéro de téléphone s'écrit avec des chiffres, éventuellement précédés de « + » "
            "et de l'indicatif du pays ; espaces, points et tirets sont admis"
        )
    try:
        parsed = phonenumbers.parse(written, plan.region)
    except phonenumbers.NumberParseException:
        parsed = None
    if parsed is not None and phonenumbers.is_valid_number(parsed):
        return _reading(parsed, plan)
    if (
        parsed is not None
        and not written.startswith("+")
        and shortnumberinfo.is_valid_short_number_for_region(parsed, plan.region)
    ):
        raise PhoneNumberError(
            "numéro court (3BPQ, 10YT, 118XYZ) : indiquez le numéro à dix chiffres qui le "
            "joint, tel que « 09 69 32 00 00 »",
            short=True,
        )
    raise PhoneNumberError(
        "ce n'est pas un numéro de téléphone valide selon le plan de numérotation (en France, "
        "10 chiffres commençant par 0 ; à l'étranger, « + » suivi de l'indicatif du pays)"
    )


def _reading(parsed: phonenumbers.PhoneNumber, plan: TelephonePlan) -> PhoneNumber:
    code = int(parsed.country_code or 0)
    surcharged = telemarketing = False
    if code == plan.national_code:
        national_digits = "0" + phonenumbers.national_significant_number(parsed)
        surcharged = national_digits.startswith(plan.surcharged_prefixes)
        telemarketing = not surcharged and national_digits.startswith(plan.telemarketing_prefixes)
    fmt = phonenumbers.PhoneNumberFormat
    return PhoneNumber(
        e164=phonenumbers.format_number(parsed, fmt.E164),
        national=phonenumbers.format_number(parsed, fmt.NATIONAL),
        international=phonenumbers.format_number(parsed, fmt.INTERNATIONAL),
        country_code=code,
        french=code in plan.french_codes,
        surcharged=surcharged,
        telemarketing_range=telemarketing,
    )
