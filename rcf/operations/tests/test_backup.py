"""``rcf backup`` and ``rcf restore`` in the test's own process: what the archive holds, the
paths and archives refused, and a restore that refuses a target holding anything or leaves
nothing behind when it fails. (Whole platforms across engines: test_backup_cross_engine.py.)"""

from __future__ import annotations

import hashlib
import io
import json
import os
import stat
import tarfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.apps import apps
from django.core.files.storage import storages
from django.db import connection, transaction

from rcf.certification.models import Certificate, EvidenceFile
from rcf.certification.services.audit import evidence_add
from rcf.journal.models import JournalEntry, canonical_timestamp
from rcf.journal.services import journal_record
from rcf.operations import backup
from rcf.operations.backup import BackupError, backed_up_models, backup_write, snapshot
from rcf.operations.models import TickRun
from tests.support import pages
from tests.support.cast import Cast
from tests.support.commands import rcf_process, run_rcf

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
DEMO_EVIDENCE = """
import io
from rcf.certification.models import Audit
from rcf.certification.services.audit import evidence_add
audit = Audit.objects.filter(status="planned").order_by("pk")[0]
evidence_add(actor=audit.auditor, audit=audit, requirement="", name="contrat.pdf",
             handle=io.BytesIO(@PDF@), size=@SIZE@)
""".replace("@PDF@", repr(PDF)).replace("@SIZE@", str(len(PDF)))


@pytest.fixture
def data_dir(settings: Any, tmp_path: Path) -> Path:
    """The key ring and the evidence of this test in a directory of its own."""
    settings.RCF_SIGNING_KEY_FILE = tmp_path / "data" / "signing-keys.json"
    settings.RCF_UPLOAD_DIR = tmp_path / "data" / "uploads"
    return tmp_path / "data"


