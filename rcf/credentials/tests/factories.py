"""Example data of the credentials tests."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

from joserfc.jwk import OKPKey

from rcf.credentials.vc import CertificateClaims

BASE_URL = "https://rcf.example.fr"

CLAIMS = CertificateClaims(
    number="RCF-2026-0042",
    siren="845333145",
    name="Mutuelle Exemple des Deux-Sèvres",
    brands=("Mutuelle Exemple", "MX Assurances"),
    scheme="relation-client-france",
    scheme_version="1",
    issued_on=dt.date(2026, 3, 10),
    valid_from=dt.date(2026, 3, 13),
    valid_until=dt.date(2029, 3, 12),
    channels=("telephone", "email", "chat"),
    activities=("front_office", "back_office"),
    phases=("pre_sale", "sale", "after_sale"),
    sites_count=2,
    territories=("79", "974"),
    contributors=98,
    revocation_index=94567,
    suspension_index=1203,
)


def claims(**changes: object) -> CertificateClaims:
    """The example certificate, with some fields changed."""
    return replace(CLAIMS, **changes)  # type: ignore[arg-type]


def private_part(key: OKPKey) -> str:
    """The private member ``d`` of a key, to check that it appears nowhere it should not."""
    return str(key.as_dict(private=True)["d"])
