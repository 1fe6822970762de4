"""Readiness: is this instance able to do its whole job, not only to answer (``/readyz``)?

``/healthz`` says the process and its database answer (for a load balancer's routing);
``/readyz`` checks what a monitoring system must alert on. Each check returns a small JSON
object with ``ok`` and the figures it judged; a check that crashes is a failing check. The
answer is public: it names no server path and no personal data.
"""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, connection, connections
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

from rcf.credentials.keys import KeyringError, KeyringMissing, load_keyring
from rcf.notifications.models import OutgoingEmail
from rcf.operations.selectors import tick_last_run, tick_last_success

CheckResult = dict[str, Any]
MIB = 1024 * 1024


def check_database() -> CheckResult:
    """The database answers, and every migration is applied (a deployment that forgot
    ``rcf migrate`` answers ``/healthz`` but fails on its first write)."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    executor = MigrationExecutor(connections[DEFAULT_DB_ALIAS])
    pending = len(executor.migration_plan(executor.loader.graph.leaf_nodes()))
    return {"ok": pending == 0, "pending_migrations": pending}


def check_signing_keys() -> CheckResult:
    """The key ring can be read and its current key loaded (read only: a probe creates nothing).

    Outside production a missing ring is fine: the first signed file makes one
    (``rcf.registry.signing.keyring_current``). In production it must exist (``rcf keys init``).
    """
    path = Path(settings.RCF_SIGNING_KEY_FILE)
    try:
        keyring = load_keyring(path)
    except KeyringMissing:
        if settings.PRODUCTION:
            return {"ok": False, "reason": "missing"}
        return {"ok": True, "reason": "made_on_first_use"}
    except KeyringError:
        # The message names the file; the log is the place for it, not a public answer.
        return {"ok": False, "reason": "unusable"}
    return {"ok": True, "kid": keyring.current.kid, "retired_keys": len(keyring.retired)}


def check_tick() -> CheckResult:
    """The last ``rcf tick`` that ended well did so less than the threshold ago.

    "Never ran" fails in production (no timer was set up) and passes elsewhere, so that a new
    development or demonstration instance is not reported broken.
    """
    max_age = dt.timedelta(hours=settings.RCF_READY_TICK_MAX_AGE_HOURS)
    result: CheckResult = {"max_age_seconds": int(max_age.total_seconds())}
    last_run = tick_last_run()
    if last_run is not None:
        result["last_outcome"] = last_run.outcome
    success = tick_last_success()
    if success is None or success.finished_at is None:
        return {"ok": not settings.PRODUCTION, "reason": "never_ran", **result}
    age = timezone.now() - success.finished_at
    return {
        "ok": age <= max_age,
        "last_success_at": success.finished_at.astimezone(dt.UTC).isoformat(),
        "age_seconds": max(0, int(age.total_seconds())),
        **result,
    }


def outbox_backlog(now: dt.datetime | None = None) -> int:
    """E-mails still unsent that were queued more than the threshold ago."""
    limit = dt.timedelta(minutes=settings.RCF_READY_OUTBOX_MAX_AGE_MINUTES)
    cutoff = (now or timezone.now()) - limit
    return OutgoingEmail.objects.filter(sent_at__isnull=True, created_at__lt=cutoff).count()


def check_outbox() -> CheckResult:
    """No e-mail has waited in the outbox longer than the threshold (the mail server refuses,
    or nothing delivers: ``rcf tick`` retries what failed at commit)."""
    backlog = outbox_backlog()
    unsent = OutgoingEmail.objects.filter(sent_at__isnull=True).count()
    return {
        "ok": backlog == 0,
        "backlog": backlog,
        "unsent": unsent,
        "max_age_minutes": settings.RCF_READY_OUTBOX_MAX_AGE_MINUTES,
    }


def check_disk() -> CheckResult:
    """``RCF_DATA_DIR`` (SQLite file, evidence files, keys, metrics) has room left."""
    free = shutil.disk_usage(settings.RCF_DATA_DIR).free
    minimum = settings.RCF_READY_DISK_MIN_FREE_MB * MIB
    return {"ok": free >= minimum, "free_bytes": free, "min_free_bytes": minimum}


CHECKS: dict[str, Callable[[], CheckResult]] = {
    "database": check_database,
    "signing_keys": check_signing_keys,
    "tick": check_tick,
    "outbox": check_outbox,
    "disk": check_disk,
}


def readiness() -> dict[str, Any]:
    """``{"status": "ok" | "fail", "checks": {name: {"ok": bool, …}}}``: ok when all hold."""
    checks: dict[str, CheckResult] = {}
    for name, check in CHECKS.items():
        try:
            checks[name] = check()
        except Exception as exc:  # a check that cannot run is a check that fails
            checks[name] = {"ok": False, "error": type(exc).__name__}
    status = "ok" if all(result["ok"] for result in checks.values()) else "fail"
    return {"status": status, "checks": checks}