@pytest.fixture(scope="module")
def demo_archive(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The archive of a demonstration platform (5 certificates, audits, one evidence file,
    a signed checkpoint) built and backed up by ``rcf`` in processes of their own (SQLite)."""
    base = tmp_path_factory.mktemp("demo")
    env = {"DATABASE_URL": f"sqlite:///{base / 'rcf.sqlite3'}"}
    steps = [
        ("demo", "--no-serve"),
        ("shell", "--no-imports", "-c", DEMO_EVIDENCE),
        ("tick",),
        ("backup", str(base / "demo.tar.gz")),
    ]
    for args in steps:
        done = rcf_process(base / "data", *args, env=env)
        assert done.returncode == 0, (args, done.stderr)
    return base / "demo.tar.gz"


def evidence_of_a_planned_audit(cast: Cast) -> Any:
    """A PDF piece of evidence, ``a.pdf``, of an audit just planned (stored in the data
    directory)."""
    audit = pages.planned(cast)
    return evidence_add(
        actor=cast.auditor.user,
        audit=audit,
        requirement="",
        name="a.pdf",
        handle=io.BytesIO(PDF),
        size=len(PDF),
    )


def members_of(path: Path) -> dict[str, bytes]:
    with tarfile.open(path, "r:gz") as tar:
        return {
            info.name: tar.extractfile(info).read()  # type: ignore[union-attr]
            for info in tar
        }


def rewrite(source: Path, target: Path, change: Callable[[dict[str, bytes]], None]) -> Path:
    """A copy of the archive with its members changed by ``change`` (the manifest kept)."""
    members = members_of(source)
    change(members)
    with tarfile.open(target, "w:gz") as tar:
        for name, data in members.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return target


def platform_rows() -> int:
    return sum(model._base_manager.count() for model in backed_up_models())


# rcf backup -------------------------------------------------------------------------------


def test_a_backup_to_a_missing_directory_or_a_directory_exits_2(tmp_path: Path) -> None:
    missing = run_rcf("backup", str(tmp_path / "nowhere" / "b.tar.gz"))
    assert missing.status == 2
    assert f"{tmp_path / 'nowhere'} : répertoire inexistant" in missing.stderr
    directory = run_rcf("backup", str(tmp_path))
    assert directory.status == 2
    assert "est un répertoire" in directory.stderr
    assert list(tmp_path.iterdir()) == []


def test_the_archive_holds_every_row_evidence_file_and_the_keys_with_their_checksums(
    cast: Cast, data_dir: Path, tmp_path: Path
) -> None:
    evidence = evidence_of_a_planned_audit(cast)
    data_dir.mkdir(exist_ok=True)
    keys = data_dir / "signing-keys.json"
    keys.write_bytes(b'{"ring": "stand-in"}')
    path = tmp_path / "b.tar.gz"

    result = run_rcf("backup", str(path))

    assert result.status == 0, result.stderr
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert sorted(p.name for p in tmp_path.iterdir()) == ["b.tar.gz", "data"]
    members = members_of(path)
    manifest = json.loads(members.pop("manifest.json"))
    assert manifest["format"] == "rcf-backup/1"
    assert manifest["engine"] in {"sqlite", "postgresql"}
    assert set(manifest["members"]) == set(members)
    for name, data in members.items():
        entry = manifest["members"][name]
        assert (entry["sha256"], entry["size"]) == (hashlib.sha256(data).hexdigest(), len(data))
    assert members[f"evidence/{evidence.stored_name}"] == PDF
    assert members["keys/signing-keys.json"] == b'{"ring": "stand-in"}'
    counts = {entry["model"]: entry["count"] for entry in manifest["models"]}
    for model in backed_up_models():
        label = model._meta.label_lower
        assert counts[label] == model._base_manager.count(), label
        lines = members[f"database/{label}.jsonl"].splitlines()
        assert len(lines) == counts[label]
    assert "sessions.session" not in counts and "contenttypes.contenttype" not in counts
    # Datetimes to the microsecond: the journal's hash covers them.
    entry = JournalEntry.objects.order_by("sequence").last()
    assert entry is not None
    dumped = [
        json.loads(line) for line in members["database/journal.journalentry.jsonl"].splitlines()
    ][-1]
    assert dumped["fields"]["recorded_at"].startswith(canonical_timestamp(entry.recorded_at)[:-1])
    assert "attention" not in result.stderr


def test_a_missing_evidence_file_is_a_warning_in_the_manifest(
    cast: Cast, data_dir: Path, tmp_path: Path
) -> None:
    evidence = evidence_of_a_planned_audit(cast)
    storages["evidence"].delete(evidence.stored_name)
    result = run_rcf("backup", str(tmp_path / "b.tar.gz"))
    assert result.status == 0
    warning = f"preuve {evidence.stored_name} absente du stockage : non sauvegardée"
    assert f"attention : {warning}" in result.stderr
    manifest = json.loads(members_of(tmp_path / "b.tar.gz")["manifest.json"])
    assert warning in manifest["warnings"]
    assert manifest["evidence_files"] == 0


def test_a_failed_backup_leaves_no_file(
    cast: Cast, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The evidence storage fails half-way: no archive, and no temporary file either."""
    evidence_of_a_planned_audit(cast)
    out = tmp_path / "out"
    out.mkdir()

    def broken(*args: Any, **kwargs: Any) -> Any:
        raise OSError("disque illisible")

    monkeypatch.setattr(type(storages["evidence"]), "open", broken)
    with pytest.raises(OSError, match="disque illisible"):
        backup_write(out / "b.tar.gz")
    assert list(out.iterdir()) == []


# rcf restore: the archive -----------------------------------------------------------------


def test_check_accepts_an_intact_archive(demo_archive: Path) -> None:
    result = run_rcf("restore", "--check", str(demo_archive))
    assert result.status == 0, result.stderr
    assert result.stdout.startswith("Archive intacte : ")


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            lambda m: m.update(
                {
                    "database/journal.journalentry.jsonl": m[
                        "database/journal.journalentry.jsonl"
                    ].replace(b"rcf.", b"rcg.", 1)
                }
            ),
            "membre database/journal.journalentry.jsonl : empreinte SHA-256 différente du "
            "manifeste",
        ),
        (
            lambda m: m.pop("keys/signing-keys.json"),
            "membre keys/signing-keys.json : annoncé par le manifeste, absent de l'archive",
        ),
        (
            lambda m: m.update({"evidence/extra.pdf": PDF}),
            "membre evidence/extra.pdf : absent du manifeste",
        ),
        (
            lambda m: m.pop("manifest.json"),
            "membre manifest.json : absent, ce n'est pas une archive rcf backup",
        ),
    ],
    ids=["altered", "missing", "extra", "no-manifest"],
)
def test_a_damaged_archive_is_refused_naming_the_member(
    demo_archive: Path, tmp_path: Path, change: Callable[[dict[str, bytes]], None], message: str
) -> None:
    damaged = rewrite(demo_archive, tmp_path / "damaged.tar.gz", change)
    result = run_rcf("restore", "--check", str(damaged))
    assert (result.status, result.stdout) == (2, "")
    assert message in result.stderr


