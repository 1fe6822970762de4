"""Helpers for tests: run the ``rcf`` command in-process and capture what it prints."""

from __future__ import annotations

import contextlib
import io
import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from unittest import mock

from django.db import connections

from rcf.cli import main

ROOT = Path(__file__).resolve().parents[2]


@dataclass
class Run:
    status: int
    stdout: str
    stderr: str


def run_rcf(*args: str) -> Run:
    """Run ``rcf ARGS…`` as the command line would, returning its exit status and output."""
    out, err = io.StringIO(), io.StringIO()
    status = 0
    # A command run from the command line closes every database connection when it ends;
    # inside a test that would end the test's own transaction (on PostgreSQL).
    with (
        contextlib.redirect_stdout(out),
        contextlib.redirect_stderr(err),
        mock.patch.object(connections, "close_all"),
    ):
        try:
            main(["rcf", *args])
        except SystemExit as exc:
            status = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
    return Run(status, out.getvalue(), err.getvalue())


def rcf_process(
    data_dir: Path, *args: str, env: dict[str, str] | None = None, cwd: Path | None = None
) -> subprocess.CompletedProcess[str]:
    """Run ``python -m rcf ARGS…`` as a separate process with its own ``RCF_DATA_DIR``.

    The test environment's own ``RCF_*``, ``DATABASE_URL`` and async-safety variables are
    dropped, so the process sees a clean machine plus ``env``.
    """
    clean = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RCF_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    clean.update({"RCF_DATA_DIR": str(data_dir), **(env or {})})
    return subprocess.run(
        [sys.executable, "-m", "rcf", *args],
        env=clean,
        cwd=cwd or ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
