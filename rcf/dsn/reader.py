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

import calendar
import os
import re
from collections.abc import Callable, Iterable
from datetime import date
from functools import lru_cache
from operator import itemgetter
from typing import BinaryIO

from rcf.dsn.summary import (
    DeclarationSummary,
    WorkplaceSummary,
    establishment_territory,
    territory_scheme,
    workplace_territory,
)
from rcf.referentiel.evidence import PayrollDeclaration

MAX_ERRORS = 100
"""A malformed file reports at most this many errors (``dsn.md`` §3)."""
MAX_RECORD = 256
"""Longest record, in characters, line ending excluded (CT §3.4)."""
CHUNK_SIZE = 1 << 20
"""Bytes read at a time."""
_MAX_LINE_BUFFER = 1 << 16
"""A line longer than this is reported without being held in memory."""


@lru_cache(maxsize=2)
def _run_pattern(crlf: bool) -> re.Pattern[bytes]:
    """The pattern that consumes one run of lines, for one line ending.

    A line is ``Sxx.Gyy.zz.aaa,'`` then the value and its closing apostrophe: taken
    possessively up to the line ending, it must end with the apostrophe (the value runs to the
    last apostrophe of the line) and be 2 to 240 characters long, which refuses an empty value
    and caps the record at 256 characters. A CR that does not end the line is a character of
    the value. Possessive quantifiers and ``[^\\n]`` rather than ``[^\\r\\n]`` matter: this
    pattern is most of the reader's time.

    Groups: 1 spans the head of a usual employee (an individual, one contract, perhaps its
    end, then pay lines: one match); 2 is the block of a run of consecutive lines of one other
    block. Pay and contribution lines alone (no group) are every S21.G00 block from 31 to 99
    except the contract (40), the end of contract (62), the establishment-level contribution
    (82) and the workplace (85): the summary does not read them.
    """
    limit = MAX_RECORD - 16
    if crlf:
        tail = rb"\.\d\d\d,'[^\n]{3,%d}+(?<='\r)\n" % (limit + 1)
    else:
        tail = rb"\.\d\d\d,'[^\n]{2,%d}+(?<=')\n" % limit
    filler = rb"(?:S21\.G00\.(?:3[1-9]|4[1-9]|5\d|6[013-9]|7\d|8[013-46-9]|9\d)" + tail + rb")++"
    employee = (
        rb"((?:S21\.G00\.30" + tail + rb")++(?:S21\.G00\.40" + tail + rb")++"
        rb"(?:S21\.G00\.62" + tail + rb")*+)" + filler
    )
    block_run = rb"(S\d\d\.G\d\d\.\d\d)" + tail + rb"(?:\2" + tail + rb")*+"
    return re.compile(employee + b"|" + filler + b"|" + block_run)


_RUBRIQUE = re.compile(rb"S\d\d\.G\d\d\.\d\d\.\d{3}")
_NUMBER = itemgetter(slice(11, 14))
"""The rubrique number of a line: ``S21.G00.40.019,'…'`` → ``019``."""
_IDENTIFIER = itemgetter(slice(0, 14))
"""The rubrique of a line: ``S21.G00.40.019,'…'`` → ``S21.G00.40.019``."""

_ANNULMENT = b"099"
_ABROAD = (b"01", b"02")

# Where a block may stand. Checked when a block instance is complete.
_ENVOI, _HEADER, _DECLARATION, _COMPANY, _ESTABLISHMENT = range(5)
_ESTABLISHMENT_CHILD, _INDIVIDUAL, _CONTRACT, _END, _INDIVIDUAL_CHILD = range(5, 10)
_AFTER_INDIVIDUALS, _WORKPLACE, _TOTAL, _OUTSIDE_NORM = range(10, 14)


