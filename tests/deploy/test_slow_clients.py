"""Slow clients behind the shipped nginx: they no longer hold `rcf serve`'s workers.

Before: two uploads trickling at 400 KB/s held both sync workers; /healthz waited behind
them, and gunicorn killed each worker at 30 s, so a 19 MB DSN over a slow line could never
arrive. nginx (deploy/nginx/rcf-proxy.conf) now reads each body to the end first, then hands
it to a worker at loopback speed.
"""

from __future__ import annotations

import io
import socket
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.deploy.harness import HOST, Browser, clean_env, get, multipart, nginx, rcf, rcf_serve

pytestmark = pytest.mark.nginx

EXAMPLES = Path(__file__).resolve().parents[2] / "rcf" / "referentiel" / "examples"
RATE = 100_000
"""Bytes per second of each slow client (the issue's 100 KB/s)."""
CHUNK = 10_000


@dataclass
class Stack:
    proxy: int
    static_root: Path


@pytest.fixture(scope="module")
def stack(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Stack]:
    """A migrated SQLite platform under `rcf serve` (2 sync workers, as shipped) behind nginx."""
    base = tmp_path_factory.mktemp("slow")
    env = clean_env(base / "data", RCF_STATIC_ROOT=str(base / "static"))
    rcf(env, "migrate", "--noinput")
    with (
        rcf_serve(env, base / "serve.log") as (port, _pid),
        nginx(base / "nginx", [port], base / "static") as proxy,
    ):
        yield Stack(proxy, base / "static")


def precheck_body(csrf_token: str) -> tuple[bytes, str]:
    """The public pre-check with a declaration and a DSN of about 600 KB (6 s at 100 KB/s)."""
    from rcf.front.tests.test_precheck_page import dsn_for_niort

    dsn = dsn_for_niort(400)
    return multipart(
        {"csrfmiddlewaretoken": csrf_token},
        [
            ("declaration", "declaration.json", (EXAMPLES / "mutuelle-sans-dsn.json").read_bytes()),
            ("dsn", "niort-2026-06.dsn", dsn),
        ],
    )


@dataclass
class SlowUpload:
    """One client posting the pre-check at RATE bytes/s over a raw socket."""

    port: int
    body: bytes
    content_type: str
    cookie: str
    sent: int = 0
    status: int = 0
    answer: bytes = b""
    error: str = ""
    thread: threading.Thread = field(init=False)

    def start(self) -> None:
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    @property
    def sending(self) -> bool:
        return 0 < self.sent < len(self.body)

    def _run(self) -> None:
        try:
            with socket.create_connection((HOST, self.port), timeout=120) as sock:
                head = (
                    f"POST /pre-controle/ HTTP/1.1\r\nHost: {HOST}\r\n"
                    f"Content-Type: {self.content_type}\r\nContent-Length: {len(self.body)}\r\n"
                    f"Cookie: {self.cookie}\r\nConnection: close\r\n\r\n"
                )
                sock.sendall(head.encode())
                for start in range(0, len(self.body), CHUNK):  # bounded by the body
                    sock.sendall(self.body[start : start + CHUNK])
                    self.sent = start + len(self.body[start : start + CHUNK])
                    time.sleep(CHUNK / RATE)
                answer = io.BytesIO()
                while chunk := sock.recv(65536):  # ends when the server closes (120 s max)
                    answer.write(chunk)
            self.answer = answer.getvalue()
            self.status = int(self.answer.split(b" ", 2)[1])
        except OSError as exc:
            self.error = repr(exc)


def test_health_answers_within_a_second_while_two_clients_upload_slowly(stack: Stack) -> None:
    """Two clients each upload ~600 KB at 100 KB/s through nginx; meanwhile /healthz, asked
    every 0.3 s, must answer 200 within one second each time, and both uploads must then get
    their pre-check.

    The one timed assertion of the suite, because it is the issue's acceptance criterion. The
    bound is generous: /healthz normally answers in a few milliseconds through nginx
    (docs/benchmarks.md), so one second leaves two orders of magnitude for a loaded shared
    machine. Without request buffering the probe cannot pass by luck: both sync workers are
    busy reading the uploads for about 6 s, so /healthz waits that long or more.
    """
    # Warm both workers first (each loads the application on its first request): the probe
    # measures slow clients holding workers, not a worker's start.
    warm = [threading.Thread(target=lambda: [get(stack.proxy, "/healthz") for _ in range(5)])]
    warm.append(threading.Thread(target=lambda: [get(stack.proxy, "/registre/") for _ in range(5)]))
    for thread in warm:
        thread.start()
    for thread in warm:
        thread.join(timeout=60)
    browser = Browser()
    token = browser.csrf(stack.proxy, "/pre-controle/")
    body, content_type = precheck_body(token)
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    uploads = [SlowUpload(stack.proxy, body, content_type, cookie) for _ in range(2)]
    for upload in uploads:
        upload.start()

    probes: list[tuple[float, int, bool]] = []  # (seconds, status, both uploads mid-body)
    for _ in range(200):  # at most 200 probes; the uploads take about 6 s
        if not any(upload.thread.is_alive() for upload in uploads):
            break
        both_sending = all(upload.sending for upload in uploads)
        started = time.monotonic()
        status = get(stack.proxy, "/healthz", timeout=30).status
        probes.append((time.monotonic() - started, status, both_sending))
        time.sleep(0.3)
    for upload in uploads:
        upload.thread.join(timeout=120)

    during = [probe for probe in probes if probe[2]]
    assert len(during) >= 5, f"too few probes while both uploads were sending: {probes}"
    assert all(status == 200 for _, status, _ in during)
    slowest = max(seconds for seconds, _, _ in during)
    assert slowest < 1.0, f"/healthz took {slowest:.2f} s during the uploads: {during}"
    for upload in uploads:
        assert upload.error == ""
        assert upload.status == 200, upload.answer[-2000:]
        assert b"&quot;verdict&quot;" in upload.answer or b'"verdict"' in upload.answer


def test_static_files_are_served_by_nginx_from_the_static_root(stack: Stack) -> None:
    response = get(stack.proxy, "/static/rcf/site.css")
    assert response.status == 200
    assert b"/* registry */" in response.body
    assert response.body == (stack.static_root / "rcf" / "site.css").read_bytes()
    assert "gunicorn" not in response.headers.get("server", "")
    assert response.headers["x-content-type-options"] == "nosniff"


def test_a_body_over_the_proxy_limit_never_reaches_a_worker(stack: Stack) -> None:
    """client_max_body_size (100 MiB, like RCF_REQUEST_MAX_BYTES): nginx answers 413 from the
    Content-Length alone."""
    with socket.create_connection((HOST, stack.proxy), timeout=30) as sock:
        sock.sendall(
            f"POST /pre-controle/ HTTP/1.1\r\nHost: {HOST}\r\nContent-Length: {200 << 20}\r\n"
            "Content-Type: application/octet-stream\r\nConnection: close\r\n\r\n".encode()
        )
        answer = sock.recv(4096)
    assert answer.startswith(b"HTTP/1.1 413")
