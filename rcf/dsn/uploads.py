"""DSN files received by upload, read straight from the upload: a DSN holds every employee's
NIR, so the file itself is never written anywhere by this module, only the counts the reader
makes of it. (A large upload waits in an anonymous temporary file that has no name on disk:
``rcf/core/uploads.py``.) The user's file name is only used in messages. Pure Python, like
the reader."""

from __future__ import annotations

import os
from collections.abc import Iterable
from typing import IO, BinaryIO, cast

from rcf.dsn.reader import DsnFileError, DsnReader
from rcf.referentiel.evidence import PayrollDeclaration

MAX_FILES = 50
"""DSN files in one upload: one per declaring establishment and month is plenty."""


class UploadRefused(ValueError):
    """The upload was refused before reading (no file, too many, too large); ``errors`` are
    French sentences naming the files as the user named them."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class _Bounded:
    """A binary reader that refuses to give more than ``max_bytes`` of ``handle``."""

    def __init__(self, handle: IO[bytes], name: str, max_bytes: int) -> None:
        self.handle, self.name, self.max_bytes, self.read_bytes = handle, name, max_bytes, 0

    def read(self, size: int = -1) -> bytes:
        # One byte past the limit is enough to know the file is too large.
        room = self.max_bytes + 1 - self.read_bytes
        data = self.handle.read(room if size < 0 else min(size, room))
        self.read_bytes += len(data)
        if self.read_bytes > self.max_bytes:
            raise UploadRefused(
                [f"{self.name} : fichier trop volumineux ({self.max_bytes} octets au plus)."]
            )
        return data


def read_uploaded_dsn(
    files: Iterable[tuple[str, IO[bytes]]], *, max_bytes: int, max_files: int = MAX_FILES
) -> list[PayrollDeclaration]:
    """The payroll evidence of uploaded DSN files, each ``source`` the name the user gave.

    Raises :class:`UploadRefused`, or :class:`DsnFileError` whose ``FILE:LINE`` errors name
    the user's files; when several files are malformed, one error carries them all.
    """
    declarations: list[PayrollDeclaration] = []
    errors: list[str] = []
    count = 0
    for index, (name, handle) in enumerate(files):
        if index >= max_files:
            raise UploadRefused([f"{max_files} fichiers au plus."])
        count += 1
        safe = os.path.basename(name) or f"dsn-{index}"
        try:
            summaries = DsnReader(safe).read(cast(BinaryIO, _Bounded(handle, safe, max_bytes)))
        except DsnFileError as exc:
            errors.extend(exc.errors)
            continue
        declarations.extend(summary.as_payroll_declaration() for summary in summaries)
    if not count:
        raise UploadRefused(["Aucun fichier DSN reçu."])
    if errors:
        raise DsnFileError(errors)
    return declarations
