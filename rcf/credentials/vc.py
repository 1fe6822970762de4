"""A certificate as a W3C Verifiable Credential (Data Model 2.0), secured with VC-JOSE.

Pure: the certificate layer gives a :class:`CertificateClaims` and a key ring and gets back the
compact JWS served at ``/credentials/{number}.jwt``. The format is described, with an example,
in ``docs/credentials.md``; every property name below is defined by the JSON-LD context that
:func:`credentials_context` returns and ``/credentials/v1`` serves.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from stdnum.fr import siren as stdnum_siren

from rcf.credentials.keys import Keyring
from rcf.credentials.signing import (
    VC_CONTEXT,
    CredentialError,
    issuer_of,
    sign_vc_jwt,
    verify_vc_jwt,
    xml_datetime,
)
from rcf.credentials.statuslist import LIST_ID, LIST_SIZE, status_list_url

CREDENTIAL_TYPE = "RelationClientFranceCertificate"
CREDENTIAL_NAME = "Certificat Relation Client France"
CONTEXT_PATH = "/credentials/v1"
TIME_ZONE = ZoneInfo("Europe/Paris")
"""Certificate dates are French calendar days: valid from 00:00:00 on ``valid_from`` to
23:59:59 on ``valid_until``, Paris time."""
NUMBER = re.compile(r"RCF-\d{4}-\d{4,}")
XSD_DATE = "http://www.w3.org/2001/XMLSchema#date"
_TEXT_LISTS = ("brands", "channels", "activities", "phases", "territories")


@dataclass(frozen=True, kw_only=True)
class CertificateClaims:
    """What a certificate credential says, as plain data (referentiel-v1.md §6)."""

    number: str
    siren: str
    name: str
    brands: tuple[str, ...]
    scheme: str
    """The scheme identifier, ``relation-client-france``."""
    scheme_version: str
    issued_on: dt.date
    """Date of the certification decision that issued this certificate."""
    valid_from: dt.date
    valid_until: dt.date
    """Last day of validity (inclusive)."""
    channels: tuple[str, ...]
    activities: tuple[str, ...]
    phases: tuple[str, ...]
    sites_count: int
    territories: tuple[str, ...]
    contributors: int
    revocation_index: int
    suspension_index: int
    revocation_list: str = "revocation-1"
    suspension_list: str = "suspension-1"

    def __post_init__(self) -> None:
        # The values end up in URLs and in a signed document: refuse nonsense loudly.
        for name in _TEXT_LISTS:
            value = getattr(self, name)
            if isinstance(value, str) or not all(isinstance(v, str) for v in value):
                raise CredentialError(f"{name} : une suite de textes est attendue")
            object.__setattr__(self, name, tuple(value))  # a list given is kept as a tuple
        if not NUMBER.fullmatch(self.number):
            raise CredentialError(f"numéro de certificat {self.number!r} : RCF-AAAA-NNNN attendu")
        if not (re.fullmatch(r"\d{9}", self.siren) and stdnum_siren.is_valid(self.siren)):
            raise CredentialError(f"SIREN invalide {self.siren!r}")
        if self.valid_until < self.valid_from:
            raise CredentialError("valid_until précède valid_from")
        if self.sites_count < 0 or self.contributors < 0:
            raise CredentialError("sites_count et contributors ne peuvent être négatifs")
        for index in (self.revocation_index, self.suspension_index):
            if not 0 <= index < LIST_SIZE:
                raise CredentialError(f"index de statut {index} hors de 0…{LIST_SIZE - 1}")
        for list_id in (self.revocation_list, self.suspension_list):
            if not LIST_ID.fullmatch(list_id):
                raise CredentialError(f"identifiant de liste {list_id!r} : [a-z0-9-] attendu")


def credential_url(base_url: str, number: str) -> str:
    """The credential's id and address: ``{base_url}/credentials/{number}.jwt``."""
    return f"{base_url.rstrip('/')}/credentials/{number}.jwt"


def context_url(base_url: str) -> str:
    return base_url.rstrip("/") + CONTEXT_PATH


