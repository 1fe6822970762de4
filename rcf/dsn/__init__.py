"""Payroll evidence from DSN files (``dsn.md``): the streaming reader and its summaries.

``rcf evaluate --dsn`` and ``rcf dsn summary`` use :func:`read_payroll_evidence`,
:func:`read_dsn_files` and :class:`DsnFileError`. Nothing here imports Django. The names are
imported on first use: Django imports this package for every ``rcf`` command, and most of
them never read a DSN.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from rcf.dsn.reader import DsnFileError, read_dsn, read_dsn_files, read_payroll_evidence
    from rcf.dsn.summary import DeclarationSummary, summary_document

__all__ = [
    "DeclarationSummary",
    "DsnFileError",
    "read_dsn",
    "read_dsn_files",
    "read_payroll_evidence",
    "summary_document",
]

_HOMES = {
    "DsnFileError": "rcf.dsn.reader",
    "read_dsn": "rcf.dsn.reader",
    "read_dsn_files": "rcf.dsn.reader",
    "read_payroll_evidence": "rcf.dsn.reader",
    "DeclarationSummary": "rcf.dsn.summary",
    "summary_document": "rcf.dsn.summary",
}


def __getattr__(name: str) -> Any:
    home = _HOMES.get(name)
    if home is None:
        raise AttributeError(f"module 'rcf.dsn' has no attribute {name!r}")
    return getattr(importlib.import_module(home), name)
