"""``rcf backup FILE`` and ``rcf restore FILE``: the whole platform in one archive.

The archive is a gzip-compressed tar (docs/operations.md, "Backup and restore"):

* ``database/<app>.<model>.jsonl``: the rows of each model, one JSON object per line (Django's
  ``jsonl`` serialization, primary keys kept, datetimes to the microsecond), read in one
  snapshot of the database (REPEATABLE READ on PostgreSQL, a read transaction on SQLite) so
  the platform keeps running meanwhile; it does not depend on the database engine;
* ``evidence/<name>``: every audit evidence file the snapshot refers to, read through
  ``STORAGES["evidence"]``;
* ``keys/signing-keys.json``: the signing key ring (``RCF_SIGNING_KEY_FILE``);
* ``manifest.json``, last: format, platform version, date, engine, the models in load order
  with their row counts, the applied migrations and the SHA-256 of every other member.

Primary keys are kept, so the journal's hashes (which cover ``actor_id``) and every reference
hold; only content types and permissions, which ``rcf migrate`` creates with ids of its own on
the new database, are written by natural key. Sessions, login attempts and rate counters are
left out: they last minutes or hours and would only log people back in.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import json
import os
import re
import tarfile
import tempfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import IO, Any, cast

from django.apps import apps
from django.conf import settings
from django.contrib.auth.models import Permission
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.files import File
from django.core.management.color import no_style
from django.core.serializers.json import DjangoJSONEncoder
from django.core.serializers.jsonl import Serializer as JsonlSerializer
from django.db import connection, models, transaction
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone

from rcf.certification.models import EvidenceFile
from rcf.core.storage import evidence_storage

FORMAT = "rcf-backup/1"
MANIFEST = "manifest.json"
KEYS_MEMBER = "keys/signing-keys.json"
EVIDENCE_PREFIX = "evidence/"
DATABASE_PREFIX = "database/"

#: Left out of the archive: rows ``rcf migrate`` creates (content types, permissions) and rows
#: that live minutes or hours (sessions, the login throttle, rate-limit counters).
NOT_BACKED_UP = frozenset(
    {
        "contenttypes.contenttype",
        "auth.permission",
        "sessions.session",
        "accounts.loginattempt",
        "core.ratecounter",
    }
)
#: Written by natural key: their ids differ from one database to another.
BY_NATURAL_KEY = (ContentType, Permission)
CHUNK = 1 << 20
ROWS_PER_QUERY = 2000
EVIDENCE_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")


class BackupError(Exception):
    """What the operator must put right (a bad path, a non-empty target, a damaged archive)."""


# The database dump --------------------------------------------------------------------------


class ExactJSONEncoder(DjangoJSONEncoder):
    """Django's encoder rounds datetimes to the millisecond; the journal hashes microseconds,
    so a restored entry must read back exactly as it was written."""

    def default(self, o: Any) -> Any:
        if isinstance(o, dt.datetime | dt.time):
            return o.isoformat()
        return super().default(o)


class DumpSerializer(JsonlSerializer):
    """JSON Lines with natural keys only towards content types and permissions: every other
    reference keeps its primary key, as the rows keep theirs."""

    def handle_fk_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, BY_NATURAL_KEY)
        super().handle_fk_field(obj, field)

    def handle_m2m_field(self, obj: models.Model, field: Any) -> None:
        self.use_natural_foreign_keys = issubclass(field.remote_field.model, BY_NATURAL_KEY)
        super().handle_m2m_field(obj, field)


def backed_up_models() -> list[type[models.Model]]:
    """The models of every installed app, in an order where a model with a natural key comes
    before those referring to it (Django's ``dumpdata`` order), minus ``NOT_BACKED_UP``."""
    ordered = serializers.sort_dependencies(
        [(config, None) for config in apps.get_app_configs()], allow_cycles=True
    )
    return [
        model
        for model in ordered
        if model._meta.label_lower not in NOT_BACKED_UP
        and not model._meta.proxy
        and model._meta.managed
    ]


def member_of(model: type[models.Model]) -> str:
    return f"{DATABASE_PREFIX}{model._meta.label_lower}.jsonl"


@contextmanager
def snapshot() -> Iterator[None]:
    """Every read inside sees the database as it was at one instant, while others write.

    PostgreSQL: a REPEATABLE READ, READ ONLY transaction. SQLite (WAL): a deferred transaction,
    whose snapshot is taken at its first read and which never blocks writers; Django's
    ``atomic`` would begin it IMMEDIATE (settings.py), taking the write lock for the whole
    backup. Inside a transaction already open (a test), that transaction is the snapshot.
    """
    if connection.in_atomic_block:
        yield
        return
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("BEGIN DEFERRED")
        try:
            yield
        finally:
            with connection.cursor() as cursor:
                cursor.execute("ROLLBACK")
        return
    with transaction.atomic():
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def applied_migrations() -> list[str]:
    """``app.name`` of every applied migration, sorted: a restore needs the same schema."""
    recorder = MigrationRecorder(connection)
    return sorted(f"{app}.{name}" for app, name in recorder.applied_migrations())


# Writing the archive ------------------------------------------------------------------------


class HashingReader:
    """Reads a file object, hashing and counting what passes (for tar members of known size)."""

    def __init__(self, handle: IO[bytes]) -> None:
        self.handle = handle
        self.digest = hashlib.sha256()
        self.size = 0

    def read(self, size: int = -1) -> bytes:
        data = self.handle.read(size)
        self.digest.update(data)
        self.size += len(data)
        return data


@dataclass
class Archive:
    """A tar being written: every member's SHA-256 and size, for the manifest."""

    tar: tarfile.TarFile
    mtime: float
    members: dict[str, dict[str, Any]] = field(default_factory=dict)

    def add(self, name: str, handle: IO[bytes], size: int) -> str:
        info = tarfile.TarInfo(name)
        info.size, info.mode, info.mtime = size, 0o600, self.mtime
        reader = HashingReader(handle)
        self.tar.addfile(info, cast(IO[bytes], reader))
        if reader.size != size:
            raise BackupError(f"{name} : {reader.size} octets lus au lieu de {size}")
        digest = reader.digest.hexdigest()
        self.members[name] = {"sha256": digest, "size": size}
        return digest

    def add_bytes(self, name: str, data: bytes) -> str:
        return self.add(name, io.BytesIO(data), len(data))


@dataclass(frozen=True)
class BackupReport:
    path: Path
    manifest: dict[str, Any]
    warnings: list[str]


def _check_target(path: Path) -> None:
    if path.is_dir():
        raise BackupError(f"{path} est un répertoire : donnez le chemin d'un fichier à créer")
    directory = path.parent
    if not directory.is_dir():
        raise BackupError(f"{directory} : répertoire inexistant")
    if not os.access(directory, os.W_OK | os.X_OK):
        raise BackupError(f"{directory} : pas de droit d'écriture dans ce répertoire")


def backup_write(path: Path) -> BackupReport:
    """Write the archive to ``path``: to a temporary file beside it (mode 0600: it holds the
    signing keys) renamed when complete, so a failed backup leaves nothing behind."""
    path = Path(path).absolute()
    _check_target(path)
    created_at = timezone.now()
    fd, temporary = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        os.fchmod(fd, 0o600)
        with os.fdopen(fd, "wb") as raw:
            with tarfile.open(fileobj=raw, mode="w:gz", format=tarfile.PAX_FORMAT) as tar:
                archive = Archive(tar=tar, mtime=created_at.timestamp())
                manifest = _write_contents(archive, path.parent, created_at)
                data = json.dumps(manifest, ensure_ascii=False, indent=2, sort_keys=True)
                info = tarfile.TarInfo(MANIFEST)
                encoded = (data + "\n").encode()
                info.size, info.mode, info.mtime = len(encoded), 0o600, archive.mtime
                tar.addfile(info, io.BytesIO(encoded))
            raw.flush()
            os.fsync(raw.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    _sync_directory(path.parent)
    return BackupReport(path=path, manifest=manifest, warnings=manifest["warnings"])


def _write_contents(archive: Archive, scratch: Path, created_at: dt.datetime) -> dict[str, Any]:
    warnings: list[str] = []
    counts: list[dict[str, Any]] = []
    with snapshot():
        for model in backed_up_models():
            # Spooled to a file: a tar member's size is written before its bytes.
            with tempfile.TemporaryFile(dir=scratch) as spool:
                text = io.TextIOWrapper(spool, encoding="utf-8", newline="\n")
                rows = model._base_manager.order_by("pk").iterator(chunk_size=ROWS_PER_QUERY)
                serializer = DumpSerializer()
                serializer.serialize(rows, stream=text, cls=ExactJSONEncoder)
                text.flush()
                size = spool.tell()
                spool.seek(0)
                lines = sum(1 for _ in spool)
                spool.seek(0)
                archive.add(member_of(model), spool, size)
                text.detach()
            counts.append({"model": model._meta.label_lower, "count": lines})
        evidence = list(EvidenceFile.objects.order_by("pk").values_list("stored_name", "sha256"))
        migrations = applied_migrations()
    # Evidence files never change once written (random names), so reading them after the
    # snapshot gives the bytes the snapshot refers to.
    storage = evidence_storage()
    for name, recorded in evidence:
        if not EVIDENCE_NAME.match(name):
            warnings.append(f"preuve au nom inattendu {name!r} : non sauvegardée")
            continue
        try:
            size = storage.size(name)
            with storage.open(name, "rb") as handle:
                digest = archive.add(EVIDENCE_PREFIX + name, handle, size)
        except FileNotFoundError:
            warnings.append(f"preuve {name} absente du stockage : non sauvegardée")
            continue
        if digest != recorded:
            warnings.append(f"preuve {name} : contenu différent de l'empreinte enregistrée")
    keys = Path(settings.RCF_SIGNING_KEY_FILE)
    if keys.exists():
        archive.add_bytes(KEYS_MEMBER, keys.read_bytes())
    else:
        warnings.append(f"pas de trousseau de clés {keys} : aucune clé sauvegardée")
    return {
        "format": FORMAT,
        "platform_version": _platform_version(),
        "created_at": created_at.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ"),
        "engine": connection.vendor,
        "models": counts,
        "evidence_files": sum(1 for m in archive.members if m.startswith(EVIDENCE_PREFIX)),
        "signing_keys": KEYS_MEMBER in archive.members,
        "migrations": migrations,
        "members": archive.members,
        "warnings": warnings,
    }


def _platform_version() -> str:
    try:
        return metadata.version("rcf")
    except metadata.PackageNotFoundError:
        return "inconnue"


def _sync_directory(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# Reading and checking an archive ------------------------------------------------------------


def _open(path: Path) -> tarfile.TarFile:
    if not path.is_file():
        raise BackupError(f"{path} : fichier introuvable")
    try:
        return tarfile.open(path, mode="r:gz")
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise BackupError(f"{path} : ce n'est pas une archive rcf backup lisible ({exc})") from None


def archive_verify(path: Path) -> dict[str, Any]:
    """The manifest of the archive at ``path`` once every member has been read and found to
    match it; raises :class:`BackupError` naming the first member that does not."""
    path = Path(path)
    with _open(path) as tar:
        digests: dict[str, tuple[str, int]] = {}
        manifest_bytes = None
        try:
            for info in tar:
                if not info.isfile():
                    raise BackupError(f"membre {info.name} : pas un fichier ordinaire")
                if info.name in digests or (info.name == MANIFEST and manifest_bytes is not None):
                    raise BackupError(f"membre {info.name} : présent deux fois")
                handle = tar.extractfile(info)
                if handle is None:
                    raise BackupError(f"membre {info.name} : pas un fichier ordinaire")
                if info.name == MANIFEST:
                    manifest_bytes = handle.read()
                    continue
                digest = hashlib.sha256()
                while block := handle.read(CHUNK):
                    digest.update(block)
                digests[info.name] = (digest.hexdigest(), info.size)
        except (tarfile.TarError, OSError, EOFError) as exc:
            raise BackupError(f"{path} : archive tronquée ou endommagée ({exc})") from None
    manifest = _manifest(manifest_bytes)
    listed: dict[str, Any] = manifest["members"]
    for name, entry in listed.items():
        if name not in digests:
            raise BackupError(f"membre {name} : annoncé par le manifeste, absent de l'archive")
        if digests[name] != (entry.get("sha256"), entry.get("size")):
            raise BackupError(f"membre {name} : empreinte SHA-256 différente du manifeste")
    for name in digests:
        if name not in listed:
            raise BackupError(f"membre {name} : absent du manifeste")
    return manifest


def _manifest(data: bytes | None) -> dict[str, Any]:
    if data is None:
        raise BackupError(f"membre {MANIFEST} : absent, ce n'est pas une archive rcf backup")
    try:
        manifest = json.loads(data)
    except ValueError:
        raise BackupError(f"membre {MANIFEST} : JSON illisible") from None
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise BackupError(f"membre {MANIFEST} : format inconnu (attendu {FORMAT})")
    shapes = {"members": dict, "models": list, "migrations": list}
    for key, kind in shapes.items():
        if not isinstance(manifest.get(key), kind):
            raise BackupError(f"membre {MANIFEST} : « {key} » manquant ou mal formé")
    return manifest


# Restoring ----------------------------------------------------------------------------------


def target_problems(manifest: dict[str, Any]) -> list[str]:
    """Why this database and data directory cannot receive the archive (empty: they can)."""
    problems = []
    known = {model._meta.label_lower: model for model in backed_up_models()}
    unknown = [e.get("model") for e in manifest["models"] if e.get("model") not in known]
    if unknown:
        problems.append(f"modèles inconnus de cette plateforme : {', '.join(map(str, unknown))}")
    missing = sorted(set(manifest["migrations"]) - set(applied_migrations()))
    extra = sorted(set(applied_migrations()) - set(manifest["migrations"]))
    if missing or extra:
        problems.append(
            "le schéma de la base diffère de celui de l'archive "
            f"(migrations manquantes : {', '.join(missing) or 'aucune'} ; "
            f"en plus : {', '.join(extra) or 'aucune'}) : installez la version "
            f"{manifest.get('platform_version')} et lancez « rcf migrate », restaurez, "
            "puis mettez à jour"
        )
    filled = [
        f"{label} ({model._base_manager.count()})"
        for label, model in known.items()
        if model._base_manager.exists()
    ]
    if filled:
        problems.append(f"la base n'est pas vide (lignes par modèle) : {', '.join(filled)}")
    keys = Path(settings.RCF_SIGNING_KEY_FILE)
    if keys.exists():
        problems.append(f"le trousseau de clés existe déjà : {keys}")
    if _storage_has_files():
        problems.append("le stockage des preuves d'audit n'est pas vide")
    return problems


def _storage_has_files() -> bool:
    storage = evidence_storage()
    try:
        directories, files = storage.listdir("")
    except FileNotFoundError:
        return False
    return bool(directories or files)


@dataclass(frozen=True)
class RestoreReport:
    rows: int
    evidence_files: int
    signing_keys: bool


def archive_restore(path: Path) -> RestoreReport:
    """Verify the archive, check the target is empty, then load everything in one transaction:
    a failure leaves the database, the evidence storage and the key file as they were."""
    path = Path(path)
    manifest = archive_verify(path)
    problems = target_problems(manifest)
    if problems:
        raise BackupError("restauration refusée : " + " ; ".join(problems))
    written: list[str] = []
    keys = Path(settings.RCF_SIGNING_KEY_FILE)
    keys_written = False
    storage = evidence_storage()
    rows = 0
    try:
        with _open(path) as tar, transaction.atomic():
            with connection.constraint_checks_disabled():
                loaded = [_load_model(tar, manifest, entry) for entry in manifest["models"]]
            rows = sum(count for _model, count in loaded)
            connection.check_constraints(table_names=[m._meta.db_table for m, _ in loaded])
            reset = connection.ops.sequence_reset_sql(no_style(), [m for m, _ in loaded])
            if reset:
                with connection.cursor() as cursor:
                    for statement in reset:
                        cursor.execute(statement)
            for name in manifest["members"]:
                if name.startswith(EVIDENCE_PREFIX):
                    written.append(_restore_evidence(tar, manifest, name, storage))
            if KEYS_MEMBER in manifest["members"]:
                _restore_keys(tar, manifest, keys)
                keys_written = True
    except BaseException:
        for name in written:
            storage.delete(name)
        if keys_written:
            keys.unlink(missing_ok=True)
        raise
    return RestoreReport(rows=rows, evidence_files=len(written), signing_keys=keys_written)


def _member(tar: tarfile.TarFile, manifest: dict[str, Any], name: str) -> HashingReader:
    handle = tar.extractfile(name)
    if handle is None:
        raise BackupError(f"membre {name} : pas un fichier ordinaire")
    return HashingReader(handle)


def _check_read(reader: HashingReader, manifest: dict[str, Any], name: str) -> None:
    """The bytes just loaded are those verified (the file did not change in between)."""
    while reader.read(CHUNK):
        pass
    if reader.digest.hexdigest() != manifest["members"][name]["sha256"]:
        raise BackupError(f"membre {name} : empreinte SHA-256 différente du manifeste")


def _load_model(
    tar: tarfile.TarFile, manifest: dict[str, Any], entry: dict[str, Any]
) -> tuple[type[models.Model], int]:
    model = apps.get_model(entry["model"])
    name = member_of(model)
    if name not in manifest["members"]:
        raise BackupError(f"membre {name} : absent du manifeste")
    reader = _member(tar, manifest, name)
    lines = _lines(reader.read)
    count = 0
    try:
        for deserialized in serializers.deserialize(
            "jsonl", lines, handle_forward_references=False
        ):
            if type(deserialized.object) is not model:
                raise BackupError(f"membre {name} : une ligne n'est pas un {entry['model']}")
            deserialized.save(force_insert=True)
            count += 1
    except serializers.base.DeserializationError as exc:
        raise BackupError(f"membre {name} : ligne illisible ({exc})") from None
    _check_read(reader, manifest, name)
    if count != entry.get("count"):
        raise BackupError(f"membre {name} : {count} lignes au lieu des {entry.get('count')}")
    return model, count


def _lines(read: Callable[[int], bytes]) -> Iterator[bytes]:
    """The lines of a member, read in bounded blocks (a member may be large)."""
    pending = b""
    while block := read(CHUNK):
        pending += block
        *complete, pending = pending.split(b"\n")
        yield from complete
    if pending:
        yield pending


def _restore_evidence(
    tar: tarfile.TarFile, manifest: dict[str, Any], name: str, storage: Any
) -> str:
    stored = name.removeprefix(EVIDENCE_PREFIX)
    if not EVIDENCE_NAME.match(stored):
        raise BackupError(f"membre {name} : nom de fichier de preuve invalide")
    reader = _member(tar, manifest, name)
    content = File(cast(IO[bytes], reader), name=stored)
    content.size = manifest["members"][name]["size"]  # object stores ask for it up front
    saved = storage.save(stored, content)
    if saved != stored:
        storage.delete(saved)
        raise BackupError(f"membre {name} : le stockage l'a enregistré sous un autre nom")
    try:
        _check_read(reader, manifest, name)
    except BackupError:
        storage.delete(saved)
        raise
    return saved


def _restore_keys(tar: tarfile.TarFile, manifest: dict[str, Any], keys: Path) -> None:
    reader = _member(tar, manifest, KEYS_MEMBER)
    data = reader.read(-1)
    _check_read(reader, manifest, KEYS_MEMBER)
    keys.parent.mkdir(parents=True, exist_ok=True)
    # O_EXCL: a key ring that appeared since the check is never overwritten.
    try:
        fd = os.open(keys, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        raise BackupError(f"le trousseau de clés existe déjà : {keys}") from None
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # whatever the umask
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        keys.unlink(missing_ok=True)
        raise
