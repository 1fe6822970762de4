"""Production settings: refuse to start without secrets; `rcf check --deploy` is clean."""

from __future__ import annotations

import subprocess
from pathlib import Path

import pytest
from django.test import Client

from tests.support.commands import rcf_process

ROOT = Path(__file__).resolve().parents[3]


def rcf(args: list[str], env: dict[str, str], tmp_path: Path) -> subprocess.CompletedProcess[str]:
    return rcf_process(tmp_path, *args, env=env)


@pytest.mark.parametrize(
    ("env", "missing"),
    [
        ({"RCF_BASE_URL": "https://rcf.example.org"}, "RCF_SECRET_KEY"),
        ({"RCF_SECRET_KEY": "k" * 20 + "ey-" + "z" * 40}, "RCF_BASE_URL"),
    ],
)
def test_it_refuses_to_start_in_production_without_a_secret(
    tmp_path: Path, env: dict[str, str], missing: str
) -> None:
    """RCF_ENV=production with a missing secret key or base URL stops at start, naming it."""
    run = rcf(["check"], {"RCF_ENV": "production", **env}, tmp_path)
    assert run.returncode != 0
    assert f"{missing} is required when RCF_ENV=production" in run.stderr


def test_it_passes_the_deploy_check_in_production(tmp_path: Path) -> None:
    """`rcf check --deploy` raises no warning with the production settings."""
    run = rcf(
        ["check", "--deploy", "--fail-level", "WARNING"],
        {
            "RCF_ENV": "production",
            "RCF_SECRET_KEY": "s3cr3t-" + "abcdefghij" * 6,
            "RCF_BASE_URL": "https://rcf.example.org",
        },
        tmp_path,
    )
    assert run.returncode == 0, run.stdout + run.stderr
    assert "System check identified no issues" in run.stdout


def test_it_refuses_a_malformed_boolean(tmp_path: Path) -> None:
    """Environment values are parsed strictly: a typo stops the process."""
    run = rcf(["check"], {"RCF_DEBUG": "maybe"}, tmp_path)
    assert run.returncode != 0
    assert "RCF_DEBUG must be a boolean" in run.stderr


@pytest.mark.django_db
def test_every_answer_carries_the_security_headers(client: Client) -> None:
    """CSP, nosniff, frame denial and referrer policy on pages and health check alike."""
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.content == b"ok"
    assert "default-src 'self'" in response["Content-Security-Policy"]
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"


@pytest.mark.django_db
def test_the_health_check_says_503_when_the_database_fails(client: Client) -> None:
    """`/healthz`: 503 when the database does not answer (platform-v1.md §3)."""
    from unittest import mock

    from django.db import DatabaseError

    with mock.patch(
        "django.db.backends.utils.CursorWrapper.execute", side_effect=DatabaseError("down")
    ):
        response = client.get("/healthz")
    assert response.status_code == 503
