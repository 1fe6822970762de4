"""Where private files (audit evidence) are kept: ``STORAGES["evidence"]``.

The default keeps them in ``RCF_UPLOAD_DIR`` (in the data directory), readable by the service
user only. Several instances of the platform need one place they all reach: a shared
directory (``"OPTIONS": {"location": …}``) or an object store through django-storages
(``RCF_STORAGE_EVIDENCE``, docs/operations.md). Code reads and writes these files only
through ``storages["evidence"]``, never with ``open()``.
"""

from __future__ import annotations

import hashlib
import os
from typing import IO, Any, cast

from django.conf import settings
from django.core.files import File
from django.core.files.storage import FileSystemStorage, Storage, storages

EVIDENCE = "evidence"


class PrivateFileSystemStorage(FileSystemStorage):
    """A file system storage defaulting to ``RCF_UPLOAD_DIR``, files 0600 in 0700 directories,
    that never overwrites a file (names are random; a clash would be a bug, not a replace)."""

    def __init__(self, location: str | None = None, **kwargs: Any) -> None:
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(location=location, **kwargs)
        self._private_location = location

    @property
    def base_location(self) -> str:
        # Read on each use: tests and `rcf restore` may point RCF_UPLOAD_DIR elsewhere.
        return str(self._private_location or settings.RCF_UPLOAD_DIR)

    @property
    def location(self) -> str:
        return os.path.abspath(self.base_location)

    def url(self, name: str | None) -> str:
        raise NotImplementedError("private files have no public address")


def evidence_storage() -> Storage:
    return storages[EVIDENCE]


class TooLarge(Exception):
    """More than the reader's ``limit`` bytes were offered."""


class DigestingReader:
    """Reads ``head`` then the rest of ``handle``, counting and hashing (SHA-256) what passes,
    and raises :class:`TooLarge` past ``limit`` bytes: a storage consumes it as a file, so the
    size is enforced while the bytes flow, whatever the client announced."""

    def __init__(self, handle: Any, *, head: bytes = b"", limit: int) -> None:
        self.handle, self.pending, self.limit = handle, head, limit
        self.size = 0
        self.digest = hashlib.sha256()

    def read(self, size: int = -1) -> bytes:
        if self.pending:
            data = self.pending if size < 0 else self.pending[:size]
            self.pending = self.pending[len(data) :]
        else:
            data = self.handle.read(size)
        self.size += len(data)
        if self.size > self.limit:
            raise TooLarge
        self.digest.update(data)
        return data

    def seekable(self) -> bool:
        return False

    def as_file(self) -> File:
        """This reader as the ``File`` a storage's ``save`` takes."""
        return File(cast(IO[bytes], self))
