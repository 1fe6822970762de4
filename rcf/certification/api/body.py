"""Reading JSON request bodies: every failure is a located 422, never a 400 or a 500."""

from __future__ import annotations

import json
from typing import Annotated, Any

from django.http import HttpRequest
from ninja.parser import Parser
from pydantic import AfterValidator
from pydantic_core import PydanticCustomError

from rcf.core.errors import InputError, InvalidInput
from rcf.core.storable import unstorable_reason, unstorable_text
from rcf.referentiel.declaration import DeclarationError, parse_declaration_json


def parse_json_body(data: bytes) -> Any:
    """The decoded JSON document of a request body.

    Raises :class:`InvalidInput` at ``""`` for a body that is not JSON (located by line and
    column, as ``rcf evaluate`` says it), not Unicode, or nested deeper than the decoder goes,
    and at each string's JSON Pointer for text no database can store (``rcf.core.storable``).
    """
    try:
        document = json.loads(data)
    except RecursionError:
        raise InvalidInput([InputError("", "JSON trop profondément imbriqué.")]) from None
    except UnicodeDecodeError:
        raise InvalidInput(
            [InputError("", "Le corps n'est pas du texte UTF-8 : l'API lit du JSON en UTF-8.")]
        ) from None
    except json.JSONDecodeError:
        # The referential words syntax errors for people; asked again only on this path.
        try:
            parse_declaration_json(data)
        except DeclarationError as exc:
            raise InvalidInput(
                [InputError(error.pointer, _sentence(error.message)) for error in exc.errors]
            ) from None
        raise InvalidInput([InputError("", "Le corps n'est pas du JSON valide.")]) from None
    errors = unstorable_text(document)
    if errors:
        raise InvalidInput(errors)
    return document


def _sentence(message: str) -> str:
    # The command line prints "FILE: message"; an API error message stands alone.
    return message[:1].upper() + message[1:] + ("" if message.endswith(".") else ".")


class JsonBodyParser(Parser):
    """django-ninja's parser for operations that take a JSON body schema.

    ninja turns any exception of a parser into ``HttpError(400)`` whose cause is that
    exception; ``rcf.api`` answers the :class:`InvalidInput` cause as 422.
    """

    def parse_body(self, request: HttpRequest) -> Any:
        return parse_json_body(request.body)


def _storable(value: str) -> str:
    reason = unstorable_reason(value)
    if reason:
        raise PydanticCustomError("unstorable_text", reason)
    return value


Text = Annotated[str, AfterValidator(_storable)]
"""A string parameter or body field: refused (422 at its pointer) when no database can store it."""
