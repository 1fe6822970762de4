"""Generated DSNs read back to what the generator intended, and damaged ones never crash."""

from __future__ import annotations

import io
import random
import re
from datetime import timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from rcf.dsn.generator import DsnSpec, generate_dsn
from rcf.dsn.reader import MAX_ERRORS, DsnFileError, DsnReader
from rcf.dsn.summary import DsnSummary, summary_document

from .strategies import specs

LOCATED = re.compile(r"x\.dsn:\d+: \S.*")
SETTINGS = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def generate(spec: DsnSpec) -> tuple[bytes, dict]:
    out = io.BytesIO()
    generated = generate_dsn(spec, out)
    return out.getvalue(), generated.summary("x.dsn")


def read(data: bytes, chunk_size: int) -> DsnSummary:
    return summary_document(DsnReader("x.dsn", chunk_size=chunk_size).read(io.BytesIO(data)))


@SETTINGS
@given(spec=specs(), chunk_size=st.sampled_from([1 << 22, 4096, 97, 17]))
def test_it_reads_back_what_the_generator_intended(spec: DsnSpec, chunk_size: int) -> None:
    """Whatever the declarations, employees, contracts, ends, workplaces and line endings, the
    summary is the one computed from the spec; reading in small pieces (so that block
    instances straddle read boundaries) changes nothing."""
    data, intended = generate(spec)
    assert read(data, chunk_size) == intended


@SETTINGS
@given(spec=specs())
def test_it_reads_mixed_line_endings(spec: DsnSpec) -> None:
    """CR-LF and LF may be mixed in one file: every other line loses its CR."""
    data, intended = generate(DsnSpec(spec.declarations, newline="\r\n"))
    lines = data.split(b"\r\n")
    mixed = b"".join(line + (b"\r\n" if n % 2 else b"\n") for n, line in enumerate(lines[:-1]))
    assert read(mixed, 4096) == intended


def _mutate(data: bytes, kind: str, first: int, second: int, cut: int) -> bytes:
    # Whole-file damage: a flipped byte, a file cut anywhere, another encoding.
    if kind == "flip":
        position = (first * 7919 + second) % len(data)
        return data[:position] + bytes([data[position] ^ (1 << (cut % 8))]) + data[position + 1 :]
    if kind == "truncate-file":
        return data[: (first * 7919 + cut) % len(data)]
    if kind == "re-encode":
        encoding = ("utf-16", "utf-8-sig", "utf-32")[cut % 3]
        return data.decode("latin-1").encode(encoding)
    lines = data.split(b"\n")[:-1]
    i, j = first % len(lines), second % len(lines)
    if kind == "delete":
        del lines[i]
    elif kind == "swap":
        lines[i], lines[j] = lines[j], lines[i]
    elif kind == "truncate":
        lines[i] = lines[i][: cut % max(len(lines[i]), 1)]
    elif kind == "remove-quote":
        lines[i] = (
            lines[i].replace(b"'", b"", 1)
            if cut % 2
            else lines[i][::-1].replace(b"'", b"", 1)[::-1]
        )
    elif kind == "duplicate":
        lines.insert(i, lines[i])
    elif kind == "shuffle":
        random.Random(first).shuffle(lines)
    elif kind == "garbage":
        lines.insert(i, bytes([cut % 256]) * (cut % 300))
    return b"\n".join(lines) + b"\n"


@settings(SETTINGS, deadline=timedelta(seconds=5))  # never hangs: each case in bounded time
@given(
    spec=specs(),
    kind=st.sampled_from(
        [
            "delete",
            "swap",
            "truncate",
            "remove-quote",
            "duplicate",
            "garbage",
            "flip",
            "truncate-file",
            "re-encode",
            "shuffle",
        ]
    ),
    first=st.integers(0, 10_000),
    second=st.integers(0, 10_000),
    cut=st.integers(0, 1000),
    chunk_size=st.sampled_from([1 << 22, 64]),
)
def test_it_never_crashes_on_a_damaged_file(
    spec: DsnSpec, kind: str, first: int, second: int, cut: int, chunk_size: int
) -> None:
    """A deleted, swapped, truncated, duplicated or garbage line, a removed apostrophe, a
    flipped byte, a file cut anywhere, re-encoded (UTF-16, UTF-8 with BOM, UTF-32) or with
    its lines shuffled gives either a summary or located errors (at most 100), never another
    exception, and each within 5 seconds (hypothesis' deadline). A deleted or duplicated line
    always changes the S90 total, so it is always an error."""
    data, _ = generate(spec)
    damaged = _mutate(data, kind, first, second, cut)
    try:
        read(damaged, chunk_size)
    except DsnFileError as exc:
        assert 1 <= len(exc.errors) <= MAX_ERRORS
        assert all(LOCATED.fullmatch(error) for error in exc.errors), exc.errors
    else:
        assert kind not in ("delete", "duplicate")
