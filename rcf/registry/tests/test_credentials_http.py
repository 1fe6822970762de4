"""Signed files over HTTP: ``/credentials/{number}.jwt``, ``/.well-known/jwks.json``,
``/credentials/v1`` and the status lists ``/status/{list}.jwt``.

A verifier needs nothing but the JWKS and a JOSE library: these tests use ``joserfc``
directly, not the platform's own verification code.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from django.test import Client
from joserfc import jws
from joserfc.jwk import KeySet
from joserfc.jws import JWSRegistry

from rcf.certification.services import certificate as services
from rcf.credentials.keys import Keyring, keyring_rotate
from rcf.credentials.statuslist import bit_is_set

pytestmark = [
    pytest.mark.django_db,
    # The platform signs with EdDSA on purpose (docs/credentials.md); joserfc warns about it.
    pytest.mark.filterwarnings("ignore:EdDSA is deprecated"),
]


def verify_with_jwks(client: Client, token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Check ``token`` with only the published JWKS; return its header and payload."""
    keys = client.get("/.well-known/jwks.json").json()
    compact = jws.extract_compact(token.encode())
    header = compact.headers()
    key = KeySet.import_key_set(keys).get_by_kid(header["kid"])
    verified = jws.deserialize_compact(token, key, registry=JWSRegistry(algorithms=["EdDSA"]))
    return header, json.loads(verified.payload)


