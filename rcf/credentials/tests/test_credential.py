"""The certificate as a VC-JOSE Verifiable Credential, checked with nothing but the JWKS."""

from __future__ import annotations

import base64
import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pytest
from joserfc import jws
from joserfc.errors import BadSignatureError
from joserfc.jwk import OctKey, OKPKey

from rcf.credentials.keys import Keyring, jwks, keyring_rotate, load_keyring
from rcf.credentials.signing import CredentialError
from rcf.credentials.tests.factories import BASE_URL, CLAIMS, claims, private_part
from rcf.credentials.vc import (
    certificate_credential,
    certificate_document,
    credentials_context,
    verify_credential,
)

EXPECTED_PAYLOAD = {
    "@context": [
        "https://www.w3.org/ns/credentials/v2",
        "https://rcf.example.fr/credentials/v1",
    ],
    "id": "https://rcf.example.fr/credentials/RCF-2026-0042.jwt",
    "type": ["VerifiableCredential", "RelationClientFranceCertificate"],
    "name": "Certificat Relation Client France",
    "issuer": {
        "id": "https://rcf.example.fr",
        "name": "AFNOR Certification — Relation Client France",
    },
    "validFrom": "2026-03-13T00:00:00+01:00",
    "validUntil": "2029-03-12T23:59:59+01:00",
    "credentialSubject": {
        "id": "urn:siren:845333145",
        "name": "Mutuelle Exemple des Deux-Sèvres",
        "siren": "845333145",
        "brands": ["Mutuelle Exemple", "MX Assurances"],
        "certificateNumber": "RCF-2026-0042",
        "scheme": "relation-client-france",
        "schemeVersion": "1",
        "issuedOn": "2026-03-10",
        "scope": {
            "channels": ["telephone", "email", "chat"],
            "activities": ["front_office", "back_office"],
            "phases": ["pre_sale", "sale", "after_sale"],
            "sitesCount": 2,
            "territories": ["79", "974"],
            "contributors": 98,
        },
    },
    "credentialStatus": [
        {
            "id": "https://rcf.example.fr/status/revocation-1.jwt#94567",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "revocation",
            "statusListIndex": "94567",
            "statusListCredential": "https://rcf.example.fr/status/revocation-1.jwt",
        },
        {
            "id": "https://rcf.example.fr/status/suspension-1.jwt#1203",
            "type": "BitstringStatusListEntry",
            "statusPurpose": "suspension",
            "statusListIndex": "1203",
            "statusListCredential": "https://rcf.example.fr/status/suspension-1.jwt",
        },
    ],
}


def published_jwks(keyring: Keyring) -> dict[str, Any]:
    """The JWKS as a verifier gets it: JSON text over HTTP, parsed again."""
    return json.loads(json.dumps(jwks(keyring)))


def b64json(segment: str) -> Any:
    return json.loads(base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4)))


def independent_verify(token: str, jwks_json: dict[str, Any]) -> jws.CompactSignature:
    """Verification as a third party does it: the header's kid picks a JWK from the JWKS,
    imported as is, and joserfc checks the signature (our helpers are not used)."""
    kid = b64json(token.split(".")[0])["kid"]
    (jwk,) = [key for key in jwks_json["keys"] if key["kid"] == kid]
    key = OKPKey.import_key(jwk)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # joserfc's RFC 9864 notice about the name "EdDSA"
        return jws.deserialize_compact(token, key, algorithms=["EdDSA"])


def test_it_verifies_with_the_jwks_and_a_plain_jose_library(keyring: Keyring) -> None:
    """A third party holding only the JWKS checks the signature with joserfc directly; the
    protected header and the payload are exactly as documented."""
    token = certificate_credential(CLAIMS, base_url=BASE_URL, keyring=keyring)
    verified = independent_verify(token, published_jwks(keyring))
    assert verified.protected == {
        "alg": "EdDSA",
        "kid": keyring.current.kid,
        "typ": "vc+jwt",
        "cty": "vc",
    }
    assert json.loads(verified.payload) == EXPECTED_PAYLOAD
    # The JWS payload is the credential itself, with no JWT envelope claims around it.
    assert b64json(token.split(".")[1]) == EXPECTED_PAYLOAD


