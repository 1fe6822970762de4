"""The declaration formats ``rcf-declaration/<N>``: their published JSON Schemas and their
validation. A document is validated under the version its ``format`` names (version 2 adds
``contact_points``, ``referentiel-v2.md`` §1).

A document is rejected as a whole, with **every** input error, each at a JSON Pointer with a
French message (``declaration-v1.md`` §2). Validation runs in two steps over the same document:

1. the structure, by a validator compiled from the published schema (:mod:`.compiler`): types,
   required and unknown fields, enumerations, patterns, lengths, minimums, dates. A document
   is first offered to ``jsonschema-rs`` (Rust), which only *accepts*: about 8 ms instead of
   60 on the 20,000-row benchmark. Its error reports are not used: it drops an empty key from
   an error's path (``/scope/channels/`` becomes ``/scope/channels``) and refuses strings with
   a lone surrogate, which ``json.loads`` produces from ``"\ud800"`` (``docs/benchmarks.md``).
   Whenever it does not accept, the compiled validator says every error in French;
2. the rules a JSON Schema cannot state (:mod:`.rules`): duplicate ids, unknown references,
   parent cycles, the coherence of locations.

An unknown field is reported at the object that holds it (``/operators/0``: « champ inconnu
« colour » »), as JSON Schema validators do, since the field's own pointer would name nothing
the format knows. Errors are sorted by pointer (array indices in numeric order), then message.
"""

from __future__ import annotations

import functools
import json
import re
from collections.abc import Callable
from dataclasses import dataclass
from importlib import resources
from typing import Any

import jsonschema_rs

from rcf.referentiel.declaration.compiler import Check, Errors, Path, compile_schema
from rcf.referentiel.declaration.rules import APPLICANT, Shapes, rule_errors
from rcf.referentiel.scheme import Scheme
from rcf.referentiel.versions import scheme_for_declaration

__all__ = [
    "APPLICANT",
    "FORMAT",
    "DeclarationError",
    "InputError",
    "declaration_schema",
    "declaration_schema_text",
    "parse_declaration_json",
    "schema_accepts",
    "structural_errors",
    "validate_declaration",
]

FORMAT = "rcf-declaration/1"
SCHEMA_FILE = "rcf-declaration-{version}.schema.json"
"""The published JSON Schema of each scheme version's declaration format."""


@dataclass(frozen=True, slots=True, order=True)
class InputError:
    """One input error: where (a JSON Pointer, ``""`` for the whole document) and why."""

    pointer: str
    message: str

    def __str__(self) -> str:
        return f"{self.pointer}: {self.message}"


class DeclarationError(ValueError):
    """The document is not a valid ``rcf-declaration/<N>``; ``errors`` lists every reason."""

    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(str(e) for e in errors))
        self.errors = errors


def declaration_schema_text(version: str = "1") -> str:
    """The published JSON Schema of ``rcf-declaration/<version>``, exactly as shipped (``rcf
    schema declaration [--version N]`` prints it; version 1 by default, as the command did
    before version 2 existed)."""
    return _schema_text(version)


def declaration_schema(version: str = "1") -> dict[str, Any]:
    """The published JSON Schema of ``rcf-declaration/<version>``, parsed (a fresh copy:
    callers may change it)."""
    return _schema(version)


def _schema(version: str) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(_schema_text(version))
    return parsed


@functools.cache
def _schema_text(version: str) -> str:
    name = SCHEMA_FILE.format(version=version)
    return resources.files(__name__).joinpath(name).read_text("utf-8")


@functools.cache
def _compiled(version: str) -> tuple[Check, Callable[[Any], bool], Shapes]:
    schema = _schema(version)
    shapes = Shapes(
        countries=frozenset(schema["$defs"]["country"]["enum"]),
        commune=re.compile(schema["$defs"]["location"]["properties"]["commune_insee"]["pattern"]),
    )
    accepts = jsonschema_rs.Draft202012Validator(schema, validate_formats=True).is_valid
    return compile_schema(schema), accepts, shapes


def schema_accepts(document: Any, version: str) -> bool:
    """Whether ``jsonschema-rs`` accepts the document under that version's schema; ``False``
    also when it cannot take a value (a lone surrogate, a number beyond 64 bits …)."""
    _check, accepts, _shapes = _compiled(version)
    try:
        return accepts(document)
    except (ValueError, TypeError, OverflowError, RecursionError):
        return False


def _structure(document: Any, version: str, errors: Errors) -> None:
    if schema_accepts(document, version):
        return  # the usual case: a valid document is not walked in Python
    check, _accepts, _shapes = _compiled(version)
    check(document, None, None, errors)


def structural_errors(document: Any) -> list[InputError]:
    """The errors of step 1 alone (what the published schema says), sorted."""
    errors: Errors = []
    _structure(document, scheme_for_declaration(document).version, errors)
    return _sorted(errors)


def validate_declaration(document: Any, scheme: Scheme | None = None) -> list[InputError]:
    """Every input error of a parsed document under ``scheme`` (by default the version its
    ``format`` names), sorted; an empty list means it is valid."""
    scheme = scheme or scheme_for_declaration(document)
    _check, _accepts, shapes = _compiled(scheme.version)
    errors: Errors = []
    _structure(document, scheme.version, errors)
    rule_errors(document, errors, scheme, shapes)
    return _sorted(errors)


def _keys(path: Path) -> tuple[str | int, ...]:
    keys: list[str | int] = []
    while path:
        path, key = path
        keys.append(key)
    return tuple(reversed(keys))


def _sorted(errors: Errors) -> list[InputError]:
    def order(error: tuple[tuple[str | int, ...], str]) -> tuple[Any, ...]:
        keys, message = error
        # Indices sort as numbers (/workforce/2 before /workforce/10), keys as text.
        return tuple((0, k, "") if isinstance(k, int) else (1, 0, k) for k in keys), message

    unique = {(_keys(path), message) for path, message in errors}
    return [
        InputError("".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in keys), m)
        for keys, m in sorted(unique, key=order)
    ]


_JSON_MESSAGES = {
    "Expecting value": "valeur attendue",
    "Expecting ',' delimiter": "virgule « , » attendue",
    "Expecting ':' delimiter": "deux-points « : » attendus",
    "Expecting property name enclosed in double quotes": "nom de champ entre guillemets attendu",
    "Unterminated string starting at": "chaîne non terminée",
    "Invalid control character at": "caractère de contrôle interdit dans une chaîne",
    "Invalid \\escape": "séquence d'échappement « \\ » invalide",
    "Invalid \\uXXXX escape": "séquence « \\uXXXX » invalide",
    "Extra data": "données après la fin du document",
}


def parse_declaration_json(data: bytes | str) -> Any:
    """Parse the text of a declaration; a JSON syntax error is an input error at ``""`` that
    gives its line and column."""
    try:
        return json.loads(data)
    except json.JSONDecodeError as exc:
        reason = _JSON_MESSAGES.get(exc.msg, exc.msg)
        message = f"JSON mal formé, ligne {exc.lineno}, colonne {exc.colno} : {reason}"
    except UnicodeDecodeError:
        message = "le fichier n'est pas un texte UTF-8 : une déclaration est du JSON en UTF-8"
    except RecursionError:
        # A declaration is four levels deep; thousands of nested arrays are an attack.
        message = "JSON trop profondément imbriqué pour être une déclaration"
    raise DeclarationError([InputError("", message)])
