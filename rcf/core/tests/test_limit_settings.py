"""The limit settings are read from the environment and refuse a bad value loudly."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from django.core.exceptions import ImproperlyConfigured

from rcf.settings import env_json_object, env_rate
from tests.support.commands import rcf_process


@pytest.mark.parametrize(
    ("raw", "rate"),
    [("10/min", (10, 60)), (" 3 / h ", (3, 3600)), ("1/s", (1, 1)), ("5/d", (5, 86400))],
)
def test_a_rate_is_count_per_period(monkeypatch: pytest.MonkeyPatch, raw: str, rate: Any) -> None:
    monkeypatch.setenv("RCF_RATE_LIMIT_X", raw)
    assert env_rate("RCF_RATE_LIMIT_X", "1/s") == rate


def test_off_disables_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("RCF_RATE_LIMIT_X", "OFF")
    assert env_rate("RCF_RATE_LIMIT_X", "1/s") is None


@pytest.mark.parametrize("raw", ["10", "0/min", "10/week", "ten/min", "-1/s"])
def test_a_bad_rate_stops_the_start(monkeypatch: pytest.MonkeyPatch, raw: str) -> None:
    monkeypatch.setenv("RCF_RATE_LIMIT_X", raw)
    with pytest.raises(ImproperlyConfigured, match="RCF_RATE_LIMIT_X must be COUNT/PERIOD"):
        env_rate("RCF_RATE_LIMIT_X", "1/s")


@pytest.mark.parametrize("raw", ["[1]", "{not json", '"s3"'])
def test_the_evidence_storage_must_be_a_json_object(
    monkeypatch: pytest.MonkeyPatch, raw: str
) -> None:
    monkeypatch.setenv("RCF_STORAGE_EVIDENCE", raw)
    with pytest.raises(ImproperlyConfigured, match="RCF_STORAGE_EVIDENCE must be a JSON object"):
        env_json_object("RCF_STORAGE_EVIDENCE", {})


def test_a_process_with_a_bad_limit_does_not_start(tmp_path: Path) -> None:
    run = rcf_process(tmp_path, "check", env={"RCF_RATE_LIMIT_API": "lots"})
    assert run.returncode != 0
    assert "RCF_RATE_LIMIT_API must be COUNT/PERIOD" in run.stderr