def test_it_verifies_with_its_own_helper(keyring: Keyring) -> None:
    """verify_credential returns the credential once header and signature are checked."""
    token = certificate_credential(CLAIMS, base_url=BASE_URL, keyring=keyring)
    assert verify_credential(token, published_jwks(keyring)) == EXPECTED_PAYLOAD


def test_it_signs_deterministically(keyring: Keyring) -> None:
    """Same claims and key, same token (Ed25519 and the JSON serialisation are deterministic)."""
    first = certificate_credential(CLAIMS, base_url=BASE_URL, keyring=keyring)
    assert certificate_credential(CLAIMS, base_url=BASE_URL + "/", keyring=keyring) == first


def test_it_still_verifies_a_credential_signed_before_a_rotation(
    keyring: Keyring, keyring_path: Path
) -> None:
    """After `rcf keys rotate` the old credential verifies with the new JWKS, the old private
    key is gone from the ring, and new credentials carry the new kid."""
    old_token = certificate_credential(CLAIMS, base_url=BASE_URL, keyring=keyring)
    old_private = private_part(keyring.current.key)
    keyring_rotate(keyring_path)
    rotated = load_keyring(keyring_path)
    assert old_private not in keyring_path.read_text()
    after = published_jwks(rotated)
    assert json.loads(independent_verify(old_token, after).payload) == EXPECTED_PAYLOAD
    assert verify_credential(old_token, after) == EXPECTED_PAYLOAD
    new_token = certificate_credential(CLAIMS, base_url=BASE_URL, keyring=rotated)
    assert b64json(new_token.split(".")[0])["kid"] == rotated.current.kid != keyring.current.kid
    assert verify_credential(new_token, after) == EXPECTED_PAYLOAD


def tamper_payload(token: str) -> str:
    header, payload, signature = token.split(".")
    data = b64json(payload)
    data["validUntil"] = "2099-12-31T23:59:59+01:00"
    forged = base64.urlsafe_b64encode(json.dumps(data).encode()).decode().rstrip("=")
    return f"{header}.{forged}.{signature}"


def test_it_rejects_a_tampered_credential(keyring: Keyring) -> None:
    """Changing one claim breaks the signature, for our helper and for a plain JOSE call."""
    forged = tamper_payload(certificate_credential(CLAIMS, base_url=BASE_URL, keyring=keyring))
    with pytest.raises(CredentialError, match="signature invalide"):
        verify_credential(forged, published_jwks(keyring))
    with pytest.raises(BadSignatureError):
        independent_verify(forged, published_jwks(keyring))


def test_it_rejects_a_key_the_jwks_does_not_publish(keyring: Keyring, tmp_path: Path) -> None:
    """A credential signed by a key absent from the JWKS is refused (unknown kid)."""
    from rcf.credentials.keys import keyring_init

    other = keyring_init(tmp_path / "other.json")
    token = certificate_credential(CLAIMS, base_url=BASE_URL, keyring=other)
    with pytest.raises(CredentialError, match=f"clé {other.current.kid} absente"):
        verify_credential(token, published_jwks(keyring))


def sign_raw(header: dict[str, Any], payload: bytes, key: Any, alg: str) -> str:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return jws.serialize_compact(header, payload, key, algorithms=[alg])


