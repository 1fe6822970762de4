"""The streaming DSN reader (``dsn.md``), one module per concern:

- :mod:`.lines`: the syntax of a line, the pattern that reads runs of lines, values and dates;
- :mod:`.structure`: where each block stands, and the block instance being read;
- :mod:`.declarations`: what is kept of one S20 declaration while it is read;
- :mod:`.blocks`: the structural rules checked on each complete block, and the counting;
- :mod:`.stream`: :class:`DsnReader`, reading a file in chunks and feeding the rules;
- :mod:`.errors`: :class:`DsnFileError` and the cap on reported errors;
- :mod:`.files`: :func:`read_dsn`, :func:`read_dsn_files`, :func:`read_payroll_evidence`.

The names imported from ``rcf.dsn.reader`` before it became a package are re-exported here.
"""

from __future__ import annotations

from rcf.dsn.reader.errors import MAX_ERRORS, DsnFileError
from rcf.dsn.reader.files import read_dsn, read_dsn_files, read_payroll_evidence
from rcf.dsn.reader.lines import CHUNK_SIZE, MAX_RECORD
from rcf.dsn.reader.stream import DsnReader

__all__ = [
    "CHUNK_SIZE",
    "MAX_ERRORS",
    "MAX_RECORD",
    "DsnFileError",
    "DsnReader",
    "read_dsn",
    "read_dsn_files",
    "read_payroll_evidence",
]
