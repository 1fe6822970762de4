"""The streaming DSN reader: NEODeS file in, :class:`DeclarationSummary` counts out.

It reads the file in binary, a few megabytes at a time, and keeps only what the current
declaration needs: counters per workplace, the open block instance, the current individual's
contracts and the set of identifiers (NIR or NTT) of the current declaration, dropped when the
declaration ends. Memory does not grow with the file.

Speed comes from letting the regular-expression engine walk the file: one anchored match
consumes a whole *run* of lines, either the pay and contribution blocks that make up most of a
DSN (``S21.G00.50``–``81`` …: only their syntax and their place in the structure matter) or
consecutive lines of one other block, which are then split into block instances and read. A
line the pattern refuses is examined on its own, reported and skipped. Every structural control
applies to every line either way.

Privacy: the NIR is read as bytes, used as a set member to count distinct individuals, and
dropped with the declaration. No message ever quotes a value.
"""

from __future__ import annotations

from typing import BinaryIO

from rcf.dsn.reader.blocks import BlockRules
from rcf.dsn.reader.declarations import Contract
from rcf.dsn.reader.errors import DsnFileError, TooManyErrors
from rcf.dsn.reader.lines import (
    ABROAD,
    ANNULMENT,
    CHUNK_SIZE,
    IDENTIFIER,
    MAX_LINE_BUFFER,
    NUMBER,
    dsn_date,
    latin1,
    malformed_line_message,
    run_pattern,
)
from rcf.dsn.reader.structure import Instance
from rcf.dsn.summary import DeclarationSummary


