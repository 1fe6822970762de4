"""Past one machine: two `rcf serve` instances on one PostgreSQL database, behind the shipped
nginx (one upstream with both). Each instance has its own data directory, as two machines
would; they share the database, the evidence storage (RCF_STORAGE_EVIDENCE: one directory
standing in for an object store) and the signing keys.

Requests are sent to each instance directly when the point is that the *other* one sees the
change, and through nginx otherwise.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import psycopg
import pytest

from tests.deploy.harness import ROOT, Browser, clean_env, get, nginx, rcf, rcf_serve, request

pytestmark = [pytest.mark.postgres, pytest.mark.nginx]

PASSWORD = "Label-RCF-2026"  # the demonstration accounts' (rcf/demo/loader.py)
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
IDS = """
import json, django
django.setup()
from rcf.certification.models import Audit, Certificate
audit = Audit.objects.filter(status="planned", auditor__username="auditrice").order_by("pk")[0]
certificate = Certificate.objects.filter(status="active").order_by("number")[0]
print(json.dumps({"audit": audit.pk, "certificate": certificate.number}))
"""


@dataclass
class Site:
    a: int
    b: int
    proxy: int
    audit: int
    certificate: str
    token: str
    evidence_dir: Path
    data_a: Path


@pytest.fixture(scope="module")
def database() -> Iterator[str]:
    """A database of its own on the server DATABASE_URL names (both instances use it)."""
    server = os.environ["DATABASE_URL"].rsplit("/", 1)[0]
    name = f"rcf_deploy_{os.getpid()}_{int(time.time())}"
    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    try:
        yield f"{server}/{name}"
    finally:
        with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, database: str) -> Iterator[Site]:
    base = tmp_path_factory.mktemp("two")
    evidence = base / "evidence"
    shared = {
        "DATABASE_URL": database,
        "RCF_CLIENT_IP_HEADER": "HTTP_X_FORWARDED_FOR",
        "RCF_SIGNING_KEY_FILE": str(base / "signing-keys.json"),
        "RCF_STORAGE_EVIDENCE": json.dumps(
            {
                "BACKEND": "rcf.core.storage.PrivateFileSystemStorage",
                "OPTIONS": {"location": str(evidence)},
            }
        ),
        # Per day: no window boundary falls inside the test (but at midnight UTC).
        "RCF_RATE_LIMIT_SEARCH": "4/d",
    }
    env_a = clean_env(base / "a", RCF_STATIC_ROOT=str(base / "static-a"), **shared)
    env_b = clean_env(base / "b", RCF_STATIC_ROOT=str(base / "static-b"), **shared)
    rcf(env_a, "demo", "--no-serve")
    ids = json.loads(
        subprocess.run(
            [sys.executable, "-c", IDS],
            env={**env_a, "DJANGO_SETTINGS_MODULE": "rcf.settings"},
            cwd=ROOT, capture_output=True, text=True, timeout=120, check=True,
        ).stdout
    )  # fmt: skip
    token = rcf(env_a, "tokens", "create", "certification").stdout.strip()
    with (
        rcf_serve(env_a, base / "a.log") as (port_a, _),
        rcf_serve(env_b, base / "b.log") as (port_b, _),
        nginx(base / "nginx", [port_a, port_b], base / "static-a") as proxy,
    ):
        yield Site(
            port_a, port_b, proxy, ids["audit"], ids["certificate"], token, evidence, base / "a"
        )


def login(browser: Browser, port: int, username: str) -> None:
    response = browser.post_form(
        port, "/compte/connexion/", {"username": username, "password": PASSWORD}
    )
    assert response.status == 302, response.text[-1500:]


def test_a_suspension_made_through_one_shows_through_the_other(site: Site) -> None:
    number = site.certificate
    auth = {"Authorization": f"Bearer {site.token}", "Content-Type": "application/json"}
    before = json.loads(get(site.b, f"/api/v1/certificates/{number}").body)
    assert before["status"] == "active"
    body = json.dumps({"reason": "Audit de surveillance non tenu."}).encode()
    done = request(site.a, "POST", f"/api/v1/certificates/{number}/suspend", body, auth)
    assert done.status == 200, done.text
    after = json.loads(get(site.b, f"/api/v1/certificates/{number}").body)
    assert after["status"] == "suspended"
    for _ in range(4):  # through nginx, whichever instance answers
        assert json.loads(get(site.proxy, f"/api/v1/certificates/{number}").body)["status"] == (
            "suspended"
        )


def test_a_login_holds_across_both_and_evidence_moves_between_them(site: Site) -> None:
    """The auditor signs in and uploads through A; the session works on B; the certifier
    downloads the file through B and through nginx: the bytes come from the shared storage,
    not from A's data directory."""
    auditor = Browser()
    login(auditor, site.a, "auditrice")
    assert auditor.send(site.b, "GET", f"/espace/audits/{site.audit}/").status == 200
    for _ in range(4):
        assert auditor.send(site.proxy, "GET", f"/espace/audits/{site.audit}/").status == 200
    page = f"/espace/audits/{site.audit}/pieces/"
    added = auditor.post_files(site.a, page, {"requirement": ""}, [("file", "preuve.pdf", PDF)])
    assert added.status == 302, added.text[-1500:]
    listing = auditor.send(site.b, "GET", page).text
    (evidence_id,) = re.findall(r"/espace/audits/pieces/(\d+)/", listing)
    certifier = Browser()
    login(certifier, site.b, "certification")
    for port in (site.b, site.proxy, site.proxy):
        download = certifier.send(port, "GET", f"/espace/audits/pieces/{evidence_id}/")
        assert download.status == 200
        assert download.body == PDF
    assert [p.read_bytes() for p in site.evidence_dir.iterdir()] == [PDF]
    assert not (site.data_a / "uploads").exists()


def test_rate_limits_count_across_both(site: Site) -> None:
    """4 searches a day per address: 2 on A, 2 on B, the fifth is refused wherever it goes."""
    assert [get(port, "/registre/").status for port in (site.a, site.b, site.a, site.b)] == [
        200
    ] * 4
    refused = get(site.proxy, "/registre/")
    assert refused.status == 429
    assert int(refused.headers["retry-after"]) >= 1
    assert get(site.a, "/registre/").status == 429
    assert get(site.b, "/registre/").status == 429


def test_the_login_throttle_counts_across_both(site: Site) -> None:
    """5 failures alternating between A and B lock the name: the right password is then
    refused (429) through nginx. Last: it locks 127.0.0.1 too."""
    for port in (site.a, site.b, site.a, site.b, site.a):
        response = Browser().post_form(
            port, "/compte/connexion/", {"username": "afrc", "password": "wrong-password"}
        )
        assert response.status == 200
    locked = Browser().post_form(
        site.proxy, "/compte/connexion/", {"username": "afrc", "password": PASSWORD}
    )
    assert locked.status == 429