def _category(block: bytes) -> int:
    """Where a block stands in the structure (CT: numbered blocks, siblings in increasing
    order; the norm adds blocks every year, so unknown numbers take their range's place)."""
    level, group, number = block[:3], block[4:7], int(block[8:10])
    if group != b"G00":
        return _OUTSIDE_NORM
    if level == b"S10":
        return _ENVOI
    if level == b"S20":
        return _DECLARATION if number == 5 else _HEADER
    if level == b"S90":
        return _TOTAL if number == 90 else _OUTSIDE_NORM
    if level != b"S21":
        return _OUTSIDE_NORM
    fixed = {6: _COMPANY, 11: _ESTABLISHMENT, 30: _INDIVIDUAL, 40: _CONTRACT, 62: _END}
    fixed |= {82: _AFTER_INDIVIDUALS, 85: _WORKPLACE}
    if number in fixed:
        return fixed[number]
    if 12 <= number <= 29:
        return _ESTABLISHMENT_CHILD
    if number >= 31:
        return _INDIVIDUAL_CHILD
    return _OUTSIDE_NORM


class DsnFileError(Exception):
    """A DSN file is malformed: nothing of it may be used (``dsn.md`` §3).

    ``errors`` lists every problem found, as ``FILE:LINE: message``.
    """

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _TooManyErrors(Exception):
    pass


def _value(line: bytes) -> bytes:
    """The value of a well-formed line: after ``Sxx.Gyy.zz.aaa,'`` (16 characters), up to the
    last apostrophe, which ends the line (before a CR, if any)."""
    return line[16:-2] if line[-1] == 13 else line[16:-1]


class _Instance:
    """One block instance being read: its lines so far, by rubrique number."""

    __slots__ = ("block", "last", "line", "segments", "values")

    def __init__(self, block: bytes, line: int, values: dict[bytes, bytes], last: bytes) -> None:
        self.block = block
        self.line = line
        self.values = values
        self.last = last
        self.segments: list[tuple[int, int]] | None = None
        """(index of the first rubrique, its line) of each run after the first: an instance
        interrupted by a malformed line or a read boundary continues in a later run."""

    def get(self, number: bytes) -> bytes | None:
        """The value of one of its rubriques (``019`` …), or ``None`` when absent."""
        line = self.values.get(number)
        return None if line is None else _value(line)

    def line_of(self, number: bytes) -> int:
        """Line of one of its rubriques, for messages."""
        index = list(self.values).index(number)
        first, line = 0, self.line
        for start, start_line in self.segments or ():
            if start <= index:
                first, line = start, start_line
        return line + index - first


class _Contract:
    __slots__ = ("abroad", "ended", "nature", "start", "workplace")

    def __init__(self, start: int | None, nature: bytes, workplace: bytes | None, abroad: bool):
        self.start = start
        self.nature = nature
        self.workplace = workplace
        self.abroad = abroad
        self.ended = False


class _Declaration:
    """What one S20 declaration needs while it is read."""

    def __init__(self, instance: _Instance) -> None:
        self.line = instance.line
        self.nature = instance.get(b"001") or b""
        self.type = instance.get(b"002") or b""
        self.month = ""
        self.last_day: int | None = None
        self.company_line: int | None = None
        self.siren: bytes | None = None
        self.establishment_line: int | None = None
        self.nic: bytes | None = None
        self.siret = b""
        """SIREN + NIC: the workplace of contracts without ``S21.G00.40.019``."""
        self.postal_code: bytes | None = None
        self.country: bytes | None = None
        self.individuals_started = False
        self.after_individuals = False
        self.takes_individuals = False
        """An individual may come now: establishment read, month known, no 82/85 block yet."""
        # The identifiers are the one part of the memory that grows with the declaration:
        # needed to count distinct individuals, dropped when the declaration ends.
        self.seen: set[bytes] = set()
        self.active: set[bytes] = set()
        self.workplaces: dict[bytes, list] = {}
        """workplace → [headcount, {nature: count}, working abroad]."""
        self.places: dict[bytes, tuple[bytes | None, bytes | None]] = {}
        """S21.G00.85 identifier → (code pays, INSEE commune code)."""


