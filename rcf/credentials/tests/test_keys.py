"""The signing key ring: file mode, atomic writes, RFC 7638 kids, rotation, the JWKS."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from rcf.credentials.keys import (
    KeyringError,
    KeyringExists,
    KeyringMissing,
    jwks,
    keyring_init,
    keyring_rotate,
    load_keyring,
)
from rcf.credentials.tests.factories import private_part

NOW = dt.datetime(2026, 3, 13, 9, 30, tzinfo=dt.UTC)


def mode_of(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def rfc7638_thumbprint(jwk: dict[str, str]) -> str:
    """Computed here from RFC 7638 §3 (required members, sorted, no spaces), not by joserfc."""
    canonical = json.dumps(
        {"crv": jwk["crv"], "kty": jwk["kty"], "x": jwk["x"]}, separators=(",", ":")
    )
    digest = hashlib.sha256(canonical.encode("utf-8")).digest()
    return base64.urlsafe_b64encode(digest).decode("ascii").rstrip("=")


def test_it_creates_the_ring_with_mode_0600_and_one_ed25519_key(keyring_path: Path) -> None:
    """A new ring is a 0600 file holding one private Ed25519 key whose kid is its thumbprint."""
    keyring = keyring_init(keyring_path, now=NOW)
    assert mode_of(keyring_path) == 0o600
    data = json.loads(keyring_path.read_text())
    assert data["format"] == "rcf-signing-keys/1"
    assert data["retired"] == []
    current = data["current"]
    assert set(current["jwk"]) == {"kty", "crv", "x", "d"}
    assert (current["jwk"]["kty"], current["jwk"]["crv"]) == ("OKP", "Ed25519")
    assert current["created_at"] == "2026-03-13T09:30:00Z"
    assert current["kid"] == rfc7638_thumbprint(current["jwk"]) == keyring.current.kid
    assert [p.name for p in keyring_path.parent.iterdir()] == [keyring_path.name]


def test_it_writes_mode_0600_whatever_the_umask(keyring_path: Path) -> None:
    """The mode does not depend on a permissive umask of the process."""
    import os

    previous = os.umask(0o000)
    try:
        keyring_init(keyring_path)
        assert mode_of(keyring_path) == 0o600
        keyring_rotate(keyring_path)
        assert mode_of(keyring_path) == 0o600
    finally:
        os.umask(previous)


def test_it_refuses_to_overwrite_an_existing_ring(keyring_path: Path) -> None:
    """Re-initialising would lose the keys that verify issued credentials: refused, unchanged."""
    keyring_init(keyring_path)
    before = keyring_path.read_bytes()
    with pytest.raises(KeyringExists, match="rcf keys rotate"):
        keyring_init(keyring_path)
    assert keyring_path.read_bytes() == before
    assert [p.name for p in keyring_path.parent.iterdir()] == [keyring_path.name]


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660, 0o606])
def test_it_refuses_a_ring_that_other_users_can_read_or_write(
    keyring_path: Path, mode: int
) -> None:
    """A group- or world-accessible ring is refused with a clear message, not used."""
    keyring_init(keyring_path)
    keyring_path.chmod(mode)
    with pytest.raises(KeyringError) as error:
        load_keyring(keyring_path)
    assert f"mode {mode:04o}" in str(error.value)
    assert f"chmod 600 {keyring_path}" in str(error.value)
    with pytest.raises(KeyringError):
        keyring_rotate(keyring_path)


def test_it_loads_what_it_wrote(keyring_path: Path) -> None:
    """Loading gives back the same keys and dates."""
    created = keyring_init(keyring_path, now=NOW)
    rotated = keyring_rotate(keyring_path, now=NOW + dt.timedelta(days=400))
    loaded = load_keyring(keyring_path)
    assert loaded.current.kid == rotated.current.kid
    assert loaded.current.key.as_dict(private=True) == rotated.current.key.as_dict(private=True)
    assert [(k.kid, k.created_at, k.retired_at) for k in loaded.retired] == [
        (created.current.kid, NOW, NOW + dt.timedelta(days=400))
    ]


def test_it_reports_a_missing_ring(keyring_path: Path) -> None:
    """No file: a KeyringMissing that says how to create one."""
    with pytest.raises(KeyringMissing, match="rcf keys init"):
        load_keyring(keyring_path)
    with pytest.raises(KeyringMissing):
        keyring_rotate(keyring_path)


def test_it_rotates_keeping_only_the_public_part_of_the_old_key(keyring_path: Path) -> None:
    """After a rotation the old key is published but its private part is gone from the file."""
    first = keyring_init(keyring_path, now=NOW)
    old_private = private_part(first.current.key)
    second = keyring_rotate(keyring_path, now=NOW + dt.timedelta(days=1))
    third = keyring_rotate(keyring_path, now=NOW + dt.timedelta(days=2))
    text = keyring_path.read_text()
    assert old_private not in text
    assert private_part(second.current.key) not in text
    data = json.loads(text)
    assert data["current"]["kid"] == third.current.kid
    assert [old["kid"] for old in data["retired"]] == [second.current.kid, first.current.kid]
    for old in data["retired"]:
        assert set(old["jwk"]) == {"kty", "crv", "x"}
        assert old["kid"] == rfc7638_thumbprint(old["jwk"])
    assert data["retired"][0]["retired_at"] == "2026-03-15T09:30:00Z"
    assert len({first.current.kid, second.current.kid, third.current.kid}) == 3
    assert [p.name for p in keyring_path.parent.iterdir()] == [keyring_path.name]


def test_it_publishes_public_keys_only_in_the_jwks(keyring_path: Path) -> None:
    """The JWKS lists the current then the retired keys: kid, kty, crv, x, alg, use; no d."""
    first = keyring_init(keyring_path)
    keyring = keyring_rotate(keyring_path)
    published = jwks(keyring)
    assert [key["kid"] for key in published["keys"]] == [keyring.current.kid, first.current.kid]
    for key in published["keys"]:
        assert set(key) == {"kid", "kty", "crv", "x", "alg", "use"}
        assert (key["kty"], key["crv"], key["alg"], key["use"]) == (
            "OKP",
            "Ed25519",
            "EdDSA",
            "sig",
        )
        assert key["kid"] == rfc7638_thumbprint(key)
    assert private_part(keyring.current.key) not in json.dumps(published)


def test_it_keeps_the_private_key_out_of_repr(keyring_path: Path) -> None:
    """A ring printed by accident (a log, a traceback) does not show the private key."""
    keyring = keyring_init(keyring_path)
    assert private_part(keyring.current.key) not in repr(keyring)


def corrupt(path: Path, change: Callable[[dict[str, Any]], object]) -> None:
    data = json.loads(path.read_text())
    change(data)
    path.write_text(json.dumps(data))


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.update(format="autre/1"), "format attendu"),
        (lambda d: d["current"].update(kid="faux"), "empreinte RFC 7638"),
        (lambda d: d["current"]["jwk"].pop("d"), "pas de partie privée"),
        (lambda d: d["current"]["jwk"].update(crv="P-256"), "OKP / Ed25519"),
        (lambda d: d["current"].update(created_at="hier"), "date illisible"),
    ],
)
def test_it_refuses_a_damaged_ring(
    keyring_path: Path, change: Callable[[dict[str, Any]], object], message: str
) -> None:
    """A ring that was edited by hand or damaged is refused with the reason."""
    keyring_init(keyring_path)
    corrupt(keyring_path, change)
    with pytest.raises(KeyringError, match=message):
        load_keyring(keyring_path)


def test_it_refuses_a_retired_key_that_kept_its_private_part(keyring_path: Path) -> None:
    """Retired keys must be public only: a ring holding an old private key is refused."""
    first = keyring_init(keyring_path)
    keyring_rotate(keyring_path)
    old = private_part(first.current.key)
    corrupt(keyring_path, lambda d: d["retired"][0]["jwk"].update(d=old))
    with pytest.raises(KeyringError, match="partie publique"):
        load_keyring(keyring_path)
