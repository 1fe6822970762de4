"""The operations settings refuse a bad value at start, naming it."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.support.commands import rcf_process


@pytest.mark.parametrize(
    ("name", "raw", "message"),
    [
        ("RCF_METRICS_TOKEN", "short", "RCF_METRICS_TOKEN must be at least 32 characters long"),
        ("RCF_READY_TICK_MAX_AGE_HOURS", "0", "RCF_READY_TICK_MAX_AGE_HOURS must be at least 1"),
        ("RCF_READY_OUTBOX_MAX_AGE_MINUTES", "soon", "must be an integer, not 'soon'"),
        ("RCF_READY_DISK_MIN_FREE_MB", "-1", "RCF_READY_DISK_MIN_FREE_MB must not be negative"),
    ],
)
def test_it_refuses_a_bad_value(tmp_path: Path, name: str, raw: str, message: str) -> None:
    run = rcf_process(tmp_path, "check", env={name: raw})

    assert run.returncode != 0
    assert message in run.stderr


def test_the_metrics_directory_defaults_to_the_data_directory(tmp_path: Path) -> None:
    """Each worker's counters land in RCF_DATA_DIR/metrics unless the operator says where."""
    run = rcf_process(
        tmp_path,
        "shell",
        "-c",
        "import os; from django.conf import settings; "
        "print(settings.RCF_METRICS_DIR); print(os.environ['PROMETHEUS_MULTIPROC_DIR'])",
        env={"PROMETHEUS_MULTIPROC_DIR": ""},
    )

    assert run.returncode == 0, run.stderr
    assert run.stdout.split()[-2:] == [str(tmp_path / "metrics")] * 2
    assert (tmp_path / "metrics").is_dir()