def test_a_truncated_or_foreign_file_is_refused(demo_archive: Path, tmp_path: Path) -> None:
    truncated = tmp_path / "truncated.tar.gz"
    truncated.write_bytes(demo_archive.read_bytes()[: demo_archive.stat().st_size // 2])
    result = run_rcf("restore", "--check", str(truncated))
    assert result.status == 2
    assert "archive tronquée ou endommagée" in result.stderr
    foreign = tmp_path / "notes.txt"
    foreign.write_text("pas une archive")
    result = run_rcf("restore", str(foreign))
    assert result.status == 2
    assert "ce n'est pas une archive rcf backup lisible" in result.stderr
    assert run_rcf("restore", str(tmp_path / "absent.tar.gz")).status == 2


# rcf restore: the target ------------------------------------------------------------------


def test_a_damaged_archive_writes_nothing(
    demo_archive: Path, data_dir: Path, tmp_path: Path
) -> None:
    """Checked before anything is written: an empty platform stays empty."""
    damaged = rewrite(
        demo_archive,
        tmp_path / "damaged.tar.gz",
        lambda m: m.update({"keys/signing-keys.json": b"{}"}),
    )
    result = run_rcf("restore", str(damaged))
    assert result.status == 2
    assert "membre keys/signing-keys.json : empreinte SHA-256" in result.stderr
    assert platform_rows() == 0
    assert not (data_dir / "signing-keys.json").exists()
    assert not (data_dir / "uploads").exists()


def test_a_target_holding_anything_is_refused_and_left_unchanged(
    cast: Cast, demo_archive: Path, data_dir: Path
) -> None:
    evidence_of_a_planned_audit(cast)
    (data_dir / "signing-keys.json").write_bytes(b"mine")
    rows = platform_rows()

    result = run_rcf("restore", str(demo_archive))

    assert result.status == 2
    assert "restauration refusée" in result.stderr
    assert "la base n'est pas vide (lignes par modèle) : " in result.stderr
    assert "accounts.user (" in result.stderr
    assert f"le trousseau de clés existe déjà : {data_dir / 'signing-keys.json'}" in result.stderr
    assert "le stockage des preuves d'audit n'est pas vide" in result.stderr
    assert platform_rows() == rows
    assert (data_dir / "signing-keys.json").read_bytes() == b"mine"
    assert len(list((data_dir / "uploads").iterdir())) == 1


def test_a_restore_into_an_empty_platform_gives_back_everything(
    demo_archive: Path, data_dir: Path
) -> None:
    """Into this test's database (PostgreSQL in the PostgreSQL pass: an archive made on
    SQLite): every row, the journal intact, the evidence and the keys."""
    manifest = json.loads(members_of(demo_archive)["manifest.json"])

    result = run_rcf("restore", str(demo_archive))

    assert result.status == 0, result.stderr
    for entry in manifest["models"]:
        assert apps.get_model(entry["model"])._base_manager.count() == entry["count"]
    assert Certificate.objects.count() == 5
    verify = run_rcf("journal", "verify")
    assert verify.status == 0, verify.stderr
    evidence = EvidenceFile.objects.get()
    stored = data_dir / "uploads" / evidence.stored_name
    assert stored.read_bytes() == PDF
    assert hashlib.sha256(PDF).hexdigest() == evidence.sha256
    keys = data_dir / "signing-keys.json"
    assert keys.read_bytes() == members_of(demo_archive)["keys/signing-keys.json"]
    assert stat.S_IMODE(keys.stat().st_mode) == 0o600
    # New rows take numbers after the restored ones (sequences reset on PostgreSQL), and
    # the chain goes on from the restored head.
    with transaction.atomic():
        entry = journal_record(actor=None, action="rcf.test.restored", obj_type="t", obj_id=1)
    assert entry.pk == entry.sequence == manifest_count(manifest, "journal.journalentry") + 1
    assert run_rcf("journal", "verify").status == 0


def manifest_count(manifest: dict[str, Any], label: str) -> int:
    return next(e["count"] for e in manifest["models"] if e["model"] == label)


def test_a_restore_failing_late_leaves_the_platform_empty(
    demo_archive: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The key ring cannot be written after the rows and the evidence are in: the rows are
    rolled back and the evidence files removed."""

    def refuse(*args: Any, **kwargs: Any) -> None:
        raise BackupError("trousseau non écrit")

    monkeypatch.setattr(backup, "_restore_keys", refuse)
    result = run_rcf("restore", str(demo_archive))
    assert result.status == 2
    assert "trousseau non écrit" in result.stderr
    assert platform_rows() == 0
    assert os.listdir(data_dir / "uploads") == []
    assert not (data_dir / "signing-keys.json").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_the_backup_reads_one_snapshot_while_another_connection_writes() -> None:
    """PostgreSQL: a row committed by someone else during the backup is not seen by it (the
    counts and rows of the archive are of one instant), and the writer is not blocked."""
    params = connection.get_connection_params()
    with snapshot():
        assert connection.in_atomic_block
        before = TickRun.objects.count()
        with psycopg.connect(**params, autocommit=True) as other:
            # A guard, not a timing: a blocked writer fails the test instead of hanging it.
            other.execute("SET statement_timeout = '30s'")
            other.execute(
                "INSERT INTO operations_tickrun (started_at, outcome, detail) "
                "VALUES (now(), 'running', '')"
            )
        assert TickRun.objects.count() == before
    assert TickRun.objects.count() == before + 1
