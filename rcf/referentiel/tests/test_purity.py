"""The référentiel engine is pure Python: importing and running it loads no Django."""

from __future__ import annotations

import subprocess
import sys


def test_it_runs_without_django() -> None:
    """Validation, evaluation and report run in a process where Django is never imported."""
    script = (
        "import sys, json\n"
        "from rcf.referentiel.engine import evaluate_declaration, dumps_evaluation\n"
        "from rcf.referentiel.report import render_report\n"
        "from rcf.referentiel.tests.builders import example\n"
        "e = evaluate_declaration(example('telecom-offshore'), memberships=[], payroll=[])\n"
        "render_report(e)\n"
        "assert not [m for m in sys.modules if m.split('.')[0] == 'django'], 'django imported'\n"
        "print(e['verdict'])\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "not_eligible\n", "")
