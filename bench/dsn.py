"""Speed and memory of ``rcf dsn summary`` on a 20,000-employee monthly DSN.

Writes the file with the generator (about 150 lines per employee, 3 million lines) into a
temporary directory, then, in the same run and alternating, times as whole processes
(best of 3):

* ``rcf dsn summary FILE --format json`` (Django start-up included), and
* a bare Python loop over the same file's lines, opened as a naive reader would
  (text mode, Latin-1): ``for line in f: line.partition(",")``.

Targets: the command takes at most 1.5 times the bare loop, and its peak RSS stays under
200 MB. The summary printed must be the one the generator intended. Exits 1 when a target is
missed or the summary is wrong. Usage::

    .venv/bin/python bench/dsn.py [--employees 20000] [--runs 3] [--keep DIR]
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import random
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from rcf.dsn.generator import DsnSpec, generate_dsn, random_declaration  # noqa: E402

TIME_RATIO_TARGET = 1.5
RSS_TARGET_MB = 200

BARE_LOOP = """
import sys
with open(sys.argv[1], encoding="latin-1") as f:
    for line in f:
        line.partition(",")
"""


def run(command: list[str]) -> tuple[float, float, bytes]:
    """Wall time (s), peak RSS (MB) and stdout of one process."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    stdout, stderr = process.communicate()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        sys.exit(f"{command[0]} failed ({process.returncode}): {stderr.decode()[:2000]}")
    return elapsed, 0.0, stdout


def run_measured(command: list[str]) -> tuple[float, float, bytes]:
    """Like :func:`run`, reading the child's own peak RSS with ``wait4``."""
    started = time.perf_counter()
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        process = subprocess.Popen(command, stdout=out, stderr=err)
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        if process.returncode != 0:
            sys.exit(f"{command[0]} failed ({process.returncode}): {err.read().decode()[:2000]}")
        return elapsed, usage.ru_maxrss / 1024, out.read()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--employees", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", help="write the DSN in this directory and keep it")
    parser.add_argument(
        "--newline", choices=["crlf", "lf"], default="crlf", help="line ending (CR-LF: the norm)"
    )
    args = parser.parse_args()

    rcf = Path(sys.executable).parent / "rcf"
    if not rcf.exists():
        rcf = REPO / ".venv" / "bin" / "rcf"
    workdir = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="rcf-bench-dsn-"))
    workdir.mkdir(parents=True, exist_ok=True)
    path = workdir / "bench-2026-09.dsn"

    started = time.perf_counter()
    spec = DsnSpec(
        (random_declaration(random.Random(2026), employees=args.employees),),
        newline="\r\n" if args.newline == "crlf" else "\n",
    )
    with path.open("wb") as out:
        generated = generate_dsn(spec, out)
    size_mb = path.stat().st_size / 1e6
    print(
        f"DSN written: {args.employees} employees, {generated.lines:,} lines "
        f"({args.newline.upper()}), {size_mb:.1f} MB, in {time.perf_counter() - started:.1f} s"
    )

    summary_command = [str(rcf), "dsn", "summary", str(path), "--format", "json"]
    loop_command = [sys.executable, "-c", BARE_LOOP, str(path)]
    summary_times, loop_times, peaks = [], [], []
    output = b""
    for _ in range(args.runs):
        elapsed, peak, output = run_measured(summary_command)
        summary_times.append(elapsed)
        peaks.append(peak)
        loop_times.append(run(loop_command)[0])

    expected = generated.summary(path.name)
    correct = json.loads(output) == expected
    best_summary, best_loop = min(summary_times), min(loop_times)
    ratio = best_summary / best_loop
    peak = max(peaks)
    print(f"date: {datetime.date.today().isoformat()}")
    print(
        f"machine: {platform.processor() or platform.machine()}, {os.cpu_count()} CPU, "
        f"Python {platform.python_version()}"
    )
    print(
        f"rcf dsn summary --format json: best of {args.runs} {best_summary:.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in summary_times)})"
    )
    print(
        f"bare Python loop:              best of {args.runs} {best_loop:.2f} s "
        f"(runs: {', '.join(f'{t:.2f}' for t in loop_times)})"
    )
    print(
        f"ratio: {ratio:.2f} (target <= {TIME_RATIO_TARGET}): "
        f"{'met' if ratio <= TIME_RATIO_TARGET else 'NOT met'}"
    )
    print(
        f"peak RSS of rcf dsn summary: {peak:.0f} MB (target < {RSS_TARGET_MB} MB): "
        f"{'met' if peak < RSS_TARGET_MB else 'NOT met'}"
    )
    print(f"summary equals the generator's intended counts: {'yes' if correct else 'NO'}")
    if not args.keep:
        path.unlink()
        workdir.rmdir()
    if not (correct and ratio <= TIME_RATIO_TARGET and peak < RSS_TARGET_MB):
        sys.exit(1)


if __name__ == "__main__":
    main()
