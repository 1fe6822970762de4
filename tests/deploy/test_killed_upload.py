"""A worker killed in the middle of an upload leaves no partial file (a DSN holds NIRs).

Real `rcf serve` (one worker), a multipart upload that stops half-way, ``kill -9`` on the
worker while it holds the upload on disk: nothing may remain under the data directory. With
Django's own TemporaryFileUploadHandler the half-written ``tmp….upload.dsn`` stayed there.
"""

from __future__ import annotations

import os
import signal
import socket
import time
from pathlib import Path

from tests.deploy.harness import HOST, Browser, clean_env, multipart, rcf, rcf_serve

MARKER = b"S21.G00.06.001,'845333145'\r\n"


def upload_fds(pid: int, directory: Path) -> list[str]:
    """What the process's descriptors point at inside ``directory``."""
    targets = []
    for fd in os.listdir(f"/proc/{pid}/fd"):
        try:
            target = os.readlink(f"/proc/{pid}/fd/{fd}")
        except OSError:
            continue
        if target.startswith(f"{directory}/"):
            targets.append(target)
    return targets


def children(pid: int) -> list[int]:
    text = Path(f"/proc/{pid}/task/{pid}/children").read_text()
    return [int(child) for child in text.split()]


def test_a_killed_worker_leaves_no_partial_upload(tmp_path: Path) -> None:
    data = tmp_path / "data"
    env = clean_env(data, RCF_FILE_UPLOAD_MAX_MEMORY_SIZE="100000")
    rcf(env, "migrate", "--noinput")
    temp_dir = data / "tmp"
    with rcf_serve(env, tmp_path / "serve.log", workers=1) as (port, master):
        browser = Browser()
        token = browser.csrf(port, "/pre-controle/")
        cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
        body, content_type = multipart(
            {"csrfmiddlewaretoken": token}, [("dsn", "niort.dsn", MARKER * 100_000)]
        )
        with socket.create_connection((HOST, port), timeout=30) as sock:
            sock.sendall(
                (
                    f"POST /pre-controle/ HTTP/1.1\r\nHost: {HOST}\r\n"
                    f"Content-Type: {content_type}\r\nContent-Length: {len(body)}\r\n"
                    f"Cookie: {cookie}\r\n\r\n"
                ).encode()
                + body[: len(body) // 2]
            )
            (worker,) = children(master)
            held: list[str] = []
            for _ in range(100):  # up to 10 s for the worker to open its upload file
                held = upload_fds(worker, temp_dir)
                if held:
                    break
                time.sleep(0.1)
            assert held, "the worker never put the upload on disk"
            # The file the worker writes has no name: only the kernel knows it.
            assert all(target.endswith("(deleted)") for target in held), held
            os.kill(worker, signal.SIGKILL)
        for _ in range(50):  # the kernel frees the file with the process
            if not Path(f"/proc/{worker}").exists():
                break
            time.sleep(0.1)
    assert list(temp_dir.iterdir()) == []
    for path in data.rglob("*"):
        if path.is_file() and path.suffix not in {".sqlite3", ".sqlite3-wal", ".sqlite3-shm"}:
            assert MARKER not in path.read_bytes(), path