def test_it_serves_a_credential_that_verifies_with_the_published_keys(
    client: Client, keyring: Keyring, telecom: Any
) -> None:
    """``application/vc+jwt``, EdDSA, the key's ``kid`` in the JWKS, the certificate's claims."""
    response = client.get("/credentials/RCF-2026-0002.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    header, credential = verify_with_jwks(client, response.content.decode())
    assert header["alg"] == "EdDSA" and header["typ"] == "vc+jwt"
    assert header["kid"] == keyring.current.kid
    assert credential["id"] == "https://rcf.example.fr/credentials/RCF-2026-0002.jwt"
    assert credential["@context"][1] == "https://rcf.example.fr/credentials/v1"
    subject = credential["credentialSubject"]
    assert subject["siren"] == "804072387"
    assert subject["name"] == "Télécom Exemple SA"
    assert subject["certificateNumber"] == "RCF-2026-0002"
    assert subject["brands"] == ["TelEx", "TelEx Mobile"]
    assert subject["scope"]["contributors"] == 771
    assert credential["validFrom"] == "2026-01-15T00:00:00+01:00"
    assert credential["validUntil"] == "2029-01-14T23:59:59+01:00"
    entries = {entry["statusPurpose"]: entry for entry in credential["credentialStatus"]}
    assert entries["revocation"]["statusListCredential"] == (
        "https://rcf.example.fr/status/revocation-1.jwt"
    )
    assert entries["suspension"]["statusListIndex"] == "2002"


def test_it_answers_the_same_bytes_until_the_certificate_changes(
    client: Client, keyring: Keyring, telecom: Any
) -> None:
    """Signed on request, deterministic (Ed25519): same ETag, and 304 on If-None-Match."""
    first = client.get("/credentials/RCF-2026-0002.jwt")
    second = client.get("/credentials/RCF-2026-0002.jwt", HTTP_IF_NONE_MATCH=first["ETag"])
    assert second.status_code == 304
    assert client.get("/credentials/RCF-2026-0002.jwt").content == first.content


def test_it_keeps_old_credentials_verifiable_after_a_key_rotation(
    client: Client, keyring: Keyring, settings: Any, telecom: Any
) -> None:
    """The JWKS publishes the retired key too; new credentials use the new key."""
    old_token = client.get("/credentials/RCF-2026-0002.jwt").content.decode()
    rotated = keyring_rotate(Path(settings.RCF_SIGNING_KEY_FILE))
    kids = [key["kid"] for key in client.get("/.well-known/jwks.json").json()["keys"]]
    assert kids == [rotated.current.kid, keyring.current.kid]
    assert verify_with_jwks(client, old_token)[0]["kid"] == keyring.current.kid
    new_token = client.get("/credentials/RCF-2026-0002.jwt").content.decode()
    assert verify_with_jwks(client, new_token)[0]["kid"] == rotated.current.kid


def test_it_publishes_only_public_keys(client: Client, keyring: Keyring) -> None:
    response = client.get("/.well-known/jwks.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwk-set+json"
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "crv", "x", "kid", "alg", "use"}
    assert key["crv"] == "Ed25519"


def test_it_serves_the_json_ld_context(client: Client) -> None:
    response = client.get("/credentials/v1")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/ld+json"
    terms = response.json()["@context"]
    assert terms["siren"]["@id"] == "https://rcf.example.fr/credentials/v1#siren"


def test_it_answers_404_for_an_unknown_certificate(client: Client, keyring: Keyring) -> None:
    assert client.get("/credentials/RCF-2099-0001.jwt").status_code == 404
    assert client.get("/status/revocation-2.jwt").status_code == 404


def test_it_answers_503_in_production_until_the_keys_exist(
    client: Client, settings: Any, tmp_path: Path, telecom: Any
) -> None:
    """Production, no key ring yet: 503 saying what to run, never a key made by a request."""
    settings.PRODUCTION = True
    settings.RCF_SIGNING_KEY_FILE = tmp_path / "absent.json"
    for url in (
        "/credentials/RCF-2026-0002.jwt",
        "/.well-known/jwks.json",
        "/status/revocation-1.jwt",
    ):
        response = client.get(url)
        assert response.status_code == 503, url
        assert "rcf keys init" in response.content.decode()
        assert str(tmp_path) not in response.content.decode()
    assert not (tmp_path / "absent.json").exists()


def test_a_development_instance_makes_its_key_on_first_use(
    client: Client, settings: Any, tmp_path: Path, telecom: Any
) -> None:
    """Outside production (the demonstration), the first signed file creates the key ring
    (mode 0600) and the credential verifies with the published JWKS."""
    settings.RCF_SIGNING_KEY_FILE = tmp_path / "new.json"
    response = client.get("/credentials/RCF-2026-0002.jwt")
    assert response.status_code == 200
    assert (tmp_path / "new.json").stat().st_mode & 0o777 == 0o600
    verify_with_jwks(client, response.content.decode())


def status_bits(client: Client, list_id: str, index: int) -> tuple[bool, dict[str, Any]]:
    response = client.get(f"/status/{list_id}.jwt")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vc+jwt"
    assert response["Cache-Control"] == "public, max-age=60"
    _, credential = verify_with_jwks(client, response.content.decode())
    subject = credential["credentialSubject"]
    return bit_is_set(subject["encodedList"], index), subject


def test_it_sets_the_suspension_bit_of_a_suspended_certificate(
    client: Client, keyring: Keyring, certifier: Any, mutuelle: Any, telecom: Any
) -> None:
    """Suspended: suspension bit 1, revocation bit 0; reinstated: both 0 again."""
    assert status_bits(client, "suspension-1", 2002)[0] is False
    services.certificate_suspend(actor=certifier, certificate=telecom, reason="x")
    suspended, subject = status_bits(client, "suspension-1", 2002)
    assert suspended is True
    assert subject["statusPurpose"] == "suspension"
    assert status_bits(client, "suspension-1", 1001)[0] is False
    assert status_bits(client, "revocation-1", 2002)[0] is False
    services.certificate_reinstate(actor=certifier, certificate=telecom, reason="x")
    assert status_bits(client, "suspension-1", 2002)[0] is False


def test_it_sets_the_revocation_bit_of_a_withdrawn_certificate(
    client: Client, keyring: Keyring, certifier: Any, mutuelle: Any, telecom: Any
) -> None:
    """Withdrawn (even from suspended): revocation bit 1, suspension bit 0."""
    services.certificate_suspend(actor=certifier, certificate=telecom, reason="x")
    services.certificate_withdraw(actor=certifier, certificate=telecom, reason="x")
    revoked, subject = status_bits(client, "revocation-1", 2002)
    assert revoked is True
    assert subject["statusPurpose"] == "revocation"
    assert status_bits(client, "revocation-1", 1001)[0] is False
    assert status_bits(client, "suspension-1", 2002)[0] is False