def credentials_context(base_url: str) -> dict[str, Any]:
    """The JSON-LD context of our terms, to serve as ``application/ld+json`` at
    ``/credentials/v1``. Terms are protected, so no later context can redefine them."""
    vocab = context_url(base_url) + "#"

    def term(name: str, **extra: str) -> dict[str, str]:
        return {"@id": vocab + name, **extra}

    return {
        "@context": {
            "@version": 1.1,
            "@protected": True,
            CREDENTIAL_TYPE: term(CREDENTIAL_TYPE),
            "siren": term("siren"),
            "brands": term("brands", **{"@container": "@set"}),
            "certificateNumber": term("certificateNumber"),
            "scheme": term("scheme"),
            "schemeVersion": term("schemeVersion"),
            "issuedOn": term("issuedOn", **{"@type": XSD_DATE}),
            "scope": term("scope"),
            "channels": term("channels", **{"@container": "@set"}),
            "activities": term("activities", **{"@container": "@set"}),
            "phases": term("phases", **{"@container": "@set"}),
            "sitesCount": term("sitesCount"),
            "territories": term("territories", **{"@container": "@set"}),
            "contributors": term("contributors"),
        }
    }


def _status_entry(base_url: str, purpose: str, list_id: str, index: int) -> dict[str, str]:
    url = status_list_url(base_url, list_id)
    return {
        "id": f"{url}#{index}",
        "type": "BitstringStatusListEntry",
        "statusPurpose": purpose,
        "statusListIndex": str(index),  # a string, as Bitstring Status List v1.0 requires
        "statusListCredential": url,
    }


def certificate_document(data: CertificateClaims, *, base_url: str) -> dict[str, Any]:
    """The unsigned credential (the JWS payload of :func:`certificate_credential`)."""
    valid_from = dt.datetime.combine(data.valid_from, dt.time(0, 0, 0), TIME_ZONE)
    valid_until = dt.datetime.combine(data.valid_until, dt.time(23, 59, 59), TIME_ZONE)
    return {
        "@context": [VC_CONTEXT, context_url(base_url)],
        "id": credential_url(base_url, data.number),
        "type": ["VerifiableCredential", CREDENTIAL_TYPE],
        "name": CREDENTIAL_NAME,
        "issuer": issuer_of(base_url),
        "validFrom": xml_datetime(valid_from),
        "validUntil": xml_datetime(valid_until),
        "credentialSubject": {
            "id": f"urn:siren:{data.siren}",
            "name": data.name,
            "siren": data.siren,
            "brands": list(data.brands),
            "certificateNumber": data.number,
            "scheme": data.scheme,
            "schemeVersion": data.scheme_version,
            "issuedOn": data.issued_on.isoformat(),
            "scope": {
                "channels": list(data.channels),
                "activities": list(data.activities),
                "phases": list(data.phases),
                "sitesCount": data.sites_count,
                "territories": list(data.territories),
                "contributors": data.contributors,
            },
        },
        "credentialStatus": [
            _status_entry(base_url, "revocation", data.revocation_list, data.revocation_index),
            _status_entry(base_url, "suspension", data.suspension_list, data.suspension_index),
        ],
    }


def certificate_credential(data: CertificateClaims, *, base_url: str, keyring: Keyring) -> str:
    """The certificate as a signed VC-JOSE credential (compact JWS, ``typ: vc+jwt``)."""
    return sign_vc_jwt(certificate_document(data, base_url=base_url), keyring=keyring)


def verify_credential(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    """The credential inside ``token`` once its signature is checked against ``jwks``.

    Checks the header (``alg`` EdDSA, ``typ`` vc+jwt, a ``kid`` the JWKS holds), the signature
    with that key, and that the payload is a VC 2.0 credential. Raises :class:`CredentialError`
    otherwise. The validity period and the status lists are the caller's to check: they change
    with time, the signature does not.
    """
    _header, credential = verify_vc_jwt(token, jwks)
    context = credential.get("@context")
    if not isinstance(context, list) or not context or context[0] != VC_CONTEXT:
        raise CredentialError(f"@context : {VC_CONTEXT} attendu en premier")
    types = credential.get("type")
    if not isinstance(types, list) or "VerifiableCredential" not in types:
        raise CredentialError("type : VerifiableCredential attendu")
    return credential
