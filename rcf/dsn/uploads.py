"""DSN files received by upload: spooled to a private temporary directory for the reader and
deleted before the function returns. A DSN holds every employee's NIR: the file itself is
never kept, only the counts the reader makes of it. Pure Python, like the reader."""

from __future__ import annotations

import dataclasses
import os
import tempfile
from collections.abc import Iterable
from typing import IO

from rcf.dsn.reader import DsnFileError, read_payroll_evidence
from rcf.referentiel.evidence import PayrollDeclaration

MAX_FILES = 50
"""DSN files in one upload: one per declaring establishment and month is plenty."""
CHUNK = 1 << 20


class UploadRefused(ValueError):
    """The upload was refused before reading (no file, too many, too large); ``errors`` are
    French sentences naming the files as the user named them."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def read_uploaded_dsn(
    files: Iterable[tuple[str, IO[bytes]]], *, max_bytes: int, max_files: int = MAX_FILES
) -> list[PayrollDeclaration]:
    """The payroll evidence of uploaded DSN files, each ``source`` the name the user gave.

    Raises :class:`UploadRefused`, or :class:`DsnFileError` whose ``FILE:LINE`` errors name
    the user's files (never the temporary paths).
    """
    with tempfile.TemporaryDirectory(prefix="rcf-dsn-") as directory:
        names: dict[str, str] = {}  # temporary path → the user's name
        for index, (name, handle) in enumerate(files):
            if index >= max_files:
                raise UploadRefused([f"{max_files} fichiers au plus."])
            safe = os.path.basename(name) or f"dsn-{index}"
            # The user's name is for messages only: on disk, a name of ours (a name the client
            # chose may be longer than the file system allows, or mean something to it).
            path = os.path.join(directory, f"{index:03d}.dsn")
            _spool(handle, path, safe, max_bytes)
            names[path] = safe
        if not names:
            raise UploadRefused(["Aucun fichier DSN reçu."])
        try:
            evidence = read_payroll_evidence(list(names))
        except DsnFileError as exc:
            errors = list(exc.errors)
            for path, safe in names.items():
                errors = [error.replace(path, safe) for error in errors]
            raise DsnFileError(errors) from None
    by_basename = {os.path.basename(path): safe for path, safe in names.items()}
    return [
        dataclasses.replace(
            declaration, source=by_basename.get(declaration.source, declaration.source)
        )
        for declaration in evidence
    ]


def _spool(handle: IO[bytes], path: str, name: str, max_bytes: int) -> None:
    written = 0
    with open(path, "wb") as out:
        while chunk := handle.read(CHUNK):
            written += len(chunk)
            if written > max_bytes:
                raise UploadRefused(
                    [f"{name} : fichier trop volumineux ({max_bytes} octets au plus)."]
                )
            out.write(chunk)
