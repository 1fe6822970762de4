"""``rcf backup`` on one platform, ``rcf restore`` on another, with the other database engine.

The source platform is built through the real services (``rcf demo``: certificates, audits,
decisions; evidence files added with ``evidence_add``; a signed journal checkpoint) in its
own process, database and data directory; so is the target. After the restore the journal
verifies, every certificate's public API answer is the same, every evidence file has the same
bytes, and credentials signed before the backup verify against the restored keys.
SQLite → SQLite always runs; SQLite → PostgreSQL and PostgreSQL → SQLite in the PostgreSQL
pass (``postgres`` marker).
"""

from __future__ import annotations

import json
import os
import stat
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
import pytest

from rcf.credentials.vc import CredentialError, verify_credential
from tests.support.commands import rcf_process

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n" + bytes(range(256)) * 40

BUILD = """
import io, json, sys
from django.conf import settings
from django.db import transaction
from rcf.certification.models import Audit, Certificate
from rcf.certification.services.audit import evidence_add
from rcf.journal.checkpoints import checkpoint_issue
from rcf.registry.signing import certificate_token, keyring_current
audit = Audit.objects.filter(status="planned").order_by("pk")[0]
for name, data in [("contrat.pdf", @PDF@), ("photo.png", @PNG@)]:
    evidence_add(actor=audit.auditor, audit=audit, requirement="", name=name,
                 handle=io.BytesIO(data), size=len(data))
with transaction.atomic():
    checkpoint_issue(keyring=keyring_current(), issuer=settings.RCF_BASE_URL)
tokens = {c.number: certificate_token(c) for c in Certificate.objects.order_by("number")}
sys.stdout.write(json.dumps(tokens))
""".replace("@PDF@", repr(PDF)).replace("@PNG@", repr(PNG))

STATE = """
import hashlib, json, sys
from django.test import Client
from rcf.certification.models import Certificate, EvidenceFile
from rcf.core.storage import evidence_storage
from rcf.registry.signing import jwks_document
client = Client()
answers = {}
for number in Certificate.objects.order_by("number").values_list("number", flat=True):
    response = client.get(f"/api/v1/certificates/{number}")
    answers[number] = [response.status_code, response.json()]
storage = evidence_storage()
evidence = {}
for name in EvidenceFile.objects.order_by("pk").values_list("stored_name", flat=True):
    with storage.open(name, "rb") as handle:
        evidence[name] = handle.read().hex()
state = {"certificates": answers, "evidence": evidence, "jwks": jwks_document()}
sys.stdout.write(json.dumps(state))
"""


def _server() -> str:
    return os.environ["DATABASE_URL"].rsplit("/", 1)[0]


class Platform:
    """One platform: a data directory and a database of its own, run as separate processes."""

    def __init__(self, base: Path, database_url: str) -> None:
        self.data = base / "data"
        self.env = {"DATABASE_URL": database_url}

    def rcf(self, *args: str) -> Any:
        done = rcf_process(self.data, *args, env=self.env)
        assert done.returncode == 0, (args, done.stdout, done.stderr)
        return done

    def shell(self, script: str) -> Any:
        return json.loads(self.rcf("shell", "--no-imports", "-c", script).stdout)


@pytest.fixture
def platforms(
    request: pytest.FixtureRequest, tmp_path: Path
) -> Iterator[tuple[Platform, Platform]]:
    """(source, target) on the engines the test's parameter names."""
    created: list[str] = []
    made = []
    for role, engine in zip(("source", "target"), request.param, strict=True):
        if engine == "sqlite":
            url = f"sqlite:///{tmp_path / role / 'rcf.sqlite3'}"
            (tmp_path / role).mkdir()
        else:
            name = f"rcf_backup_{role}_{os.getpid()}_{time.monotonic_ns()}"
            with psycopg.connect(f"{_server()}/postgres", autocommit=True) as admin:
                admin.execute(f'CREATE DATABASE "{name}"')
            created.append(name)
            url = f"{_server()}/{name}"
        made.append(Platform(tmp_path / role, url))
    try:
        yield made[0], made[1]
    finally:
        for name in created:
            with psycopg.connect(f"{_server()}/postgres", autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.mark.parametrize(
    "platforms",
    [
        pytest.param(("sqlite", "sqlite"), id="sqlite-to-sqlite"),
        pytest.param(
            ("sqlite", "postgresql"), id="sqlite-to-postgresql", marks=pytest.mark.postgres
        ),
        pytest.param(
            ("postgresql", "sqlite"), id="postgresql-to-sqlite", marks=pytest.mark.postgres
        ),
    ],
    indirect=True,
)
def test_a_platform_restored_on_another_engine_answers_as_before(
    platforms: tuple[Platform, Platform], tmp_path: Path
) -> None:
    source, target = platforms
    source.rcf("demo", "--no-serve")
    tokens = source.shell(BUILD)
    before = source.shell(STATE)
    journal = source.rcf("journal", "verify").stdout
    archive = tmp_path / "rcf-backup.tar.gz"

    source.rcf("backup", str(archive))
    assert stat.S_IMODE(archive.stat().st_mode) == 0o600

    target.rcf("migrate", "--verbosity", "0")
    restored = target.rcf("restore", str(archive))
    assert "Restauration terminée" in restored.stdout
    after = target.shell(STATE)

    # The journal verifies (its stored checkpoint too, with the restored key), with as many
    # entries as before.
    assert target.rcf("journal", "verify").stdout == journal
    assert journal.startswith("Journal intact : ")
    assert len(before["certificates"]) == 5
    assert after["certificates"] == before["certificates"]
    assert len(before["evidence"]) == 2
    assert {bytes.fromhex(h) for h in before["evidence"].values()} == {PDF, PNG}
    assert after["evidence"] == before["evidence"]
    key_file = target.data / "signing-keys.json"
    assert stat.S_IMODE(key_file.stat().st_mode) == 0o600
    assert after["jwks"] == before["jwks"]
    for number, token in tokens.items():
        credential = verify_credential(token, after["jwks"])
        assert number in json.dumps(credential)


def test_a_credential_does_not_verify_against_another_platforms_keys(tmp_path: Path) -> None:
    """What the test above relies on: a token signed by one key ring fails against another,
    so "verifies after restore" means the restored key is the original one."""
    first = Platform(tmp_path / "a", f"sqlite:///{tmp_path / 'a.sqlite3'}")
    other = Platform(tmp_path / "b", f"sqlite:///{tmp_path / 'b.sqlite3'}")
    first.rcf("demo", "--no-serve")
    other.rcf("migrate", "--verbosity", "0")
    tokens = first.shell(BUILD)
    jwks = other.shell(STATE)["jwks"]
    with pytest.raises(CredentialError):
        verify_credential(next(iter(tokens.values())), jwks)
