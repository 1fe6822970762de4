"""One ``rcf tick`` at a time, whatever starts it (a timer, an operator, a catch-up run).

* PostgreSQL: a session-level advisory lock, ``pg_try_advisory_lock(TICK_LOCK_KEY)``, on the
  command's own connection. Advisory locks belong to one database, so every host running
  ``rcf tick`` against it is serialised, and the server drops the lock if the process dies.
* SQLite (and any other engine): ``flock`` on ``RCF_DATA_DIR/tick.lock``. Holding a SQLite
  write transaction for the whole tick instead would block the web server's writes for as long;
  a file lock costs nothing and the kernel drops it if the process dies. The SQLite database
  lives on this machine, so every process that can run a tick on it sees the same file.

Neither waits: a second run learns at once that another one is under way.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from collections.abc import Iterator
from pathlib import Path

from django.conf import settings
from django.db import connection

TICK_LOCK_KEY = 0x7263665F7469636B
"""The ASCII bytes of ``rcf_tick`` as a bigint: the key of the PostgreSQL advisory lock."""

LOCK_FILE_NAME = "tick.lock"


@contextlib.contextmanager
def tick_lock() -> Iterator[bool]:
    """Yield True with the lock held (released on exit), or False when another run holds it."""
    if connection.vendor == "postgresql":
        with _advisory_lock(TICK_LOCK_KEY) as acquired:
            yield acquired
    else:
        with _file_lock(Path(settings.RCF_DATA_DIR) / LOCK_FILE_NAME) as acquired:
            yield acquired


@contextlib.contextmanager
def _advisory_lock(key: int) -> Iterator[bool]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_try_advisory_lock(%s)", [key])
        row = cursor.fetchone()
    acquired = bool(row and row[0])
    try:
        yield acquired
    finally:
        if acquired:
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_advisory_unlock(%s)", [key])


@contextlib.contextmanager
def _file_lock(path: Path) -> Iterator[bool]:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        try:
            # flock (not fcntl/lockf): two opens of the file conflict even in one process.
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            yield False
            return
        try:
            yield True
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
