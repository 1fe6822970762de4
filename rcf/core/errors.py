"""Domain errors raised by services and turned into HTTP answers by views and the API.

A service never returns an HTTP status: it raises one of these, and the web page turns it into
a message, the API into 403/404/409/422, the command line into an exit status. The message is
translatable French meant for the person who tried.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext as _


class DomainError(Exception):
    """Base of the errors a service raises on purpose.

    The message may be lazy (``gettext_lazy``): it is put into words when read, in the language
    of whoever reads it, so a 409 on an English page is in English.
    """

    status_code = 400

    def __init__(self, message: str | Promise) -> None:
        super().__init__(message)
        self._message = message

    @property
    def message(self) -> str:
        return str(self._message)

    def __str__(self) -> str:
        return self.message


class NotFound(DomainError):
    """The object does not exist *for this user* (existence is not leaked): 404."""

    status_code = 404


class ActionForbidden(DomainError):
    """The user may see the object but not do this: 403."""

    status_code = 403


class TransitionNotAllowed(DomainError):
    """The object's current state forbids the action: 409."""

    status_code = 409


@dataclass(frozen=True)
class InputError:
    """One located input error: a JSON Pointer (or form field) and a message."""

    pointer: str
    message: str

    def as_dict(self) -> dict[str, str]:
        return {"pointer": self.pointer, "message": self.message}


class InvalidInput(DomainError):
    """The input was refused as a whole; ``errors`` lists every problem found: 422."""

    status_code = 422

    def __init__(self, errors: list[InputError], message: str | Promise = "") -> None:
        message = message or _("Données invalides.")
        super().__init__(message)
        self.errors = errors

    def __str__(self) -> str:
        details = "; ".join(f"{e.pointer or '/'}: {e.message}" for e in self.errors)
        return f"{self.message} {details}" if details else self.message
