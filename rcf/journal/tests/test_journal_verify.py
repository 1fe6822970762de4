"""`rcf journal verify`: exit 0 on an intact chain; exit 1 naming the first broken entry.

Tampering is done as an attacker with database access would: raw SQL, around the ORM.
"""

from __future__ import annotations

import pytest
from django.db import connection

from rcf.accounts.models import User
from rcf.journal.models import JournalEntry

from .conftest import record, verify


def sql(statement: str, *params: str | int) -> None:
    with connection.cursor() as cursor:
        cursor.execute(statement, params)


@pytest.mark.django_db
def test_an_empty_journal_is_intact() -> None:
    assert verify() == (0, "Journal intact : 0 entrées.\n")


def test_an_untouched_journal_is_intact(certifier: User) -> None:
    """The exact line of the stable interface, and exit status 0."""
    record(certifier, 3)
    record(None, 1)

    assert verify() == (0, "Journal intact : 4 entrées.\n")


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("after", "certified"),
        ("before", "audited"),
        ("action", "rcf.application.admissible"),
        ("obj_id", "8"),
        ("actor_username", "mallory"),
        ("data", '{"step": 99}'),
        ("prev_hash", "f" * 64),
    ],
)
def test_an_altered_field_breaks_that_entrys_hash(certifier: User, column: str, value: str) -> None:
    """Changing any field of entry 2 is reported at entry 2 as an altered hash."""
    record(certifier, 3)

    sql(f'UPDATE journal_journalentry SET "{column}" = %s WHERE sequence = 2', value)  # noqa: S608

    assert verify() == (1, "Journal rompu à l'entrée n° 2 : empreinte altérée.\n")


def test_an_altered_date_or_actor_breaks_the_hash(certifier: User) -> None:
    """The date and the actor's id are covered too."""
    other = User.objects.create_user("mallory")
    record(certifier, 3)

    sql("UPDATE journal_journalentry SET actor_id = %s WHERE sequence = 1", other.pk)
    assert verify()[0] == 1
    sql("UPDATE journal_journalentry SET actor_id = %s WHERE sequence = 1", certifier.pk)
    assert verify()[0] == 0
    sql("UPDATE journal_journalentry SET recorded_at = %s WHERE sequence = 3", "2020-01-01")
    assert verify() == (1, "Journal rompu à l'entrée n° 3 : empreinte altérée.\n")


def forge(sequence: int, **changes: str) -> None:
    """Rewrite an entry *and* recompute its hash, as a careful forger would."""
    entry = JournalEntry.objects.get(sequence=sequence)
    for name, value in changes.items():
        setattr(entry, name, value)
    sql(
        'UPDATE journal_journalentry SET "after" = %s, hash = %s WHERE sequence = %s',
        entry.after,
        entry.compute_hash(),
        sequence,
    )


def test_a_rewritten_entry_breaks_the_link_from_the_next_one(certifier: User) -> None:
    """A forged entry 2 with a recomputed hash no longer matches entry 3's prev_hash."""
    record(certifier, 3)

    forge(2, after="certified")

    code, out = verify()
    assert code == 1
    assert out.startswith("Journal rompu à l'entrée n° 3 : chaînage rompu")


def test_a_rewritten_last_entry_no_longer_matches_the_head(certifier: User) -> None:
    """The last entry has no successor: the head's last hash exposes its forgery."""
    record(certifier, 3)

    forge(3, after="certified")

    code, out = verify()
    assert code == 1
    assert out.startswith("Journal rompu à l'entrée n° 3 : empreinte altérée")


@pytest.mark.parametrize("removed", [1, 2, 3])
def test_a_removed_entry_is_missing(certifier: User, removed: int) -> None:
    """Removing the first, a middle or the last entry is reported at its number."""
    record(certifier, 3)

    sql("DELETE FROM journal_journalentry WHERE sequence = %s", removed)

    code, out = verify()
    assert code == 1
    assert out.startswith(f"Journal rompu à l'entrée n° {removed} : entrée manquante")


def test_removing_every_entry_is_detected(certifier: User) -> None:
    """An emptied journal is not an intact one: the head still counts its entries."""
    record(certifier, 2)

    sql("DELETE FROM journal_journalentry")

    code, out = verify()
    assert code == 1
    assert out.startswith("Journal rompu à l'entrée n° 1 : entrée manquante")


def test_an_entry_added_behind_the_heads_back_is_detected(certifier: User) -> None:
    """A row appended without moving the head (or a head moved back) is named."""
    entries = record(certifier, 3)

    sql("UPDATE journal_journalhead SET count = 2, last_hash = %s WHERE id = 1", entries[1].hash)

    code, out = verify()
    assert code == 1
    assert out.startswith("Journal rompu à l'entrée n° 3 : entrée ajoutée hors du journal")


def test_entries_appended_while_it_runs_are_not_a_break(
    certifier: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The platform keeps working during a verification: entries committed after the chain
    was read but before the head was are checked, not reported missing."""
    from rcf.journal import selectors

    record(certifier, 3)
    walk = selectors._walk
    appended: list[int] = []

    def walk_then_append(*args: object, **kwargs: object) -> object:
        result = walk(*args, **kwargs)  # type: ignore[arg-type]
        if not appended:
            appended.append(record(None, 2)[-1].sequence)
        return result

    monkeypatch.setattr(selectors, "_walk", walk_then_append)
    assert verify() == (0, "Journal intact : 5 entrées.\n")
    assert appended == [5]


def test_a_head_counting_entries_that_never_come_is_still_a_break(certifier: User) -> None:
    record(certifier, 3)
    sql("UPDATE journal_journalhead SET count = 5")
    status, out = verify()
    assert status == 1
    assert "entrée n° 4" in out and "manquante" in out
