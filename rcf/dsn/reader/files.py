"""Reading DSN files by path: the entry points the rest of the platform uses."""

from __future__ import annotations

import os
from collections.abc import Iterable

from rcf.dsn.reader.errors import DsnFileError
from rcf.dsn.reader.stream import DsnReader
from rcf.dsn.summary import DeclarationSummary
from rcf.referentiel.evidence import PayrollDeclaration


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
