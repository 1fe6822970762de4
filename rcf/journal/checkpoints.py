"""Signed checkpoints of the journal: what the hash chain alone cannot prove.

The chain shows any change that leaves a trace inside the table. Someone with write access to
the database can leave none: drop the last entries and move the head back, or edit an entry and
recompute every hash after it and the head. A checkpoint closes that gap for everything it
covers: the platform signs the head (``seq``, ``hash``, ``issued_at``) with its Ed25519 key, and
whoever kept the token can later prove that entries 1 to ``seq`` are still there, unchanged
(entry ``seq`` still has the signed chain hash, and that hash covers every entry before it).

Token: compact JWS, header ``{"alg": "EdDSA", "kid": …, "typ": "rcf-journal-checkpoint+jwt"}``,
payload ``{"iss": base URL, "seq": n, "hash": "<64 hex>", "issued_at": "…Z"}``. The explicit
``typ`` keeps a checkpoint from ever being taken for a credential, signed by the same key.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from rcf.credentials.keys import Keyring, jwks
from rcf.credentials.signing import CredentialError, UnknownKey, sign_jws, verify_jws
from rcf.journal.models import GENESIS_HASH, JournalCheckpoint, JournalEntry, JournalHead
from rcf.journal.selectors import JournalVerification, journal_verify_upto

TYP = "rcf-journal-checkpoint+jwt"
MEDIA_TYPE = "application/jwt"
HASH = re.compile(r"[0-9a-f]{64}")


class CheckpointInvalid(Exception):
    """A token that is not a checkpoint signed by this platform; the message says why."""


class CheckpointRefused(Exception):
    """The platform will not sign: the journal is already broken (signing would launder it)."""

    def __init__(self, verification: JournalVerification) -> None:
        super().__init__(f"entrée n° {verification.broken_at} : {verification.reason}")
        self.verification = verification


@dataclass(frozen=True)
class Checkpoint:
    """The verified content of a checkpoint token."""

    seq: int
    hash: str
    issued_at: dt.datetime
    kid: str

    @property
    def issued_on_text(self) -> str:
        return _timestamp(self.issued_at)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def checkpoint_read(token: str, key_set: dict[str, Any]) -> Checkpoint:
    """Verify ``token``'s signature against ``key_set`` (a JWKS) and read its payload.

    Raises :class:`CheckpointInvalid` for anything else than a well-formed checkpoint signed by
    one of the keys (current or retired) of the set.
    """
    try:
        header, payload = verify_jws(token.strip(), key_set, typ=TYP)
    except UnknownKey as exc:
        raise CheckpointInvalid(
            f"{exc} : la clé n'est ni la clé courante ni une clé retirée de la plateforme "
            "(/.well-known/jwks.json)"
        ) from None
    except CredentialError as exc:
        raise CheckpointInvalid(str(exc)) from None
    seq = payload.get("seq")
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 0:
        raise CheckpointInvalid("charge utile : « seq » doit être un entier positif ou nul")
    chain_hash = payload.get("hash")
    if not isinstance(chain_hash, str) or not HASH.fullmatch(chain_hash):
        raise CheckpointInvalid("charge utile : « hash » doit compter 64 chiffres hexadécimaux")
    try:
        issued_at = dt.datetime.fromisoformat(str(payload.get("issued_at")))
    except ValueError:
        issued_at = None
    if issued_at is None or issued_at.tzinfo is None:
        raise CheckpointInvalid("charge utile : « issued_at » doit être une date UTC (…Z)")
    return Checkpoint(seq=seq, hash=chain_hash, issued_at=issued_at, kid=str(header["kid"]))


def checkpoint_holds(checkpoint: Checkpoint, *, count: int, label: str) -> JournalVerification:
    """Whether a journal whose chain of ``count`` entries is intact still holds the checkpoint.

    With the chain intact, entry ``seq`` carrying the signed hash proves entries 1 to ``seq``
    unchanged: each hash covers the previous one. ``label`` names the checkpoint in messages.
    """
    signed = f"{label}, signé le {checkpoint.issued_on_text}"
    if checkpoint.seq > count:
        return JournalVerification(
            count,
            count + 1,
            f"entrée manquante ({signed}, couvre {checkpoint.seq} entrées ; "
            "le journal a été tronqué)",
        )
    if checkpoint.seq == 0:
        current = GENESIS_HASH
    else:
        current = (
            JournalEntry.objects.filter(sequence=checkpoint.seq)
            .values_list("hash", flat=True)
            .get()
        )
    if current != checkpoint.hash:
        return JournalVerification(
            count,
            checkpoint.seq,
            f"chaîne réécrite (l'empreinte de cette entrée n'est plus celle du {signed} ; "
            f"une entrée n° 1 à {checkpoint.seq} a été modifiée et la chaîne recalculée)",
        )
    return JournalVerification(count)


def checkpoint_latest() -> JournalCheckpoint | None:
    """The last checkpoint the platform issued (the one published), or None before the first."""
    return JournalCheckpoint.objects.order_by("-issued_at", "-id").first()


def checkpoint_issue(
    *, keyring: Keyring, issuer: str, now: dt.datetime | None = None
) -> JournalCheckpoint:
    """Sign the journal's head as it is now and store the token (run by every ``rcf tick``).

    The head is read once; entries 1 to its count are verified, and so is the last stored
    checkpoint (its signature, and that the journal still holds it), before anything is signed:
    a checkpoint over an already broken journal would vouch for the forgery. Raises
    :class:`CheckpointRefused` then, and :class:`CheckpointInvalid` when the last stored
    checkpoint is not one of ours.
    """
    head = JournalHead.objects.filter(pk=1).values_list("count", "last_hash").first()
    seq, last_hash = head if head is not None else (0, GENESIS_HASH)
    verification = journal_verify_upto(seq, last_hash)
    if not verification.intact:
        raise CheckpointRefused(verification)
    key_set = jwks(keyring)
    previous = checkpoint_latest()
    if previous is not None:
        try:
            kept = checkpoint_read(previous.token, key_set)
        except CheckpointInvalid as exc:
            raise CheckpointInvalid(f"dernier point de contrôle enregistré : {exc}") from None
        held = checkpoint_holds(kept, count=seq, label="dernier point de contrôle enregistré")
        if not held.intact:
            raise CheckpointRefused(held)
    issued_at = (now or timezone.now()).replace(microsecond=0)
    payload = {
        "iss": issuer.rstrip("/"),
        "seq": seq,
        "hash": last_hash,
        "issued_at": _timestamp(issued_at),
    }
    token = sign_jws(payload, keyring=keyring, typ=TYP)
    with transaction.atomic():
        return JournalCheckpoint.objects.create(
            seq=seq, hash=last_hash, issued_at=issued_at, kid=keyring.current.kid, token=token
        )
