"""`rcf tick`: one run at a time, each run recorded, a journal checkpoint signed at the end."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection, transaction

from rcf.credentials.keys import keyring_init
from rcf.journal.models import JournalCheckpoint
from rcf.journal.services import journal_record
from rcf.operations.choices import TickOutcome
from rcf.operations.locks import LOCK_FILE_NAME, TICK_LOCK_KEY, tick_lock
from rcf.operations.models import TickRun
from tests.support.commands import ROOT, rcf_process, run_rcf

BUSY = "Un autre « rcf tick » est en cours : celui-ci s'arrête.\n"


@pytest.fixture
def keys(settings: Any, tmp_path: Path) -> Path:
    path = tmp_path / "keys" / "signing-keys.json"
    settings.RCF_SIGNING_KEY_FILE = path
    keyring_init(path)
    return path


@pytest.mark.django_db
def test_a_run_is_recorded_and_signs_a_checkpoint(keys: Path) -> None:
    """Start, end, outcome ok; the checkpoint is stored and named on the last line."""
    result = run_rcf("tick")

    assert result.status == 0, result.stderr
    run = TickRun.objects.get()
    assert run.outcome == TickOutcome.OK
    assert run.finished_at is not None and run.finished_at >= run.started_at
    checkpoint = JournalCheckpoint.objects.get()
    assert result.stdout.splitlines()[-1] == (
        f"Point de contrôle du journal signé : entrée n° {checkpoint.seq} "
        "(/journal/checkpoint.jwt)."
    )


@pytest.mark.django_db
def test_a_run_whose_checkpoint_is_refused_fails(keys: Path) -> None:
    """A journal already broken is not signed: exit 1, the run recorded as failed."""
    with transaction.atomic():
        journal_record(actor=None, action="rcf.test.done", obj_type="test", obj_id=1)
    assert run_rcf("tick").status == 0
    with connection.cursor() as cursor:
        # The head moved forward by hand: an entry is missing.
        cursor.execute("UPDATE journal_journalhead SET count = count + 1 WHERE id = 1")

    result = run_rcf("tick")

    assert result.status == 1
    assert "point de contrôle du journal non signé : entrée n° " in result.stderr
    last = TickRun.objects.order_by("-id").first()
    assert last is not None and last.outcome == TickOutcome.FAILED
    assert "entrée manquante" in last.detail
    assert JournalCheckpoint.objects.count() == 1


@pytest.mark.django_db
def test_without_keys_in_production_the_run_fails(settings: Any, tmp_path: Path) -> None:
    """Production never makes a key by itself: the run says what to do and exits 1."""
    settings.PRODUCTION = True
    settings.RCF_SIGNING_KEY_FILE = tmp_path / "absent.json"

    result = run_rcf("tick")

    assert result.status == 1
    assert "rcf keys init" in result.stderr
    assert TickRun.objects.get().outcome == TickOutcome.FAILED


@pytest.mark.django_db
def test_a_second_run_while_one_holds_the_lock_says_so_and_exits_0(keys: Path) -> None:
    """SQLite or PostgreSQL alike: the lock held elsewhere, nothing runs, nothing recorded."""
    with tick_lock() as acquired:
        assert acquired
        # On SQLite the lock is a file: a second open conflicts even in this process.
        if connection.vendor != "postgresql":
            result = run_rcf("tick")
            assert (result.status, result.stdout) == (0, BUSY)
            assert not TickRun.objects.exists()
    assert run_rcf("tick").status == 0  # released: the next run runs
    assert TickRun.objects.count() == 1


@pytest.mark.django_db
def test_the_sqlite_lock_is_a_file_in_the_data_directory(settings: Any, tmp_path: Path) -> None:
    settings.RCF_DATA_DIR = tmp_path
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes an advisory lock instead")
    with tick_lock() as first:
        with tick_lock() as second:
            assert (first, second) == (True, False)
        assert (tmp_path / LOCK_FILE_NAME).exists()
    with tick_lock() as again:
        assert again


def test_sqlite_another_process_holding_the_lock_makes_a_run_exit_0(
    settings: Any, tmp_path: Path
) -> None:
    """A real second process on the same data directory says so and exits 0."""
    settings.RCF_DATA_DIR = tmp_path
    if connection.vendor == "postgresql":
        pytest.skip("PostgreSQL takes an advisory lock instead")
    with tick_lock() as acquired:
        assert acquired
        second = rcf_process(tmp_path, "tick")
    assert (second.returncode, second.stdout, second.stderr) == (0, BUSY, "")


def other_session() -> psycopg.Connection[Any]:
    """A second PostgreSQL session on the test database (another `rcf tick`, elsewhere)."""
    params = connection.get_connection_params()
    params.pop("cursor_factory", None)
    params.pop("context", None)
    return psycopg.connect(**params, autocommit=True)


@pytest.mark.postgres
@pytest.mark.django_db
def test_postgres_a_run_while_another_session_holds_the_lock_exits_0(keys: Path) -> None:
    """The advisory lock taken by another session: this run says so, exits 0, records nothing."""
    with other_session() as session:
        session.execute("SELECT pg_advisory_lock(%s)", [TICK_LOCK_KEY])

        result = run_rcf("tick")

        assert (result.status, result.stdout) == (0, BUSY)
        assert not TickRun.objects.exists()
        session.execute("SELECT pg_advisory_unlock(%s)", [TICK_LOCK_KEY])

    result = run_rcf("tick")
    assert result.status == 0, result.stderr
    assert TickRun.objects.get().outcome == TickOutcome.OK


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_postgres_two_processes_one_runs_the_other_says_so(keys: Path, tmp_path: Path) -> None:
    """Two real `rcf tick` processes: the one started while the first holds the lock exits 0.

    The first process is held inside its run, lock taken, by this test locking the table its
    run record goes to: no timing, the order is forced.
    """
    env = {
        **{k: v for k, v in os.environ.items() if not k.startswith("RCF_")},
        "DATABASE_URL": database_url(),
        "RCF_DATA_DIR": str(tmp_path),
        "RCF_SIGNING_KEY_FILE": str(keys),
    }
    with other_session() as session:
        session.execute("BEGIN")
        session.execute("LOCK TABLE operations_tickrun IN EXCLUSIVE MODE")
        first = subprocess.Popen(
            [sys.executable, "-m", "rcf", "tick"],
            env=env,
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        wait_until_locked(session, first)
        second = subprocess.run(
            [sys.executable, "-m", "rcf", "tick"],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )
        session.execute("COMMIT")
    out, err = first.communicate(timeout=120)

    assert (second.returncode, second.stdout, second.stderr) == (0, BUSY, "")
    assert first.returncode == 0, err
    assert "Point de contrôle du journal signé" in out
    assert TickRun.objects.get().outcome == TickOutcome.OK


def database_url() -> str:
    settings_dict = connection.settings_dict
    host = settings_dict["HOST"] or "127.0.0.1"
    port = settings_dict["PORT"] or 5432
    user = settings_dict["USER"] or "postgres"
    return f"postgres://{user}@{host}:{port}/{settings_dict['NAME']}"


def wait_until_locked(session: psycopg.Connection[Any], process: subprocess.Popen[str]) -> None:
    """Wait until some session holds the tick's advisory lock (the first process's run).

    Bounded: a process that died, or a minute without the lock, fails the test.
    """
    for _ in range(1200):
        assert process.poll() is None, process.communicate()
        row = session.execute(
            "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted "
            "AND ((classid::bigint << 32) | objid::bigint) = %s",
            [TICK_LOCK_KEY],
        ).fetchone()
        if row and row[0]:
            return
        session.execute("SELECT pg_sleep(0.05)")
    pytest.fail("the first `rcf tick` never took the lock")


@pytest.mark.django_db
def test_runs_older_than_90_days_are_forgotten_but_the_last_success(keys: Any) -> None:
    import datetime as dt

    from django.utils import timezone

    from rcf.operations.services import tick_run_start

    now = timezone.now()

    def run(days_ago: int, outcome: TickOutcome) -> TickRun:
        started = now - dt.timedelta(days=days_ago)
        return TickRun.objects.create(
            started_at=started, finished_at=started + dt.timedelta(minutes=1), outcome=outcome
        )

    last_success = run(120, TickOutcome.OK)
    run(200, TickOutcome.OK)
    run(100, TickOutcome.FAILED)
    recent = run(10, TickOutcome.FAILED)

    started = tick_run_start()

    kept = set(TickRun.objects.values_list("pk", flat=True))
    assert kept == {last_success.pk, recent.pk, started.pk}
