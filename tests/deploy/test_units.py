"""The shipped systemd units are valid and do what docs/operations.md says."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.deploy.harness import DEPLOY

UNITS = DEPLOY / "systemd"


def unit(name: str) -> configparser.ConfigParser:
    parser = configparser.ConfigParser(strict=False, interpolation=None)
    parser.optionxform = str  # type: ignore[assignment,method-assign]
    parser.read(UNITS / name)
    return parser


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    """`systemd-analyze verify` with the program and environment file of this machine."""
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    rcf_bin = str(Path(sys.executable).with_name("rcf"))
    env_file = tmp_path / "rcf.env"
    env_file.write_text((DEPLOY / "rcf.env.example").read_text())
    for path in UNITS.iterdir():
        text = path.read_text().replace("/opt/rcf/venv/bin/rcf", rcf_bin)
        (tmp_path / path.name).write_text(text.replace("/etc/rcf/rcf.env", str(env_file)))
    run = subprocess.run(
        [analyze, "verify", *(str(tmp_path / p.name) for p in sorted(UNITS.iterdir()))],
        capture_output=True, text=True, timeout=60, check=False,
    )  # fmt: skip
    problems = [
        line
        for line in (run.stdout + run.stderr).splitlines()
        if "rcf-" in line and "Unknown user" not in line  # no `rcf` user on a test machine
    ]
    assert run.returncode == 0 and problems == [], run.stdout + run.stderr


def test_serve_runs_rcf_serve_on_loopback_hardened() -> None:
    service = unit("rcf-serve.service")["Service"]
    assert service["ExecStart"].split()[1:] == [
        "serve", "--bind", "127.0.0.1:8000", "--workers", "2",
    ]  # fmt: skip
    assert "127.0.0.1:8000" in (DEPLOY / "nginx" / "rcf.conf").read_text()
    for setting, value in {
        "User": "rcf",
        "NoNewPrivileges": "yes",
        "ProtectSystem": "strict",
        "PrivateTmp": "yes",
        "StateDirectoryMode": "0700",
        "CapabilityBoundingSet": "",
    }.items():
        assert service[setting] == value, setting


def test_tick_runs_daily_and_catches_up() -> None:
    assert unit("rcf-tick.service")["Service"]["ExecStart"].endswith("rcf tick")
    assert unit("rcf-tick.service")["Service"]["Type"] == "oneshot"
    timer = unit("rcf-tick.timer")["Timer"]
    assert timer["OnCalendar"].startswith("*-*-* 00:15:00")
    assert timer["Persistent"] == "true"
