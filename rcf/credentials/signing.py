"""Who signs the credentials and how: the issuer, and VC-JOSE tokens (``typ: vc+jwt``).

"Securing Verifiable Credentials using JOSE and COSE": the JWS payload *is* the credential's
JSON; the protected header says ``alg: EdDSA``, ``typ: vc+jwt``, ``cty: vc`` and the ``kid`` of
the key, which a verifier finds in ``/.well-known/jwks.json``.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from rcf.credentials.keys import ALGORITHM, Keyring

VC_CONTEXT = "https://www.w3.org/ns/credentials/v2"
ISSUER_NAME = "AFNOR Certification — Relation Client France"
MEDIA_TYPE = "application/vc+jwt"
TYP = "vc+jwt"
CTY = "vc"


class CredentialError(ValueError):
    """A token is not a valid credential of ours: bad form, unknown key or bad signature."""


def issuer_of(base_url: str) -> dict[str, str]:
    """The issuer of every credential: the platform, identified by its base URL."""
    return {"id": base_url.rstrip("/"), "name": ISSUER_NAME}


def xml_datetime(moment: dt.datetime) -> str:
    """An XML Schema ``dateTimeStamp`` (seconds, explicit offset; ``Z`` for UTC)."""
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise CredentialError("date sans fuseau horaire : validFrom/validUntil l'exigent")
    return moment.replace(microsecond=0).isoformat().replace("+00:00", "Z")


class _EdDSAOnly(JWSRegistry):
    """Accept ``EdDSA`` and nothing else, without joserfc's deprecation warning.

    joserfc follows RFC 9864, which deprecates the polymorphic ``EdDSA`` name in favour of the
    fully specified ``Ed25519``; VC-JOSE-COSE and the verifiers in the field still use
    ``EdDSA`` with Ed25519 keys, so this platform signs with it (docs/credentials.md).
    """

    def get_alg(self, name: str) -> jws.JWSAlgModel:
        if name != ALGORITHM or name not in self.algorithms:
            raise CredentialError(f"algorithme {name!r} refusé : seul {ALGORITHM} est accepté")
        return self.algorithms[name]


_REGISTRY = _EdDSAOnly(algorithms=[ALGORITHM])


def dumps(credential: dict[str, Any]) -> bytes:
    """The exact payload bytes: compact UTF-8 JSON, keys in the order they were built."""
    return json.dumps(credential, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def sign_vc_jwt(credential: dict[str, Any], *, keyring: Keyring) -> str:
    """Sign ``credential`` with the ring's current key: a compact JWS (``header.payload.sig``).

    Ed25519 signatures are deterministic: the same credential and key give the same token.
    """
    return sign_jws(credential, keyring=keyring, typ=TYP, cty=CTY)


def verify_vc_jwt(token: str, jwks: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a compact ``vc+jwt`` against a JWKS; return its protected header and payload.

    Checks: three base64url parts; header ``alg`` = ``EdDSA``, ``typ`` = ``vc+jwt``, ``cty``
    absent or ``vc``, a ``kid`` present in the JWKS; the signature with that key; a payload that
    is a JSON object. It does not look at the validity period or the status lists.
    """
    return verify_jws(token, jwks, typ=TYP, cty=CTY)


class UnknownKey(CredentialError):
    """The token names a ``kid`` that the JWKS does not hold (never ours, or a lost key)."""


def sign_jws(payload: dict[str, Any], *, keyring: Keyring, typ: str, cty: str | None = None) -> str:
    """Sign a JSON object with the ring's current key as a compact JWS (EdDSA).

    ``typ`` types the token explicitly (RFC 8725 §3.11), so that a token of one kind (a
    journal checkpoint) can never be taken for another (a credential).
    """
    header = {"alg": ALGORITHM, "kid": keyring.current.kid, "typ": typ}
    if cty is not None:
        header["cty"] = cty
    return jws.serialize_compact(header, dumps(payload), keyring.current.key, registry=_REGISTRY)


def verify_jws(
    token: str, jwks: dict[str, Any], *, typ: str, cty: str | None = None
) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check a compact JWS signed by :func:`sign_jws` against a JWKS; return header and payload.

    Refused with :class:`CredentialError` (:class:`UnknownKey` for a ``kid`` the JWKS lacks):
    anything but three base64url parts, an ``alg`` other than ``EdDSA``, another ``typ``, a
    ``cty`` other than ``cty`` when one is expected, a bad signature, a payload that is not a
    JSON object.
    """
    try:
        unverified = jws.extract_compact(token.encode("ascii"), registry=_REGISTRY)
    except (JoseError, ValueError, UnicodeError) as exc:
        raise CredentialError(f"jeton JWS compact illisible ({_reason(exc)})") from None
    header = unverified.headers()
    if header.get("alg") != ALGORITHM:
        raise CredentialError(f"en-tête alg {header.get('alg')!r} : {ALGORITHM} attendu")
    if header.get("typ") != typ:
        raise CredentialError(f"en-tête typ {header.get('typ')!r} : {typ!r} attendu")
    if cty is not None and header.get("cty", cty) != cty:
        raise CredentialError(f"en-tête cty {header.get('cty')!r} : {cty!r} attendu")
    kid = header.get("kid")
    if not isinstance(kid, str) or not kid:
        raise CredentialError("en-tête sans kid")
    try:
        key = KeySet.import_key_set(jwks).get_by_kid(kid)  # type: ignore[arg-type]
    except (JoseError, ValueError, TypeError, KeyError):
        raise UnknownKey(f"clé {kid} absente du JWKS") from None
    try:
        verified = jws.deserialize_compact(token, key, registry=_REGISTRY)
    except (JoseError, ValueError) as exc:
        raise CredentialError(f"signature invalide ({_reason(exc)})") from None
    try:
        payload = json.loads(verified.payload)
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise CredentialError("charge utile : JSON attendu") from None
    if not isinstance(payload, dict):
        raise CredentialError("charge utile : objet JSON attendu")
    return header, payload


def _reason(exc: Exception) -> str:
    return getattr(exc, "error", None) or type(exc).__name__
