"""How a malformed DSN file is reported (``dsn.md`` §3)."""

from __future__ import annotations

MAX_ERRORS = 100


class DsnFileError(Exception):
    """A DSN file is malformed: nothing of it may be used (``dsn.md`` §3).

    ``errors`` lists every problem found, as ``FILE:LINE: message``.
    """

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


class TooManyErrors(Exception):
    pass