@pytest.mark.parametrize(
    ("header_change", "message"),
    [
        ({"typ": "JWT"}, "typ 'JWT'"),
        ({"typ": None}, "typ None"),
        ({"cty": "json"}, "cty 'json'"),
        ({"kid": None}, "sans kid"),
    ],
)
def test_it_checks_the_protected_header(
    keyring: Keyring, header_change: dict[str, Any], message: str
) -> None:
    """A validly signed token whose header is not a vc+jwt one is refused."""
    header = {"alg": "EdDSA", "kid": keyring.current.kid, "typ": "vc+jwt", "cty": "vc"}
    header.update(header_change)
    header = {name: value for name, value in header.items() if value is not None}
    payload = json.dumps(EXPECTED_PAYLOAD).encode()
    token = sign_raw(header, payload, keyring.current.key, "EdDSA")
    with pytest.raises(CredentialError, match=message):
        verify_credential(token, published_jwks(keyring))


def test_it_refuses_other_algorithms(keyring: Keyring) -> None:
    """alg must be EdDSA: an HMAC token (even with a kid of the JWKS) or "none" is refused."""
    header = {"alg": "HS256", "kid": keyring.current.kid, "typ": "vc+jwt"}
    payload = json.dumps(EXPECTED_PAYLOAD).encode()
    hmac = sign_raw(header, payload, OctKey.generate_key(256), "HS256")
    with pytest.raises(CredentialError, match="alg 'HS256'"):
        verify_credential(hmac, published_jwks(keyring))
    unsigned = ".".join(
        base64.urlsafe_b64encode(part).decode().rstrip("=")
        for part in (json.dumps({**header, "alg": "none"}).encode(), payload)
    )
    with pytest.raises(CredentialError, match="alg 'none'"):
        verify_credential(unsigned + ".", published_jwks(keyring))


def test_it_rejects_garbage(keyring: Keyring) -> None:
    """What is not a compact JWS is a CredentialError, not a crash."""
    for token in ("", "abc", "a.b", "a.b.c.d", "€.€.€"):
        with pytest.raises(CredentialError):
            verify_credential(token, published_jwks(keyring))


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"number": "RCF-26-1"}, "RCF-AAAA-NNNN"),
        ({"number": "RCF-2026-0042/../x"}, "RCF-AAAA-NNNN"),
        ({"siren": "845333146"}, "SIREN invalide"),
        ({"siren": " 845333145"}, "SIREN invalide"),
        ({"valid_until": dt.date(2026, 3, 12)}, "précède"),
        ({"revocation_index": 131_072}, "hors de"),
        ({"suspension_index": -1}, "hors de"),
        ({"contributors": -1}, "négatifs"),
        ({"brands": "MX"}, "suite de textes"),
        ({"revocation_list": "../etc"}, "identifiant de liste"),
    ],
)
def test_it_refuses_claims_that_make_no_sense(changes: dict[str, Any], message: str) -> None:
    """Data that would produce a wrong credential or URL is refused before anything is signed."""
    with pytest.raises(CredentialError, match=message):
        certificate_document(claims(**changes), base_url=BASE_URL)


def test_it_writes_summer_dates_with_the_summer_offset() -> None:
    """Certificate dates are Paris calendar days: the offset follows daylight saving time."""
    document = certificate_document(
        claims(valid_from=dt.date(2026, 7, 1), valid_until=dt.date(2029, 6, 30)), base_url=BASE_URL
    )
    assert document["validFrom"] == "2026-07-01T00:00:00+02:00"
    assert document["validUntil"] == "2029-06-30T23:59:59+02:00"


def test_it_defines_every_term_it_uses_in_its_context() -> None:
    """Every property of the subject is defined by our JSON-LD context (or by the VC 2.0 one
    for id, type and name), so the credential has no undefined term."""
    context = credentials_context(BASE_URL)["@context"]
    assert context["@protected"] is True
    vc_terms = {"id", "type", "name"}
    subject = EXPECTED_PAYLOAD["credentialSubject"]
    assert isinstance(subject, dict)
    used = set(subject) | set(subject["scope"])
    assert used - vc_terms <= set(context)
    assert context["RelationClientFranceCertificate"]["@id"] == (
        "https://rcf.example.fr/credentials/v1#RelationClientFranceCertificate"
    )
    assert certificate_document(CLAIMS, base_url=BASE_URL) == EXPECTED_PAYLOAD
