"""Signed checkpoints: what the chain alone misses (a truncated head, a recomputed chain) is caught.

Tampering is done as an attacker with write access to the database would: raw SQL, moving the
head and recomputing every hash so that the chain itself looks intact.
"""

from __future__ import annotations

import base64
import json
from pathlib import Path
from typing import Any

import pytest
from django.db import connection
from django.test import Client

from rcf.accounts.models import User
from rcf.credentials.keys import Keyring, jwks, keyring_init, keyring_rotate
from rcf.credentials.signing import sign_jws, sign_vc_jwt
from rcf.journal.checkpoints import (
    TYP,
    CheckpointRefused,
    checkpoint_issue,
    checkpoint_read,
)
from rcf.journal.models import GENESIS_HASH, JournalCheckpoint, JournalEntry, JournalHead
from rcf.journal.selectors import journal_verify

from .conftest import record, verify

ISSUER = "https://rcf.example.fr"


@pytest.fixture
def keyring(settings: Any, tmp_path: Path) -> Keyring:
    path = tmp_path / "keys" / "signing-keys.json"
    settings.RCF_SIGNING_KEY_FILE = path
    return keyring_init(path)


def sql(statement: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


def save(tmp_path: Path, token: str, name: str = "checkpoint.jwt") -> str:
    """What a third party does: keep the published token in a file."""
    path = tmp_path / name
    path.write_text(token + "\n", encoding="ascii")
    return str(path)


def truncate_head(entries: list[JournalEntry]) -> None:
    """Drop the last entry and move the head back onto the one before, leaving no trace."""
    sql("DELETE FROM journal_journalentry WHERE sequence = %s", entries[-1].sequence)
    sql(
        "UPDATE journal_journalhead SET count = %s, last_hash = %s WHERE id = 1",
        entries[-2].sequence,
        entries[-2].hash,
    )


def rewrite_from(sequence: int, **changes: str) -> None:
    """Edit entry ``sequence``, then recompute its hash and every later one, and the head."""
    prev_hash = JournalEntry.objects.get(sequence=sequence).prev_hash
    for entry in JournalEntry.objects.filter(sequence__gte=sequence).order_by("sequence"):
        if entry.sequence == sequence:
            for name, value in changes.items():
                setattr(entry, name, value)
        entry.prev_hash = prev_hash
        entry.hash = entry.compute_hash()
        sql(
            'UPDATE journal_journalentry SET "after" = %s, prev_hash = %s, hash = %s '
            "WHERE sequence = %s",
            entry.after,
            entry.prev_hash,
            entry.hash,
            entry.sequence,
        )
        prev_hash = entry.hash
    sql("UPDATE journal_journalhead SET last_hash = %s WHERE id = 1", prev_hash)


def payload_of(token: str) -> dict[str, Any]:
    part = token.split(".")[1]
    return json.loads(base64.urlsafe_b64decode(part + "=" * (-len(part) % 4)))


def test_a_checkpoint_signs_the_head(certifier: User, keyring: Keyring) -> None:
    """Payload ``seq``, ``hash``, ``issued_at`` (and the issuer), header EdDSA + kid + typ."""
    entries = record(certifier, 3)

    stored = checkpoint_issue(keyring=keyring, issuer=ISSUER)

    payload = payload_of(stored.token)
    assert payload["seq"] == 3 == stored.seq
    assert payload["hash"] == entries[-1].hash == stored.hash
    assert payload["iss"] == ISSUER
    assert payload["issued_at"].endswith("Z")
    header = json.loads(base64.urlsafe_b64decode(stored.token.split(".")[0] + "=="))
    assert header == {"alg": "EdDSA", "kid": keyring.current.kid, "typ": TYP}


def test_a_valid_journal_passes_with_the_checkpoint(
    certifier: User, keyring: Keyring, tmp_path: Path
) -> None:
    """Entries appended after the checkpoint do not matter: it covers 1 to seq."""
    record(certifier, 3)
    token = checkpoint_issue(keyring=keyring, issuer=ISSUER).token
    record(certifier, 2)

    code, out = verify("--checkpoint", save(tmp_path, token))

    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "Journal intact : 5 entrées."
    assert lines[1].startswith("Point de contrôle fourni vérifié : les entrées 1 à 3 sont")
    assert keyring.current.kid in lines[1]
    # The plain command keeps its one line; the stored checkpoint is checked silently.
    assert verify() == (0, "Journal intact : 5 entrées.\n")


def test_a_truncated_head_entry_is_caught(
    certifier: User, keyring: Keyring, tmp_path: Path
) -> None:
    """The chain alone is fooled; the stored checkpoint and a kept one are not."""
    entries = record(certifier, 3)
    token = checkpoint_issue(keyring=keyring, issuer=ISSUER).token

    truncate_head(entries)

    assert journal_verify().intact  # what the chain alone says: the gap this closes
    code, out = verify()
    assert code == 1
    assert out.startswith(
        "Journal rompu à l'entrée n° 3 : entrée manquante (point de contrôle enregistré, signé le "
    )
    assert "couvre 3 entrées" in out

    # The attacker also drops the stored checkpoints: the one a third party kept still speaks.
    sql("DELETE FROM journal_journalcheckpoint")
    assert verify() == (0, "Journal intact : 2 entrées.\n")
    code, out = verify("--checkpoint", save(tmp_path, token))
    assert code == 1
    assert out.startswith("Journal rompu à l'entrée n° 3 : entrée manquante (point de contrôle ")


def test_a_recomputed_chain_after_an_edit_is_caught(
    certifier: User, keyring: Keyring, tmp_path: Path
) -> None:
    """Entry 2 edited, hashes 2 to 4 and the head recomputed, the stored rows' columns too."""
    record(certifier, 4)
    token = checkpoint_issue(keyring=keyring, issuer=ISSUER).token

    rewrite_from(2, after="certified")
    forged_last = JournalEntry.objects.get(sequence=4).hash
    sql("UPDATE journal_journalcheckpoint SET hash = %s", forged_last)

    assert journal_verify().intact
    assert JournalEntry.objects.get(sequence=2).after == "certified"
    for args in [(), ("--checkpoint", save(tmp_path, token))]:
        code, out = verify(*args)
        assert code == 1
        assert out.startswith("Journal rompu à l'entrée n° 4 : chaîne réécrite (")
        assert "une entrée n° 1 à 4 a été modifiée" in out


def test_a_chain_broken_the_old_way_is_still_reported_first(
    certifier: User, keyring: Keyring, tmp_path: Path
) -> None:
    """Without recomputation the chain's own report comes first, as before."""
    record(certifier, 3)
    token = checkpoint_issue(keyring=keyring, issuer=ISSUER).token
    sql("UPDATE journal_journalentry SET \"after\" = 'x' WHERE sequence = 2")

    assert verify("--checkpoint", save(tmp_path, token)) == (
        1,
        "Journal rompu à l'entrée n° 2 : empreinte altérée.\n",
    )


def test_a_tampered_token_fails(certifier: User, keyring: Keyring, tmp_path: Path) -> None:
    """A payload changed under the original signature is refused, naming the signature."""
    entries = record(certifier, 3)
    token = checkpoint_issue(keyring=keyring, issuer=ISSUER).token
    header, _payload, signature = token.split(".")
    forged = {**payload_of(token), "seq": 2, "hash": entries[1].hash}
    body = base64.urlsafe_b64encode(json.dumps(forged).encode()).rstrip(b"=").decode()

    code, out = verify("--checkpoint", save(tmp_path, f"{header}.{body}.{signature}"))

    assert code == 1
    assert out.startswith("Point de contrôle fourni invalide : signature invalide")


def test_a_token_signed_by_an_unknown_key_fails(
    certifier: User, keyring: Keyring, tmp_path: Path
) -> None:
    """A well-formed checkpoint from a key the platform never published is refused."""
    entries = record(certifier, 2)
    other = keyring_init(tmp_path / "other.json")
    payload = {"iss": ISSUER, "seq": 2, "hash": entries[1].hash, "issued_at": "2026-01-01T00:00Z"}
    token = sign_jws(payload, keyring=other, typ=TYP)

    code, out = verify("--checkpoint", save(tmp_path, token))

    assert code == 1
    assert out.startswith(f"Point de contrôle fourni invalide : clé {other.current.kid} absente")
    assert "ni la clé courante ni une clé retirée" in out


@pytest.mark.parametrize(
    "content",
    ["not a token", "a.b.c", ""],
    ids=["garbage", "three-parts", "empty"],
)
def test_something_else_than_a_token_fails(
    certifier: User, keyring: Keyring, tmp_path: Path, content: str
) -> None:
    record(certifier, 1)
    path = tmp_path / "checkpoint.jwt"
    path.write_text(content)

    code, out = verify("--checkpoint", str(path))

    assert code == 1
    assert out.startswith("Point de contrôle fourni invalide : jeton JWS compact illisible")


def test_a_credential_is_not_a_checkpoint(
    certifier: User, keyring: Keyring, tmp_path: Path
) -> None:
    """Signed by the same key, a token of another type is refused (explicit ``typ``)."""
    entries = record(certifier, 1)
    token = sign_vc_jwt({"seq": 1, "hash": entries[0].hash}, keyring=keyring)

    code, out = verify("--checkpoint", save(tmp_path, token))

    assert code == 1
    assert "en-tête typ 'vc+jwt'" in out


def test_a_missing_file_fails(certifier: User, keyring: Keyring, tmp_path: Path) -> None:
    code, out = verify("--checkpoint", str(tmp_path / "absent.jwt"))

    assert code == 1
    assert out.startswith("Point de contrôle illisible : ")


def test_a_checkpoint_of_a_retired_key_still_verifies(
    certifier: User, keyring: Keyring, tmp_path: Path, settings: Any
) -> None:
    """After `rcf keys rotate`, the old public key is kept, and so is the proof."""
    record(certifier, 2)
    token = checkpoint_issue(keyring=keyring, issuer=ISSUER).token
    rotated = keyring_rotate(Path(settings.RCF_SIGNING_KEY_FILE))
    assert rotated.current.kid != keyring.current.kid

    code, _out = verify("--checkpoint", save(tmp_path, token))

    assert code == 0
    assert checkpoint_issue(keyring=rotated, issuer=ISSUER).kid == rotated.current.kid


def test_an_empty_journal_has_a_checkpoint_too(db: None, keyring: Keyring, tmp_path: Path) -> None:
    """Sequence 0 and the genesis hash: entries added later do not break it."""
    stored = checkpoint_issue(keyring=keyring, issuer=ISSUER)
    assert (stored.seq, stored.hash) == (0, GENESIS_HASH)
    record(None, 1)

    code, _out = verify("--checkpoint", save(tmp_path, stored.token))

    assert code == 0


def test_the_platform_refuses_to_sign_a_broken_journal(certifier: User, keyring: Keyring) -> None:
    """Signing a forged state would vouch for it: nothing is stored."""
    entries = record(certifier, 3)
    checkpoint_issue(keyring=keyring, issuer=ISSUER)

    truncate_head(entries)
    with pytest.raises(CheckpointRefused, match="entrée n° 3 : entrée manquante"):
        checkpoint_issue(keyring=keyring, issuer=ISSUER)

    sql("UPDATE journal_journalentry SET \"after\" = 'x' WHERE sequence = 1")
    with pytest.raises(CheckpointRefused, match="entrée n° 1 : empreinte altérée"):
        checkpoint_issue(keyring=keyring, issuer=ISSUER)
    assert JournalCheckpoint.objects.count() == 1


def test_the_head_read_once_is_what_is_signed(certifier: User, keyring: Keyring) -> None:
    """The checkpoint covers the head as read, not rows beyond it (a growing journal)."""
    record(certifier, 2)
    head = JournalHead.objects.get()

    stored = checkpoint_issue(keyring=keyring, issuer=ISSUER)

    assert (stored.seq, stored.hash) == (head.count, head.last_hash)
    record(certifier, 1)  # appended after: not covered, not refused
    assert checkpoint_read(stored.token, jwks(keyring)).seq == 2


def test_the_latest_checkpoint_is_published(
    certifier: User, keyring: Keyring, client: Client
) -> None:
    """``/journal/checkpoint.jwt``: 404 before the first, then the latest, verifiable with the
    JWKS the platform publishes, ``application/jwt``, revalidated on every use."""
    missing = client.get("/journal/checkpoint.jwt")
    assert missing.status_code == 404
    record(certifier, 1)
    checkpoint_issue(keyring=keyring, issuer=ISSUER)
    record(certifier, 1)
    latest = checkpoint_issue(keyring=keyring, issuer=ISSUER)

    response = client.get("/journal/checkpoint.jwt")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/jwt"
    assert "no-cache" in response["Cache-Control"]
    assert response.content.decode() == latest.token
    key_set = client.get("/.well-known/jwks.json").json()
    checkpoint = checkpoint_read(response.content.decode(), key_set)
    assert (checkpoint.seq, checkpoint.hash) == (2, JournalEntry.objects.get(sequence=2).hash)
    assert client.post("/journal/checkpoint.jwt").status_code == 405
