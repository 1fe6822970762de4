"""Helpers for tests: run the ``rcf`` command in-process and capture what it prints."""

from __future__ import annotations

import contextlib
import io
from dataclasses import dataclass
from unittest import mock

from django.db import connections

from rcf.cli import main


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
