"""journal_record: the chain, the hash, the caller's transaction, append-only rows."""

from __future__ import annotations

import hashlib
import json
import re
from datetime import UTC

import pytest
from django.db import connection, transaction

from rcf.accounts.models import User
from rcf.journal.models import GENESIS_HASH, JournalEntry, JournalHead, JournalIsAppendOnly
from rcf.journal.selectors import journal_for
from rcf.journal.services import JournalMisuse, journal_record

from .conftest import record


def test_it_chains_each_entry_to_the_previous_one(certifier: User) -> None:
    """Sequence numbers follow each other; prev_hash is the previous entry's hash."""
    first, second, third = record(certifier, 3)

    assert [first.sequence, second.sequence, third.sequence] == [1, 2, 3]
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert third.prev_hash == second.hash
    head = JournalHead.objects.get()
    assert (head.count, head.last_hash) == (3, third.hash)


def test_the_hash_is_sha256_of_the_canonical_json_of_every_other_field(certifier: User) -> None:
    """Recomputed by hand from the documented format, as an outside auditor would."""
    [entry] = record(certifier)
    row = JournalEntry.objects.get()

    recorded_at = row.recorded_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert re.fullmatch(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z", recorded_at)
    document = {
        "sequence": 1,
        "recorded_at": recorded_at,
        "actor_id": certifier.pk,
        "actor_username": "cecile",
        "action": "rcf.application.submitted",
        "obj_type": "application",
        "obj_id": "7",
        "before": "draft",
        "after": "submitted",
        "data": {"step": 0},
        "prev_hash": "0" * 64,
    }
    canonical = json.dumps(document, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    assert row.hash == hashlib.sha256(canonical.encode()).hexdigest() == entry.hash


def test_it_records_the_platform_itself_as_no_actor(db: None) -> None:
    """Actions of the platform (deadlines) have no actor and an empty username."""
    [entry] = record(None)

    assert entry.actor is None
    assert entry.actor_username == ""


@pytest.mark.django_db(transaction=True)
def test_it_refuses_to_run_outside_a_transaction() -> None:
    """The entry must commit with the change it describes: outside atomic() is an error."""
    assert not connection.in_atomic_block
    with pytest.raises(JournalMisuse):
        journal_record(actor=None, action="rcf.x.y", obj_type="t", obj_id=1)
    assert not JournalEntry.objects.exists()


@pytest.mark.parametrize(
    ("action", "data"),
    [
        ("Submitted", None),
        ("rcf application", None),
        ("rcf.ok", {"when": object()}),
        ("rcf.ok", ["not", "an", "object"]),
    ],
    ids=["not-dotted", "space", "not-json", "not-an-object"],
)
def test_it_refuses_a_bad_action_code_or_data(certifier: User, action: str, data: object) -> None:
    """Actions are dotted lower-case codes; data is a JSON object."""
    with pytest.raises((JournalMisuse, TypeError)), transaction.atomic():
        journal_record(
            actor=certifier,
            action=action,
            obj_type="t",
            obj_id=1,
            data=data,  # type: ignore[arg-type]
        )
    assert not JournalEntry.objects.exists()


def test_an_entry_rolls_back_with_the_callers_transaction(certifier: User) -> None:
    """When the caller's transaction fails, neither the entry nor the head change."""
    record(certifier)
    with pytest.raises(RuntimeError), transaction.atomic():
        record(certifier)
        raise RuntimeError("the transition failed after journaling")

    assert JournalEntry.objects.count() == 1
    assert JournalHead.objects.get().count == 1
    assert record(certifier)[0].sequence == 2


def test_the_orm_refuses_to_change_or_delete_entries(certifier: User) -> None:
    """Append-only: save() of an existing row, delete(), update() and bulk delete all fail."""
    [entry] = record(certifier)

    entry.after = "certified"
    with pytest.raises(JournalIsAppendOnly):
        entry.save()
    with pytest.raises(JournalIsAppendOnly):
        entry.delete()
    with pytest.raises(JournalIsAppendOnly):
        JournalEntry.objects.filter(pk=entry.pk).update(after="certified")
    with pytest.raises(JournalIsAppendOnly):
        JournalEntry.objects.all().delete()
    assert JournalEntry.objects.get().after == "submitted"


def test_a_user_in_the_journal_cannot_be_deleted(certifier: User) -> None:
    """Deleting the actor would rewrite the entry; such users are deactivated instead."""
    from django.db.models import ProtectedError

    record(certifier)
    with pytest.raises(ProtectedError):
        certifier.delete()


def test_journal_for_lists_one_objects_history_in_order(certifier: User) -> None:
    """The history of application 7, oldest first, without the entries of others."""
    record(certifier, 2, obj_id=7)
    record(certifier, 1, obj_id=8)
    record(None, 1, obj_id="7")

    history = list(journal_for("application", 7))

    assert [e.sequence for e in history] == [1, 2, 4]
    assert [e.actor_username for e in history] == ["cecile", "cecile", ""]
