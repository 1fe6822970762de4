"""``rcf serve``: gunicorn on ``rcf.wsgi:application``, static files collected first."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from rcf.registry.management.commands.serve import bind_is_valid, gunicorn_argv
from tests.support.commands import run_rcf


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def test_it_runs_gunicorn_with_sync_workers_and_no_access_log() -> None:
    argv = gunicorn_argv("0.0.0.0:9000", 3)
    assert argv[:4] == [sys.executable, "-m", "gunicorn", "rcf.wsgi:application"]
    assert argv[argv.index("--bind") + 1] == "0.0.0.0:9000"
    assert argv[argv.index("--workers") + 1] == "3"
    assert argv[argv.index("--worker-class") + 1] == "sync"
    assert "--access-logfile" not in argv


@pytest.mark.parametrize(
    ("bind", "valid"),
    [
        ("127.0.0.1:8000", True),
        ("0.0.0.0:80", True),
        ("[::1]:8000", True),
        ("rcf.example.fr:443", True),
        ("unix:/run/rcf.sock", True),
        ("127.0.0.1", False),
        ("127.0.0.1:0", False),
        ("127.0.0.1:70000", False),
        (":8000", False),
        ("127.0.0.1:80; rm -rf /", False),
    ],
)
def test_it_accepts_only_host_and_port(bind: str, valid: bool) -> None:
    assert bind_is_valid(bind) is valid


def test_it_refuses_a_bad_bind_or_worker_count() -> None:
    """Exit status 1 with the reason, before anything is started."""
    bad_bind = run_rcf("serve", "--bind", "localhost")
    assert bad_bind.status == 1
    assert "HOST:PORT" in bad_bind.stderr
    no_worker = run_rcf("serve", "--workers", "0")
    assert no_worker.status == 1
    assert "au moins 1" in no_worker.stderr


def test_it_serves_the_platform_and_its_static_files(tmp_path: Path) -> None:
    """A real start: /healthz answers « ok » from gunicorn, the stylesheet is served, and the
    server stops on SIGTERM."""
    port = free_port()
    env = {
        **os.environ,
        "RCF_DATA_DIR": str(tmp_path),
        "RCF_ENV": "development",
        "DJANGO_SETTINGS_MODULE": "rcf.settings",
    }
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen(
        [sys.executable, "-m", "rcf", "serve", "--bind", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 45
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2) as r:
                    assert r.status == 200
                    assert r.read() == b"ok"
                    assert r.headers["Server"].startswith("gunicorn")
                    break
            except OSError:
                assert server.poll() is None, server.stdout.read().decode() if server.stdout else ""
                assert time.monotonic() < deadline, "rcf serve did not answer in 45 s"
                time.sleep(0.3)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/static/rcf/site.css") as r:
            assert b"/* registry */" in r.read()
        assert (tmp_path / "static" / "rcf" / "site.css").exists()  # collected first
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert server.returncode == 0
