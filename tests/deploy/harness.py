"""Real processes for the deployment tests: `rcf serve` and Debian's nginx with the shipped
configuration, all on 127.0.0.1, all stopped (by their own process id) when the test ends.

Every wait is a bounded loop; no traffic leaves the loopback interface.
"""

from __future__ import annotations

import http.client
import os
import re
import shutil
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

import pytest

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
STATIC_IN_CONF = "/var/cache/rcf/static/"
UPSTREAM_IN_CONF = "    server 127.0.0.1:8000;\n"
HOST = "127.0.0.1"


def require_nginx() -> str:
    if not Path(NGINX).exists():
        pytest.skip("nginx is not installed (apt-get install nginx-light; .ci/run does it)")
    return NGINX


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return int(probe.getsockname()[1])


def clean_env(data_dir: Path, **extra: str) -> dict[str, str]:
    """The test process's environment without its RCF_* and database settings, plus ``extra``."""
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("RCF_", "DATABASE_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"))
    }
    env.update({"RCF_DATA_DIR": str(data_dir), "RCF_ENV": "development", **extra})
    return env


def rcf(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(
        [sys.executable, "-m", "rcf", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, f"rcf {' '.join(args)}: {result.stdout}{result.stderr}"
    return result


def wait_until_up(port: int, process: subprocess.Popen[bytes], what: str, log: Path) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, f"{what} stopped: {log.read_text(errors='replace')}"
        try:
            if get(port, "/healthz").status == 200:
                return
        except OSError:
            pass
        time.sleep(0.2)
    raise AssertionError(f"{what} did not answer in 60 s: {log.read_text(errors='replace')}")


def stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is None:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


@contextmanager
def rcf_serve(env: dict[str, str], log: Path, workers: int = 2) -> Iterator[tuple[int, int]]:
    """`rcf serve` on a free loopback port: yields (port, pid of the gunicorn master)."""
    port = free_port()
    with log.open("wb") as out:
        process = subprocess.Popen(
            [sys.executable, "-m", "rcf", "serve", "--bind", f"{HOST}:{port}",
             "--workers", str(workers)],
            env=env, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT,
        )  # fmt: skip
    try:
        wait_until_up(port, process, "rcf serve", log)
        yield port, process.pid
    finally:
        stop(process)


def proxy_snippet(static_root: Path) -> str:
    """The shipped proxy snippet, pointed at this test's static files."""
    text = (DEPLOY / "nginx" / "rcf-proxy.conf").read_text()
    assert STATIC_IN_CONF in text, "deploy/nginx/rcf-proxy.conf no longer serves /static/"
    return text.replace(STATIC_IN_CONF, f"{static_root}/")


def upstream_block(ports: list[int]) -> str:
    """The shipped ``upstream rcf`` block with one server line per instance."""
    text = (DEPLOY / "nginx" / "rcf.conf").read_text()
    match = re.search(r"^upstream rcf \{\n.*?^\}\n", text, re.M | re.S)
    assert match and UPSTREAM_IN_CONF in match[0], "deploy/nginx/rcf.conf: upstream rcf changed"
    servers = "".join(f"    server {HOST}:{port};\n" for port in ports)
    return match[0].replace(UPSTREAM_IN_CONF, servers)


def nginx_conf(directory: Path, port: int, upstreams: list[int], static_root: Path) -> Path:
    """A whole nginx.conf in ``directory``: the shipped upstream and proxy snippet inside a
    plain-HTTP loopback server (TLS is the operator's, see docs/operations.md)."""
    (directory / "snippet.conf").write_text(proxy_snippet(static_root))
    user = "user root;\n" if os.geteuid() == 0 else ""  # tmp_path is private to this user
    temp = "".join(
        f"  {kind}_temp_path {directory}/{kind};\n"
        for kind in ["client_body", "proxy", "fastcgi", "uwsgi", "scgi"]
    )
    conf = directory / "nginx.conf"
    conf.write_text(
        f"{user}daemon off;\nworker_processes 1;\npid {directory}/nginx.pid;\n"
        f"error_log {directory}/error.log warn;\n"
        "events { worker_connections 256; }\n"
        "http {\n  include /etc/nginx/mime.types;\n  access_log off;\n"
        f"{temp}{upstream_block(upstreams)}"
        f"  server {{\n    listen {HOST}:{port};\n    server_name _;\n"
        f"    include {directory}/snippet.conf;\n  }}\n}}\n"
    )
    return conf


@contextmanager
def nginx(directory: Path, upstreams: list[int], static_root: Path) -> Iterator[int]:
    binary = require_nginx()
    directory.mkdir(parents=True, exist_ok=True)
    port = free_port()
    conf = nginx_conf(directory, port, upstreams, static_root)
    log = directory / "error.log"
    check = subprocess.run(
        [binary, "-t", "-p", str(directory), "-e", str(log), "-c", str(conf)],
        capture_output=True, text=True, timeout=30, check=False,
    )  # fmt: skip
    assert check.returncode == 0, check.stderr
    process = subprocess.Popen(
        [binary, "-p", str(directory), "-e", str(log), "-c", str(conf)],
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        wait_until_up(port, process, "nginx", log)
        yield port
    finally:
        stop(process)


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        return self.body.decode("utf-8", errors="replace")


def request(
    port: int,
    method: str,
    path: str,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    timeout: float = 30,
) -> Response:
    connection = http.client.HTTPConnection(HOST, port, timeout=timeout)
    try:
        connection.request(method, path, body=body, headers=headers or {})
        answer = connection.getresponse()
        return Response(answer.status, {k.lower(): v for k, v in answer.getheaders()},
                        answer.read())  # fmt: skip
    finally:
        connection.close()


def get(port: int, path: str, timeout: float = 30) -> Response:
    return request(port, "GET", path, timeout=timeout)


def multipart(fields: dict[str, str], files: list[tuple[str, str, bytes]]) -> tuple[bytes, str]:
    """(body, content type) of a multipart/form-data request."""
    boundary = uuid.uuid4().hex
    parts: list[bytes] = []
    for name, value in fields.items():
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'
            f"{value}\r\n".encode()
        )
    for name, filename, content in files:
        parts.append(
            f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; '
            f'filename="{filename}"\r\nContent-Type: application/octet-stream\r\n\r\n'.encode()
            + content
            + b"\r\n"
        )
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), f"multipart/form-data; boundary={boundary}"


@dataclass
class Browser:
    """Cookies and CSRF across requests, to any port (any instance or the proxy)."""

    cookies: dict[str, str] = field(default_factory=dict)

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        headers = dict(extra or {})
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep(self, response: Response, raw: http.client.HTTPResponse) -> None:
        for header, value in raw.getheaders():
            if header.lower() == "set-cookie":
                name, _, rest = value.partition("=")
                self.cookies[name.strip()] = rest.split(";", 1)[0]

    def send(
        self, port: int, method: str, path: str, body: bytes | None = None,
        content_type: str | None = None,
    ) -> Response:  # fmt: skip
        headers = self._headers({"Content-Type": content_type} if content_type else None)
        connection = http.client.HTTPConnection(HOST, port, timeout=60)
        try:
            connection.request(method, path, body=body, headers=headers)
            raw = connection.getresponse()
            response = Response(raw.status, {k.lower(): v for k, v in raw.getheaders()}, raw.read())
            self._keep(response, raw)
            return response
        finally:
            connection.close()

    def csrf(self, port: int, path: str) -> str:
        page = self.send(port, "GET", path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
        assert match, f"no CSRF token on {path} ({page.status})"
        return match[1]

    def post_form(self, port: int, path: str, fields: dict[str, str]) -> Response:
        token = self.csrf(port, path)
        body = urlencode({"csrfmiddlewaretoken": token, **fields}).encode()
        return self.send(port, "POST", path, body, "application/x-www-form-urlencoded")

    def post_files(
        self, port: int, path: str, fields: dict[str, str], files: list[tuple[str, str, bytes]]
    ) -> Response:
        token = self.csrf(port, path)
        body, content_type = multipart({"csrfmiddlewaretoken": token, **fields}, files)
        return self.send(port, "POST", path, body, content_type)