class DsnReader(BlockRules):
    """Reads one DSN file: :meth:`read` returns its declarations or raises
    :class:`DsnFileError`. One reader per file."""

    def __init__(self, name: str, *, chunk_size: int = CHUNK_SIZE) -> None:
        super().__init__(name)
        self.chunk_size = chunk_size
        self._crlf: bool | None = None

    # ---------------------------------------------------------------- reading

    def read(self, stream: BinaryIO) -> list[DeclarationSummary]:
        try:
            self._read_stream(stream)
            self._finish()
        except TooManyErrors:
            pass
        if self.errors:
            self.errors.sort(key=lambda error: error[0])
            raise DsnFileError([f"{self.name}:{line}: {message}" for line, message in self.errors])
        return self.declarations

    def _read_stream(self, stream: BinaryIO) -> None:
        carry = b""  # the beginning of a line that the last read cut
        line = 1
        skipping = False  # inside a line too long to hold, already reported
        while data := stream.read(self.chunk_size):
            start = 0
            if skipping or carry:
                newline = data.find(b"\n")
                if newline < 0:
                    if not skipping:
                        carry, skipping = self._hold(carry + data, line)
                    continue
                if skipping:
                    line += 1
                else:
                    end = len(carry) + newline + 1
                    line = self._scan(carry + data[: newline + 1], 0, end, line)
                carry, skipping, start = b"", False, newline + 1
            cut = data.rfind(b"\n", start) + 1
            if cut <= start:
                carry, skipping = self._hold(data[start:], line)
                continue
            line = self._scan(data, start, cut, line)
            carry, skipping = self._hold(data[cut:], line)
        if skipping:
            line += 1
        elif carry:  # a last line without line ending
            line = self._scan(carry + b"\n", 0, len(carry) + 1, line)
        self.lines = line - 1

    def _hold(self, carry: bytes, line: int) -> tuple[bytes, bool]:
        """Keep the beginning of a line for the next read, unless it is already too long to
        be a record: then report it and skip to its end."""
        if len(carry) <= MAX_LINE_BUFFER:
            return carry, False
        self._error(line, f"enregistrement de plus de {MAX_LINE_BUFFER} caractères")
        return b"", True

    def _scan(self, chunk: bytes, pos: int, end: int, line: int) -> int:
        """Read the whole lines of ``chunk[pos:end]``; ``line`` is the number of the first.
        Returns the number of the next line."""
        if self._crlf is None:  # the first line decides which ending is tried first
            newline = chunk.find(b"\n", pos, end)
            self._crlf = newline > pos and chunk[newline - 1] == 13
        match = run_pattern(self._crlf).match
        counted = pos  # newlines are counted up to here, only when a line number is needed
        while pos < end:
            found = match(chunk, pos, end) or run_pattern(not self._crlf).match(chunk, pos, end)
            if found is None:
                line += chunk.count(b"\n", counted, pos)
                counted = pos
                newline = chunk.index(b"\n", pos)
                self._malformed(chunk[pos:newline], line)
                pos = newline + 1
                continue
            stop = found.end()
            head = found.end(1)
            if head > 0:
                lines = chunk[pos : head - 1].split(b"\n")
                if not self._employee(lines):
                    line += chunk.count(b"\n", counted, pos)
                    counted = pos
                    self._general(lines, line)
                    self._pay_lines(chunk[head : head + 10], line + len(lines))
            elif found.start(2) < 0:
                if self._open is not None or self._individual is None:
                    line += chunk.count(b"\n", counted, pos)
                    counted = pos
                    self._pay_lines(chunk[pos : pos + 10], line)
            else:
                line += chunk.count(b"\n", counted, pos)
                counted = pos
                self._run(found.group(2), chunk[pos : stop - 1].split(b"\n"), line)
            pos = stop
        return line + chunk.count(b"\n", counted, end)

    def _pay_lines(self, block: bytes, line: int) -> None:
        """Pay and contribution lines (``block`` the first one's), ``line`` the first's number:
        they close the open block instance and only have to stand inside an individual."""
        if self._open is not None:
            self._close()
        if self._individual is None and not self._filler_refused:
            self._filler_refused = True
            self._error(line, f"bloc {latin1(block)} hors d'un individu (S21.G00.30)")

    def _general(self, lines: list[bytes], line: int) -> None:
        """Lines of several blocks, through the general path: one run per block."""
        start = 0
        for index in range(1, len(lines) + 1):
            if index == len(lines) or lines[index][:10] != lines[start][:10]:
                self._run(lines[start][:10], lines[start:index], line + start)
                start = index

    def _employee(self, lines: list[bytes]) -> bool:
        """The fast path for the usual employee: an individual (one instance), one contract,
        perhaps one end, all well formed, inside an establishment. Does what the general path
        would do and returns True; returns False, having changed nothing but closing the open
        instance, for anything else."""
        current = self._open
        if current is not None:
            if current.block == lines[0][:10]:
                return False  # it may continue an instance cut by a read boundary
            self._close()
        decl = self._decl
        if decl is None or not decl.takes_individuals:
            return False
        # The closing apostrophe, and the CR if any: one match has one line ending.
        cut = -2 if lines[0][-1] == 13 else -1
        found = dict(zip(map(IDENTIFIER, lines), lines, strict=True))
        # One instance of each block: no rubrique twice, and in increasing order (the lines
        # sort as their rubriques do, which have a fixed width).
        if len(found) != len(lines) or lines != sorted(lines):
            return False
        get = found.get
        nir = get(b"S21.G00.30.001")
        ntt = get(b"S21.G00.30.020")
        start = get(b"S21.G00.40.001")
        nature = get(b"S21.G00.40.007")
        end = get(b"S21.G00.62.001")
        if (nir is None and ntt is None) or start is None or nature is None:
            return False
        start_day = dsn_date(start[16:cut])
        if start_day is None or (end is None and lines[-1] > b"S21.G00.62"):
            return False
        ended = False
        if end is not None:
            end_day = dsn_date(end[16:cut])
            if end_day is None:
                return False
            motif = get(b"S21.G00.62.002")
            ended = end_day < decl.last_day and (motif is None or motif[16:cut] != ANNULMENT)  # type: ignore[operator]
        if self._individual is not None:
            self._end_individual()
        decl.individuals_started = True
        self._filler_refused = False
        workplace = get(b"S21.G00.40.019")
        abroad = get(b"S21.G00.40.024")
        contract = Contract(
            start_day,
            nature[16:cut],
            None if workplace is None else workplace[16:cut],
            abroad is not None and abroad[16:cut] in ABROAD,
        )
        contract.ended = ended
        key = b"N" + nir[16:cut] if nir is not None else b"T" + ntt[16:cut]  # type: ignore[index]
        self._individual = (key, [contract])
        return True

    def _run(self, block: bytes, lines: list[bytes], line: int) -> None:
        """Consecutive lines of one block, ``line`` the number of the first: split them into
        instances. A new instance starts when a rubrique's number is not greater than the
        previous one's; the last instance stays open, as the next run may continue it."""
        self._filler_refused = False
        numbers = list(map(NUMBER, lines))
        current = self._open
        if current is not None and not (current.block == block and numbers[0] > current.last):
            self._close()
            current = None
        if current is None:
            values = dict(zip(numbers, lines, strict=True))
            if len(values) == len(numbers) and numbers == sorted(values):
                self._open = Instance(block, line, values, numbers[-1])
                return
        for index, number in enumerate(numbers):
            current = self._open
            if current is not None and current.block == block and number > current.last:
                if index == 0:
                    segments = current.segments = current.segments or []
                    segments.append((len(current.values), line))
                current.values[number] = lines[index]
                current.last = number
            else:
                if current is not None:
                    self._close()
                self._open = Instance(block, line + index, {number: lines[index]}, number)

    def _malformed(self, raw: bytes, line: int) -> None:
        """Report a line the run pattern refused, saying what is wrong with it."""
        self._error(line, malformed_line_message(raw))
