"""The lines of a DSN file: the pattern that reads runs of well-formed lines, the parts of a
line, the values (dates, texts) and what is wrong with a line the pattern refuses.

A line is ``Sxx.Gyy.zz.aaa,'value'`` (NEODeS, CT §3.4), at most 256 characters, ISO-8859-1.
"""

from __future__ import annotations

import re
from datetime import date
from functools import lru_cache
from operator import itemgetter

"""A malformed file reports at most this many errors (``dsn.md`` §3)."""
MAX_RECORD = 256
"""Longest record, in characters, line ending excluded (CT §3.4)."""
CHUNK_SIZE = 1 << 20
"""Bytes read at a time."""
MAX_LINE_BUFFER = 1 << 16
"""A line longer than this is reported without being held in memory."""


@lru_cache(maxsize=2)
def run_pattern(crlf: bool) -> re.Pattern[bytes]:
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


RUBRIQUE = re.compile(rb"S\d\d\.G\d\d\.\d\d\.\d{3}")
NUMBER = itemgetter(slice(11, 14))
"""The rubrique number of a line: ``S21.G00.40.019,'…'`` → ``019``."""
IDENTIFIER = itemgetter(slice(0, 14))
"""The rubrique of a line: ``S21.G00.40.019,'…'`` → ``S21.G00.40.019``."""

ANNULMENT = b"099"
"""End-of-contract motif that cancels an earlier end (S21.G00.62.002)."""
ABROAD = (b"01", b"02")
"""Values of S21.G00.40.024 that say the person works abroad."""


def value_of(line: bytes) -> bytes:
    """The value of a well-formed line: after ``Sxx.Gyy.zz.aaa,'`` (16 characters), up to the
    last apostrophe, which ends the line (before a CR, if any)."""
    return line[16:-2] if line[-1] == 13 else line[16:-1]


@lru_cache(maxsize=4096)
def dsn_date(value: bytes | None) -> int | None:
    """``JJMMAAAA`` as the integer AAAAMMJJ (comparable), or ``None`` when it is no date."""
    if value is None or len(value) != 8 or not value.isdigit():
        return None
    day, month, year = int(value[:2]), int(value[2:4]), int(value[4:])
    try:
        date(year, month, day)
    except ValueError:
        return None
    return year * 10000 + month * 100 + day


def latin1(value: bytes) -> str:
    return value.decode("latin-1")


def maybe_latin1(value: bytes | None) -> str | None:
    return None if value is None else value.decode("latin-1")


def malformed_line_message(raw: bytes) -> str:
    """What is wrong with a line the run pattern refused (without its newline), in French.
    Never quotes the value: it may be a NIR."""
    if raw.endswith(b"\r"):
        raw = raw[:-1]
    comma = raw.find(b",")
    rubrique = raw[:comma]
    value = raw[comma + 1 :]
    if not raw:
        message = "ligne vide"
    elif len(raw) > MAX_RECORD:
        message = f"enregistrement de {len(raw)} caractères, au-delà des {MAX_RECORD} permis"
    elif comma < 0 or not RUBRIQUE.fullmatch(rubrique):
        message = "ligne mal formée : attendu Sxx.Gxx.xx.xxx,'valeur'"
    elif len(value) < 2 or value[:1] != b"'" or value[-1:] != b"'":
        message = f"{latin1(rubrique)} : valeur mal délimitée, attendu ,'valeur'"
    elif value == b"''":
        message = f"{latin1(rubrique)} : valeur vide"
    else:
        message = "ligne mal formée : attendu Sxx.Gxx.xx.xxx,'valeur'"
    return message
