"""On a new machine the first commands create the SQLite database instead of failing."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.commands import rcf_process

ROOT = Path(__file__).resolve().parents[3]
EXAMPLES = Path(__file__).resolve().parents[2] / "referentiel" / "examples"


def rcf(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return rcf_process(tmp_path / "var", *args, cwd=tmp_path)


def test_members_import_then_evaluate_on_a_new_data_dir(tmp_path: Path) -> None:
    """`rcf members import` then `rcf evaluate` work on an empty RCF_DATA_DIR (exit 3 for the
    mutuelle: RCF-07 to verify), with no `rcf migrate` first."""
    imported = rcf(tmp_path, "members", "import", str(EXAMPLES / "members.csv"))
    assert imported.returncode == 0, imported.stderr
    evaluated = rcf(
        tmp_path, "evaluate", str(EXAMPLES / "mutuelle-sans-dsn.json"), "--format", "json"
    )
    assert evaluated.returncode == 3, evaluated.stderr
    assert '"verdict": "to_verify"' in evaluated.stdout
    assert (tmp_path / "var" / "rcf.sqlite3").exists()


def test_evaluate_alone_on_a_new_data_dir_says_not_a_member(tmp_path: Path) -> None:
    """Without the registry loaded, RCF-01 fails: exit 1, not a traceback."""
    evaluated = rcf(
        tmp_path, "evaluate", str(EXAMPLES / "mutuelle-sans-dsn.json"), "--format", "json"
    )
    assert evaluated.returncode == 1, evaluated.stderr
    assert '"code": "not_a_member"' in evaluated.stdout
