"""Text that every supported database can store.

JSON may carry two things a Python ``str`` holds but the databases do not: the NUL character
(``"\\u0000"``: PostgreSQL refuses it in ``text`` and ``jsonb``, SQLite keeps it and cuts the
string short in some functions) and lone UTF-16 surrogates (``"\\ud800"``: not a character at
all, so not encodable in UTF-8). Such text is refused as an input error at its JSON Pointer,
before anything is stored, so SQLite and PostgreSQL answer alike.

The messages are French like every message of the JSON API (``rcf/api.py``), which is not
translated.
"""

from __future__ import annotations

import re
from typing import Any

from rcf.core.errors import InputError

_UNSTORABLE = re.compile("[\x00\ud800-\udfff]")


def unstorable_reason(text: str) -> str | None:
    """Why ``text`` cannot be stored (French, for the person who sent it), or ``None``."""
    found = _UNSTORABLE.search(text)
    if found is None:
        return None
    if found.group() == "\x00":
        return "Le caractère nul (U+0000) n'est pas accepté dans un texte."
    code = ord(found.group())
    return f"Caractère UTF-16 isolé (U+{code:04X}) : ce n'est pas un caractère Unicode valide."


def _escape(key: str | int) -> str:
    return str(key).replace("~", "~0").replace("/", "~1")


def unstorable_text(document: Any) -> list[InputError]:
    """Every string of a decoded JSON document (object keys included) that cannot be stored,
    each located by its JSON Pointer, in document order.

    The walk keeps its own stack rather than recursing: the document may be as deep as the
    JSON decoder allowed.
    """
    errors: list[InputError] = []
    stack: list[tuple[str, Any]] = [("", document)]
    while stack:
        pointer, value = stack.pop()
        if isinstance(value, str):
            reason = unstorable_reason(value)
            if reason:
                errors.append(InputError(pointer, reason))
        elif isinstance(value, dict):
            children = []
            for key, child in value.items():
                child_pointer = f"{pointer}/{_escape(key)}"
                reason = unstorable_reason(key) if isinstance(key, str) else None
                if reason:
                    errors.append(InputError(child_pointer, reason))
                children.append((child_pointer, child))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend(
                (f"{pointer}/{index}", child) for index, child in reversed(list(enumerate(value)))
            )
    return errors
