"""Concurrent appends never chain to the same previous entry (PostgreSQL: real concurrency)."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, transaction

from rcf.journal.models import JournalEntry
from rcf.journal.selectors import journal_verify
from rcf.journal.services import journal_record

THREADS = 4
PER_THREAD = 25


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_transactions_append_one_after_the_other() -> None:
    """Threads appending at once (each holding its transaction open a while) keep one chain."""
    start = threading.Barrier(THREADS)
    failures: list[BaseException] = []

    def append(worker: int) -> None:
        try:
            start.wait()
            for i in range(PER_THREAD):
                with transaction.atomic():
                    journal_record(
                        actor=None,
                        action="rcf.test.appended",
                        obj_type="worker",
                        obj_id=worker,
                        data={"i": i},
                    )
                    # Keep the lock a moment, so that the others really queue behind it.
                    with connection.cursor() as cursor:
                        cursor.execute("SELECT pg_sleep(0.001)")
        except BaseException as error:  # reported to the main thread below
            failures.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=append, args=(n,)) for n in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert failures == []
    result = journal_verify()
    assert result.intact, result
    assert result.count == THREADS * PER_THREAD
    hashes = list(JournalEntry.objects.values_list("prev_hash", flat=True))
    assert len(set(hashes)) == len(hashes)  # no two entries chain to the same predecessor
