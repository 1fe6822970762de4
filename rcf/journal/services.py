"""The one way to write the journal: :func:`journal_record`, inside the caller's transaction."""

from __future__ import annotations

import json
import re
from typing import Any

from django.db import connection
from django.utils import timezone

from rcf.accounts.models import User
from rcf.journal.models import GENESIS_HASH, JournalEntry, JournalHead

ACTION_CODE = re.compile(r"^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+$")


class JournalMisuse(Exception):
    """A programming error: the journal was called outside a transaction or with bad input."""


def journal_record(
    *,
    actor: User | None,
    action: str,
    obj_type: str,
    obj_id: object,
    before: str = "",
    after: str = "",
    data: dict[str, Any] | None = None,
) -> JournalEntry:
    """Append one entry: ``actor`` (None for the platform itself) did ``action`` to an object.

    Must run inside the caller's ``transaction.atomic()``, so that the entry exists if and
    only if the change it describes was committed. The head row is locked first: concurrent
    transactions append one after the other, each chaining to the entry before it.

    ``action`` is a dotted code (``rcf.application.submitted``); ``before``/``after`` are the
    object's states; ``data`` is any JSON object, never personal data beyond usernames.
    """
    if not connection.in_atomic_block:
        raise JournalMisuse("journal_record must run inside the caller's transaction.atomic()")
    if not ACTION_CODE.match(action):
        raise JournalMisuse(f"action must be a dotted lower-case code, not {action!r}")
    if not isinstance(data or {}, dict):
        raise JournalMisuse("data must be a JSON object")
    # Round-trip through JSON now, so what is hashed is what the database gives back
    # (tuples become lists, and anything that is not JSON is refused here).
    payload = json.loads(json.dumps(data or {}, ensure_ascii=False, allow_nan=False))

    head, _ = JournalHead.objects.select_for_update().get_or_create(
        pk=1, defaults={"count": 0, "last_hash": GENESIS_HASH}
    )
    entry = JournalEntry(
        sequence=head.count + 1,
        recorded_at=timezone.now(),
        actor=actor,
        actor_username=actor.get_username() if actor is not None else "",
        action=action,
        obj_type=obj_type,
        obj_id=str(obj_id),
        before=before,
        after=after,
        data=payload,
        prev_hash=head.last_hash,
    )
    entry.hash = entry.compute_hash()
    entry.save(force_insert=True)
    head.count = entry.sequence
    head.last_hash = entry.hash
    head.save(update_fields=["count", "last_hash"])
    return entry
