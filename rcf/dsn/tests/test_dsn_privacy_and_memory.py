"""The NIR never leaves the reader, and the reader's memory does not grow with the file."""

from __future__ import annotations

import io
import logging
import random
import tracemalloc
from pathlib import Path

import pytest
from django.core.management import call_command

from rcf.dsn import DsnFileError, read_payroll_evidence
from rcf.dsn.generator import DsnSpec, generate_dsn, random_declaration
from rcf.dsn.reader import DsnReader
from rcf.dsn.reader.lines import dsn_date


def write(path: Path, spec: DsnSpec) -> None:
    with path.open("wb") as out:
        generate_dsn(spec, out)


def test_it_never_lets_a_nir_out(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    """Neither the JSON nor the text summary, the engine's evidence, the logs, nor the errors
    of a malformed file (NIR lines broken on purpose) contain any NIR of the file."""
    caplog.set_level(logging.DEBUG)
    decl = random_declaration(random.Random(5), employees=60, pay_lines=10)
    nirs = [employee.nir for employee in decl.employees if employee.nir]
    assert len(nirs) == 60 and all(len(nir) == 13 for nir in nirs)
    good = tmp_path / "good.dsn"
    write(good, DsnSpec((decl,)))
    bad = tmp_path / "bad.dsn"
    broken = good.read_bytes()
    for nir in nirs:  # the closing apostrophe of every NIR line removed
        broken = broken.replace(f"'{nir}'\r\n".encode(), f"'{nir}\r\n".encode())
    bad.write_bytes(broken)

    outputs = []
    for args in (["--format", "json"], ["--format", "text"]):
        out, err = io.StringIO(), io.StringIO()
        call_command("dsn", "summary", str(good), *args, stdout=out, stderr=err)
        outputs += [out.getvalue(), err.getvalue()]
    out, err = io.StringIO(), io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("dsn", "summary", str(bad), stdout=out, stderr=err)
    outputs += [out.getvalue(), err.getvalue()]
    assert exited.value.code == 2
    assert len(err.getvalue().splitlines()) == 100  # 50 malformed lines, 50 individuals
    assert "S21.G00.30.001 : valeur mal délimitée" in err.getvalue()
    with pytest.raises(DsnFileError) as caught:
        read_payroll_evidence([bad])
    outputs += [str(caught.value), repr(caught.value), repr(read_payroll_evidence([good]))]
    outputs += [caplog.text]

    leaked = [nir for nir in nirs if any(nir in text for text in outputs)]
    assert leaked == []


def peak_memory(data: bytes, chunk_size: int) -> int:
    dsn_date.cache_clear()
    tracemalloc.start()
    try:
        DsnReader("x.dsn", chunk_size=chunk_size).read(io.BytesIO(data))
        return tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def generated(*, employees: int, pay_lines: int, declarations: int = 1) -> bytes:
    # The same employees in every declaration: the same dates to parse.
    spec = DsnSpec(
        tuple(
            random_declaration(
                random.Random(9), employees=employees, pay_lines=pay_lines, nic=f"{n:05d}"
            )
            for n in range(declarations)
        )
    )
    out = io.BytesIO()
    generate_dsn(spec, out)
    return out.getvalue()


def test_it_streams_its_memory_does_not_grow_with_the_lines() -> None:
    """Thirty times more pay lines per employee (a file ten times longer) does not change the
    reader's peak memory beyond its read buffers; neither do ten declarations instead of one,
    as each declaration's identifiers are dropped when it ends."""
    chunk = 64 << 10
    small = generated(employees=400, pay_lines=20)
    long = generated(employees=400, pay_lines=600)
    many = generated(employees=400, pay_lines=20, declarations=10)
    assert len(long) > 10 * len(small)
    base = peak_memory(small, chunk)
    assert peak_memory(long, chunk) < base + 4 * chunk
    assert peak_memory(many, chunk) < base + 4 * chunk
