"""`/readyz`: 200 when every check holds; 503 naming each failing check (platform-v1.md §4)."""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from django.db import OperationalError
from django.test import Client
from django.utils import timezone

from rcf.credentials.keys import keyring_init
from rcf.notifications.models import OutgoingEmail
from rcf.operations.choices import TickOutcome
from rcf.operations.models import TickRun

pytestmark = pytest.mark.django_db

CHECKS = {"database", "signing_keys", "tick", "outbox", "disk"}


@pytest.fixture(autouse=True)
def healthy(settings: Any, tmp_path: Path) -> Path:
    """A ring of keys, a tick an hour ago, an empty outbox, a modest disk threshold."""
    path = tmp_path / "keys" / "signing-keys.json"
    settings.RCF_SIGNING_KEY_FILE = path
    settings.RCF_READY_DISK_MIN_FREE_MB = 1
    keyring_init(path)
    ran_at = timezone.now() - dt.timedelta(hours=1)
    TickRun.objects.create(started_at=ran_at, finished_at=ran_at, outcome=TickOutcome.OK)
    return path


def ready(client: Client) -> tuple[int, dict[str, Any]]:
    response = client.get("/readyz")
    assert response["Content-Type"] == "application/json"
    assert "no-store" in response["Cache-Control"] or "max-age=0" in response["Cache-Control"]
    return response.status_code, response.json()


def failing(body: dict[str, Any]) -> set[str]:
    return {name for name, check in body["checks"].items() if not check["ok"]}


def test_it_answers_200_when_every_check_holds(client: Client) -> None:
    status, body = ready(client)

    assert status == 200
    assert body["status"] == "ok"
    assert set(body["checks"]) == CHECKS
    assert failing(body) == set()
    assert body["checks"]["database"]["pending_migrations"] == 0
    assert 3000 <= body["checks"]["tick"]["age_seconds"] <= 3700


def test_a_database_that_does_not_answer_fails(client: Client) -> None:
    """Every check that needs the database fails with it; the others still report."""
    with mock.patch(
        "rcf.operations.health.connection.cursor", side_effect=OperationalError("down")
    ):
        status, body = ready(client)

    assert status == 503
    assert body["status"] == "fail"
    assert "database" in failing(body)
    assert body["checks"]["database"]["error"] == "OperationalError"
    assert body["checks"]["disk"]["ok"] is True


def test_unapplied_migrations_fail_the_database_check(client: Client) -> None:
    with mock.patch(
        "rcf.operations.health.MigrationExecutor.migration_plan", return_value=[("m", False)]
    ):
        status, body = ready(client)

    assert status == 503
    assert failing(body) == {"database"}
    assert body["checks"]["database"]["pending_migrations"] == 1


def test_a_missing_key_ring_fails_in_production_only(
    client: Client, settings: Any, tmp_path: Path
) -> None:
    """Outside production a key is made on first use; readiness creates nothing."""
    settings.RCF_SIGNING_KEY_FILE = tmp_path / "absent.json"

    status, body = ready(client)
    assert status == 200
    assert body["checks"]["signing_keys"] == {"ok": True, "reason": "made_on_first_use"}
    assert not (tmp_path / "absent.json").exists()

    settings.PRODUCTION = True
    status, body = ready(client)
    assert status == 503
    assert failing(body) == {"signing_keys"}
    assert body["checks"]["signing_keys"] == {"ok": False, "reason": "missing"}


def test_a_key_ring_others_can_read_fails_without_naming_its_path(
    client: Client, healthy: Path
) -> None:
    os.chmod(healthy, 0o644)

    status, body = ready(client)

    assert status == 503
    assert failing(body) == {"signing_keys"}
    assert body["checks"]["signing_keys"] == {"ok": False, "reason": "unusable"}
    assert str(healthy.parent) not in str(body)


def test_a_tick_older_than_the_threshold_fails(client: Client, settings: Any) -> None:
    settings.RCF_READY_TICK_MAX_AGE_HOURS = 26
    old = timezone.now() - dt.timedelta(hours=27)
    TickRun.objects.update(started_at=old, finished_at=old)
    # A later failed run is no success: it does not refresh the age.
    TickRun.objects.create(
        started_at=timezone.now(), finished_at=timezone.now(), outcome=TickOutcome.FAILED
    )

    status, body = ready(client)

    assert status == 503
    assert failing(body) == {"tick"}
    tick = body["checks"]["tick"]
    assert tick["max_age_seconds"] == 26 * 3600
    assert tick["age_seconds"] > 26 * 3600
    assert tick["last_outcome"] == "failed"


def test_a_tick_that_never_ran_fails_in_production_only(client: Client, settings: Any) -> None:
    TickRun.objects.all().delete()

    status, body = ready(client)
    assert status == 200
    assert body["checks"]["tick"]["reason"] == "never_ran"

    settings.PRODUCTION = True
    status, body = ready(client)
    assert status == 503
    assert failing(body) == {"tick"}


def test_an_email_waiting_too_long_fails(client: Client, settings: Any) -> None:
    """Unsent past RCF_READY_OUTBOX_MAX_AGE_MINUTES; a fresh or a sent e-mail is fine."""
    settings.RCF_READY_OUTBOX_MAX_AGE_MINUTES = 30
    for subject in ("old", "fresh", "sent"):
        OutgoingEmail.objects.create(to=["a@example.fr"], subject=subject, body="…")
    OutgoingEmail.objects.filter(subject__in=["old", "sent"]).update(
        created_at=timezone.now() - dt.timedelta(minutes=31)
    )
    OutgoingEmail.objects.filter(subject="sent").update(sent_at=timezone.now())

    status, body = ready(client)

    assert status == 503
    assert failing(body) == {"outbox"}
    assert body["checks"]["outbox"] == {
        "ok": False,
        "backlog": 1,
        "unsent": 2,
        "max_age_minutes": 30,
    }


def test_too_little_disk_space_fails(client: Client, settings: Any) -> None:
    settings.RCF_READY_DISK_MIN_FREE_MB = 10**12  # an exabyte: no disk has that free

    status, body = ready(client)

    assert status == 503
    assert failing(body) == {"disk"}
    disk = body["checks"]["disk"]
    assert disk["free_bytes"] < disk["min_free_bytes"] == 10**12 * 1024 * 1024


def test_healthz_stays_a_liveness_check(client: Client, settings: Any) -> None:
    """A failing readiness does not touch /healthz."""
    settings.RCF_READY_DISK_MIN_FREE_MB = 10**12
    response = client.get("/healthz")
    assert (response.status_code, response.content) == (200, b"ok")
