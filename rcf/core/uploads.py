"""Uploaded files that leave nothing on disk, even when the process is killed mid-request.

Django's own handler for large uploads writes a *named* temporary file (its suffix taken from
the client's file name) and deletes it when the request ends: a worker killed by its timeout,
the OOM killer or ``kill -9`` leaves the partial file behind — a DSN, NIRs included — and a
254-character name overflows the file system's limit. Here a large upload goes to an
anonymous file: ``O_TMPFILE`` where the file system has it (the file never has a name), else
``mkstemp`` then ``unlink`` at once (a name for microseconds). The kernel frees it when the
last descriptor closes, whatever ends the process. The client's name is only ever data.
"""

from __future__ import annotations

import stat
import tempfile
import time
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.core.files.uploadhandler import FileUploadHandler

SWEEP_AGE_SECONDS = 60
"""Only files older than this are swept: younger ones may belong to a live ``mkstemp`` →
``unlink`` of another instance sharing the directory."""


def upload_temp_dir() -> Path:
    """``FILE_UPLOAD_TEMP_DIR``, created private (0700) if missing: only the service user may
    list it, so not even the microsecond-long name of the fallback is visible to others."""
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR or tempfile.gettempdir())
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    if settings.FILE_UPLOAD_TEMP_DIR and stat.S_IMODE(directory.stat().st_mode) & 0o077:
        directory.chmod(0o700)
    return directory


def anonymous_file() -> Any:
    """A read-write binary file with no name in :func:`upload_temp_dir`.

    ``tempfile.TemporaryFile`` does exactly this on Linux (``O_TMPFILE``, or ``mkstemp`` and
    ``unlink`` when the file system refuses it)."""
    return tempfile.TemporaryFile(dir=upload_temp_dir())


def sweep_upload_temp_dir(*, older_than: float = SWEEP_AGE_SECONDS) -> int:
    """Remove files left in the private upload directory (a crash inside the fallback's
    microsecond, or files of an older release); returns how many. Run by ``rcf serve``."""
    directory = Path(settings.FILE_UPLOAD_TEMP_DIR or "")
    if not settings.FILE_UPLOAD_TEMP_DIR or not directory.is_dir():
        return 0
    limit = time.time() - older_than
    removed = 0
    for entry in directory.iterdir():
        try:
            if entry.is_file() and not entry.is_symlink() and entry.stat().st_mtime < limit:
                entry.unlink()
                removed += 1
        except FileNotFoundError:  # removed meanwhile by its owner
            continue
    return removed


class UnlinkedUploadedFile(UploadedFile):
    """An upload kept in an anonymous temporary file. It has no ``temporary_file_path``: no
    code may hand its path to anything, because there is none."""

    def __init__(
        self,
        name: str,
        content_type: str | None,
        size: int,
        charset: str | None,
        content_type_extra: dict[str, Any] | None = None,
    ) -> None:
        super().__init__(anonymous_file(), name, content_type, size, charset, content_type_extra)


class UnlinkedFileUploadHandler(FileUploadHandler):
    """Streams every upload that does not fit in memory into an :class:`UnlinkedUploadedFile`.

    Listed after Django's ``MemoryFileUploadHandler`` in ``FILE_UPLOAD_HANDLERS``, in place of
    its ``TemporaryFileUploadHandler``."""

    file: UnlinkedUploadedFile

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        super().new_file(*args, **kwargs)
        self.file = UnlinkedUploadedFile(
            self.file_name or "", self.content_type, 0, self.charset, self.content_type_extra
        )

    def receive_data_chunk(self, raw_data: bytes, start: int) -> None:
        self.file.write(raw_data)
        return None

    def file_complete(self, file_size: int) -> UnlinkedUploadedFile:
        self.file.seek(0)
        self.file.size = file_size
        return self.file

    def upload_interrupted(self) -> None:
        if hasattr(self, "file"):
            self.file.close()