@lru_cache(maxsize=4096)
def _date(value: bytes | None) -> int | None:
    """``JJMMAAAA`` as the integer AAAAMMJJ (comparable), or ``None`` when it is no date."""
    if value is None or len(value) != 8 or not value.isdigit():
        return None
    day, month, year = int(value[:2]), int(value[2:4]), int(value[4:])
    try:
        date(year, month, day)
    except ValueError:
        return None
    return year * 10000 + month * 100 + day


def _text(value: bytes) -> str:
    return value.decode("latin-1")


def _maybe_text(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")


class DsnReader:
    """Reads one DSN file: :meth:`read` returns its declarations or raises
    :class:`DsnFileError`. One reader per file."""

    def __init__(self, name: str, *, chunk_size: int = CHUNK_SIZE) -> None:
        self.name = name
        """How messages name the file (``NAME:LINE: message``)."""
        self.chunk_size = chunk_size
        self.errors: list[tuple[int, str]] = []
        """(line, message), in the order found."""
        self.declarations: list[DeclarationSummary] = []
        self.lines = 0
        self._open: _Instance | None = None
        self._decl: _Declaration | None = None
        self._individual: tuple[bytes | None, list[_Contract]] | None = None
        self._declaration_count = 0
        self._first_block = True
        self._total: _Instance | None = None
        self._filler_refused = False
        self._handlers: dict[bytes, Callable[[_Instance], None]] = {}
        self._crlf: bool | None = None

    # ---------------------------------------------------------------- reading

    def read(self, stream: BinaryIO) -> list[DeclarationSummary]:
        try:
            self._read_stream(stream)
            self._finish()
        except _TooManyErrors:
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
        if len(carry) <= _MAX_LINE_BUFFER:
            return carry, False
        self._error(line, f"enregistrement de plus de {_MAX_LINE_BUFFER} caractères")
        return b"", True

    def _scan(self, chunk: bytes, pos: int, end: int, line: int) -> int:
        """Read the whole lines of ``chunk[pos:end]``; ``line`` is the number of the first.
        Returns the number of the next line."""
        if self._crlf is None:  # the first line decides which ending is tried first
            newline = chunk.find(b"\n", pos, end)
            self._crlf = newline > pos and chunk[newline - 1] == 13
        match = _run_pattern(self._crlf).match
        counted = pos  # newlines are counted up to here, only when a line number is needed
        while pos < end:
            found = match(chunk, pos, end) or _run_pattern(not self._crlf).match(chunk, pos, end)
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
            self._error(line, f"bloc {_text(block)} hors d'un individu (S21.G00.30)")

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
        found = dict(zip(map(_IDENTIFIER, lines), lines, strict=True))
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
        start_day = _date(start[16:cut])
        if start_day is None or (end is None and lines[-1] > b"S21.G00.62"):
            return False
        ended = False
        if end is not None:
            end_day = _date(end[16:cut])
            if end_day is None:
                return False
            motif = get(b"S21.G00.62.002")
            ended = end_day < decl.last_day and (motif is None or motif[16:cut] != _ANNULMENT)  # type: ignore[operator]
        if self._individual is not None:
            self._end_individual()
        decl.individuals_started = True
        self._filler_refused = False
        workplace = get(b"S21.G00.40.019")
        abroad = get(b"S21.G00.40.024")
        contract = _Contract(
            start_day,
            nature[16:cut],
            None if workplace is None else workplace[16:cut],
            abroad is not None and abroad[16:cut] in _ABROAD,
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
        numbers = list(map(_NUMBER, lines))
        current = self._open
        if current is not None and not (current.block == block and numbers[0] > current.last):
            self._close()
            current = None
        if current is None:
            values = dict(zip(numbers, lines, strict=True))
            if len(values) == len(numbers) and numbers == sorted(values):
                self._open = _Instance(block, line, values, numbers[-1])
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
                self._open = _Instance(block, line + index, {number: lines[index]}, number)

    def _malformed(self, raw: bytes, line: int) -> None:
        """Report a line the run pattern refused, saying what is wrong with it."""
        if raw.endswith(b"\r"):
            raw = raw[:-1]
        comma = raw.find(b",")
        rubrique = raw[:comma]
        value = raw[comma + 1 :]
        if not raw:
            message = "ligne vide"
        elif len(raw) > MAX_RECORD:
            message = f"enregistrement de {len(raw)} caractères, au-delà des {MAX_RECORD} permis"
        elif comma < 0 or not _RUBRIQUE.fullmatch(rubrique):
            message = "ligne mal formée : attendu Sxx.Gxx.xx.xxx,'valeur'"
        elif len(value) < 2 or value[:1] != b"'" or value[-1:] != b"'":
            message = f"{_text(rubrique)} : valeur mal délimitée, attendu ,'valeur'"
        elif value == b"''":
            message = f"{_text(rubrique)} : valeur vide"
        else:
            message = "ligne mal formée : attendu Sxx.Gxx.xx.xxx,'valeur'"
        self._error(line, message)

    def _error(self, line: int, message: str) -> None:
        self.errors.append((line, message))
        if len(self.errors) >= MAX_ERRORS:
            raise _TooManyErrors

    # ------------------------------------------------------- block instances

    def _close(self) -> None:
        instance = self._open
        assert instance is not None
        self._open = None
        handler = self._handlers.get(instance.block)
        if handler is None:
            handler = self._handlers[instance.block] = self._handler(instance.block)
        if self._first_block:
            self._first_block = False
            if instance.block != b"S10.G00.00":
                self._error(instance.line, "l'envoi doit commencer par le bloc S10.G00.00")
        if self._total is not None and handler != self._close_total:
            self._error(instance.line, f"bloc {_text(instance.block)} après le total S90")
            return
        handler(instance)

    def _handler(self, block: bytes) -> Callable[[_Instance], None]:
        return {
            _ENVOI: self._close_envoi,
            _HEADER: self._close_header,
            _DECLARATION: self._close_declaration,
            _COMPANY: self._close_company,
            _ESTABLISHMENT: self._close_establishment,
            _ESTABLISHMENT_CHILD: self._close_establishment_child,
            _INDIVIDUAL: self._close_individual,
            _CONTRACT: self._close_contract,
            _END: self._close_end,
            _INDIVIDUAL_CHILD: self._close_individual_child,
            _AFTER_INDIVIDUALS: self._close_after_individuals,
            _WORKPLACE: self._close_workplace,
            _TOTAL: self._close_total,
            _OUTSIDE_NORM: self._close_outside_norm,
        }[_category(block)]

    def _establishment_or_error(self, instance: _Instance, what: str) -> _Declaration | None:
        decl = self._decl
        if decl is None or decl.establishment_line is None:
            self._error(instance.line, f"{what} avant l'établissement (S21.G00.11)")
            return None
        return decl

    def _close_envoi(self, instance: _Instance) -> None:
        if self._declaration_count:
            self._error(
                instance.line,
                f"bloc {_text(instance.block)} après le début des déclarations (S20.G00.05)",
            )

    def _close_header(self, instance: _Instance) -> None:
        decl = self._decl
        if decl is None or decl.company_line is not None:
            self._error(
                instance.line,
                f"bloc {_text(instance.block)} hors de l'en-tête d'une déclaration "
                "(entre S20.G00.05 et S21.G00.06)",
            )

    def _close_declaration(self, instance: _Instance) -> None:
        self._end_declaration()
        self._declaration_count += 1
        decl = self._decl = _Declaration(instance)
        for number, what in ((b"001", "nature"), (b"002", "type")):
            if number not in instance.values:
                self._error(
                    instance.line,
                    f"{what} de la déclaration manquante (S20.G00.05.{_text(number)})",
                )
        month = instance.get(b"005")
        if month is None:
            self._error(instance.line, "mois principal déclaré manquant (S20.G00.05.005)")
            return
        first_day = _date(month)
        if first_day is None or month[:2] != b"01":
            self._error(
                instance.line_of(b"005"),
                "S20.G00.05.005 : mois principal déclaré invalide, attendu 01MMAAAA",
            )
            return
        year, month_number = first_day // 10000, first_day // 100 % 100
        decl.month = f"{year:04d}-{month_number:02d}"
        decl.last_day = first_day + calendar.monthrange(year, month_number)[1] - 1

    def _close_company(self, instance: _Instance) -> None:
        decl = self._decl
        if decl is None:
            self._error(
                instance.line, "bloc entreprise S21.G00.06 hors d'une déclaration (S20.G00.05)"
            )
            return
        if decl.company_line is not None:
            self._error(instance.line, "second bloc entreprise S21.G00.06 dans la déclaration")
            return
        decl.company_line = instance.line
        siren = instance.get(b"001")
        if siren is None:
            self._error(instance.line, "SIREN manquant (S21.G00.06.001)")
        elif len(siren) != 9 or not siren.isdigit():
            self._error(
                instance.line_of(b"001"), "S21.G00.06.001 : SIREN mal formé, 9 chiffres attendus"
            )
        else:
            decl.siren = siren

    def _close_establishment(self, instance: _Instance) -> None:
        decl = self._decl
        if decl is None or decl.company_line is None:
            self._error(
                instance.line, "bloc établissement S21.G00.11 avant le bloc entreprise S21.G00.06"
            )
            return
        if decl.establishment_line is not None:
            self._error(
                instance.line,
                "second bloc établissement S21.G00.11 : une déclaration a un seul établissement",
            )
            return
        decl.establishment_line = instance.line
        get = instance.get
        nic = get(b"001")
        if nic is None:
            self._error(instance.line, "NIC manquant (S21.G00.11.001)")
        elif len(nic) != 5 or not nic.isdigit():
            self._error(
                instance.line_of(b"001"), "S21.G00.11.001 : NIC mal formé, 5 chiffres attendus"
            )
        else:
            decl.nic = nic
        decl.siret = (decl.siren or b"") + (decl.nic or b"")
        decl.postal_code = get(b"004")
        decl.country = get(b"015")
        decl.takes_individuals = decl.last_day is not None

    def _close_establishment_child(self, instance: _Instance) -> None:
        block = _text(instance.block)
        decl = self._establishment_or_error(instance, f"bloc {block}")
        if decl is not None and decl.individuals_started:
            self._error(instance.line, f"bloc {block} après les individus (S21.G00.30)")

    def _close_individual(self, instance: _Instance) -> None:
        decl = self._establishment_or_error(instance, "individu S21.G00.30")
        if decl is not None and decl.after_individuals:
            self._error(
                instance.line,
                "individu S21.G00.30 après les lieux de travail ou cotisations d'établissement "
                "(S21.G00.82, S21.G00.85)",
            )
        if decl is None or decl.after_individuals:
            self._individual = (None, [])  # misplaced: its contracts need no further message
            return
        self._end_individual()
        decl.individuals_started = True
        nir = instance.get(b"001")
        ntt = instance.get(b"020")
        key = b"N" + nir if nir is not None else b"T" + ntt if ntt is not None else None
        if key is None:
            self._error(instance.line, "individu sans NIR (S21.G00.30.001) ni NTT (S21.G00.30.020)")
        self._individual = (key, [])

    def _close_contract(self, instance: _Instance) -> None:
        if self._individual is None:
            self._error(instance.line, "contrat S21.G00.40 hors d'un individu (S21.G00.30)")
            return
        get = instance.get
        start = get(b"001")
        start_day = _date(start)
        if start is None:
            self._error(instance.line, "contrat sans date de début (S21.G00.40.001)")
        elif start_day is None:
            self._error(
                instance.line_of(b"001"), "S21.G00.40.001 : date invalide, attendu JJMMAAAA"
            )
        nature = get(b"007")
        if nature is None:
            self._error(instance.line, "contrat sans nature (S21.G00.40.007)")
            nature = b""
        abroad = get(b"024") in _ABROAD
        self._individual[1].append(_Contract(start_day, nature, get(b"019"), abroad))

    def _close_end(self, instance: _Instance) -> None:
        individual = self._individual
        if individual is None or not individual[1]:
            self._error(
                instance.line, "fin de contrat S21.G00.62 sans contrat S21.G00.40 au-dessus"
            )
            return
        end = instance.get(b"001")
        end_day = _date(end)
        if end is None:
            self._error(instance.line, "fin de contrat sans date (S21.G00.62.001)")
            return
        if end_day is None:
            self._error(
                instance.line_of(b"001"), "S21.G00.62.001 : date invalide, attendu JJMMAAAA"
            )
            return
        decl = self._decl
        # An end on the last day of the month leaves the contract active on that day: the
        # référentiel asks for no end *before* it. Motif 099 cancels an earlier end.
        last_day = decl.last_day if decl is not None else None
        if instance.get(b"002") != _ANNULMENT and last_day is not None and end_day < last_day:
            individual[1][-1].ended = True

    def _close_individual_child(self, instance: _Instance) -> None:
        # These blocks normally arrive as filler runs, checked in _scan; same rule here.
        if self._individual is None:
            self._error(
                instance.line, f"bloc {_text(instance.block)} hors d'un individu (S21.G00.30)"
            )

    def _close_after_individuals(self, instance: _Instance) -> None:
        decl = self._establishment_or_error(instance, f"bloc {_text(instance.block)}")
        if decl is not None:
            self._end_individual()
            decl.after_individuals = True
            decl.takes_individuals = False

    def _close_workplace(self, instance: _Instance) -> None:
        decl = self._establishment_or_error(instance, "lieu de travail S21.G00.85")
        if decl is None:
            return
        self._end_individual()
        decl.after_individuals = True
        decl.takes_individuals = False
        identifier = instance.get(b"001")
        if identifier is None:
            self._error(instance.line, "lieu de travail sans identifiant (S21.G00.85.001)")
            return
        decl.places.setdefault(identifier, (instance.get(b"006"), instance.get(b"011")))

    def _close_total(self, instance: _Instance) -> None:
        if self._total is not None:
            self._error(instance.line, "second bloc total de l'envoi S90.G00.90")
            return
        self._end_declaration()
        self._total = instance

    def _close_outside_norm(self, instance: _Instance) -> None:
        self._error(
            instance.line,
            f"bloc {_text(instance.block)} hors de la structure de la norme "
            "(S10, S20, S21, S90 en G00)",
        )

    # ----------------------------------------------------------- conclusions

    def _end_individual(self) -> None:
        """Count the individual that just ended (référentiel §3 point 3)."""
        individual, self._individual = self._individual, None
        decl = self._decl
        if individual is None or decl is None:
            return
        key, contracts = individual
        if key is None:
            return
        decl.seen.add(key)
        last_day = decl.last_day
        if key in decl.active or last_day is None:
            return
        for contract in contracts:
            if contract.start is not None and contract.start <= last_day and not contract.ended:
                break
        else:
            return
        decl.active.add(key)
        workplace = contract.workplace or decl.siret
        counts = decl.workplaces.get(workplace)
        if counts is None:
            counts = decl.workplaces[workplace] = [0, {}, 0]
        counts[0] += 1
        counts[1][contract.nature] = counts[1].get(contract.nature, 0) + 1
        counts[2] += contract.abroad

    def _end_declaration(self) -> None:
        if self._open is not None:
            self._close()
        self._end_individual()
        decl, self._decl = self._decl, None
        if decl is None:
            return
        if decl.company_line is None:
            self._error(decl.line, "déclaration sans bloc entreprise S21.G00.06")
        if decl.establishment_line is None:
            self._error(decl.line, "déclaration sans bloc établissement S21.G00.11")
        if self.errors:
            return  # the file is rejected: no need for its summary
        siret = decl.siret
        places = []
        scheme = territory_scheme(decl.month)
        for workplace, (headcount, natures, abroad) in decl.workplaces.items():
            if workplace in decl.places:
                country, commune = decl.places[workplace]
                territory = workplace_territory(_maybe_text(country), _maybe_text(commune), scheme)
            elif workplace == siret:
                territory = establishment_territory(
                    _maybe_text(decl.country), _maybe_text(decl.postal_code), scheme
                )
            else:
                territory = workplace_territory(None, None, scheme)
            places.append(
                WorkplaceSummary(
                    workplace=_text(workplace),
                    territory=territory,
                    headcount=headcount,
                    by_contract_nature={_text(k): v for k, v in sorted(natures.items())},
                    working_abroad=abroad,
                )
            )
        places.sort(key=lambda place: (place.workplace != _text(siret), place.workplace))
        self.declarations.append(
            DeclarationSummary(
                file=os.path.basename(self.name),
                siren=_text(decl.siren or b""),
                siret=_text(siret),
                month=decl.month,
                nature=_text(decl.nature),
                type=_text(decl.type),
                individuals=len(decl.seen),
                workplaces=tuple(places),
                ended_before_month_end=len(decl.seen) - len(decl.active),
            )
        )

    def _finish(self) -> None:
        self._end_declaration()
        last_line = max(self.lines, 1)
        if self.lines == 0:
            self._error(1, "fichier vide : aucune rubrique")
            return
        if self._declaration_count == 0:
            self._error(last_line, "aucune déclaration (S20.G00.05) dans l'envoi")
        total = self._total
        if total is None:
            self._error(last_line, "fin du fichier sans total de l'envoi (S90.G00.90)")
            return
        self._check_total(total, b"001", self.lines, "rubriques")
        self._check_total(total, b"002", self._declaration_count, "déclarations")

    def _check_total(self, total: _Instance, number: bytes, actual: int, what: str) -> None:
        rubrique = f"S90.G00.90.{_text(number)}"
        value = total.get(number)
        if value is None:
            self._error(total.line, f"total de l'envoi sans {rubrique}")
        elif not value.isdigit():
            self._error(total.line_of(number), f"{rubrique} : nombre attendu")
        elif int(value) != actual:
            self._error(
                total.line_of(number),
                f"{rubrique} annonce {int(value)} {what}, l'envoi en compte {actual}",
            )


def read_dsn(path: str | os.PathLike[str]) -> list[DeclarationSummary]:
    """The declarations of one DSN file; :class:`DsnFileError` when it is malformed."""
    name = os.fspath(path)
    with open(name, "rb") as stream:
        return DsnReader(name).read(stream)


def read_dsn_files(paths: Iterable[str | os.PathLike[str]]) -> list[DeclarationSummary]:
    """The declarations of several files, in order. When any file is malformed, raises one
    :class:`DsnFileError` carrying the errors of every malformed file."""
    declarations: list[DeclarationSummary] = []
    errors: list[str] = []
    for path in paths:
        try:
            declarations.extend(read_dsn(path))
        except DsnFileError as exc:
            errors.extend(exc.errors)
        except OSError as exc:
            errors.append(f"{os.fspath(path)}:0: fichier illisible ({exc.strerror})")
    if errors:
        raise DsnFileError(errors)
    return declarations


def read_payroll_evidence(paths: Iterable[str | os.PathLike[str]]) -> list[PayrollDeclaration]:
    """One :class:`PayrollDeclaration` per S20 declaration of the files, in order: what the
    pre-check engine takes for RCF-07. Raises :class:`DsnFileError` when any file is malformed;
    nothing of the others is returned then."""
    return [decl.as_payroll_declaration() for decl in read_dsn_files(paths)]
