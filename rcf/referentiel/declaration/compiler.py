"""A fast validator compiled from the published JSON Schema (the subset of draft 2020-12 it uses).

The ``jsonschema`` package walks the schema anew for every value; on a declaration of 20,000
workforce rows that costs seconds. Here the schema is turned once into nested Python closures,
one per schema node, that check a value and append ``(path, message)`` to a list. The schema
stays the single description of the format's structure: the closures only follow it, and a
keyword they do not know stops the compilation instead of being silently ignored.

Semantics follow JSON Schema where they differ from Python: ``integer`` accepts ``3.0`` but not
``true``; an unknown field does not stop the checks of the known ones; ``pattern`` is searched,
not matched, but a final ``$`` means the end of the string, as in ECMA-262 (Python's ``$`` also
matches before a final newline). Errors land exactly where any validator puts them (a test
compares with ``jsonschema``); a value breaking several keywords of one node gets one message
(a malformed date is not also called a wrong pattern).

A path is built only when an error is found: each closure receives its parent's path and its
own key as a linked pair ``(parent_path, key)``, ``()`` being the document itself.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

Path = tuple[Any, ...]
"""``()`` for the document, else ``(parent_path, key)``; ``key`` is a str or an array index."""
Errors = list[tuple[Path, str]]
Check = Callable[[Any, Path | None, Any, Errors], None]
"""``check(value, parent_path, key, errors)``: the value's path is ``(parent_path, key)``, or
``()`` when ``parent_path`` is ``None`` (the document). Leaves build their path only to report an
error, which keeps the valid case fast."""

ANNOTATIONS = {"$schema", "$id", "$comment", "title", "description"}

_TYPES: dict[str, tuple[Callable[[Any], bool], str]] = {
    "boolean": (lambda v: isinstance(v, bool), "doit valoir true ou false"),
    "integer": (
        lambda v: (
            (isinstance(v, int) and not isinstance(v, bool))
            or (isinstance(v, float) and v.is_integer())
        ),
        "doit être un nombre entier",
    ),
}

_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


class SchemaCompileError(ValueError):
    """The schema uses something the compiler does not implement."""


def json_type(value: Any) -> str:
    """The JSON type of a value, in French, for messages."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "un booléen"
    if isinstance(value, int | float):
        return "un nombre"
    if isinstance(value, str):
        return "une chaîne"
    if isinstance(value, list):
        return "un tableau"
    return "un objet"


def shown(value: Any, limit: int = 40) -> str:
    """A value as a message quotes it: strings between « », shortened when long."""
    text = value if isinstance(value, str) else repr(value)
    if len(text) > limit:
        text = text[: limit - 1] + "…"
    return f"« {text} »"


def _frozen(value: Any) -> Any:
    """A hashable stand-in with JSON equality: 1 == 1.0, but 1 != true."""
    if isinstance(value, bool) or value is None:
        return ("literal", value)
    if isinstance(value, int | float):
        return ("number", value)
    if isinstance(value, str):
        return ("string", value)
    if isinstance(value, list):
        return ("array", tuple(_frozen(v) for v in value))
    return ("object", frozenset((k, _frozen(v)) for k, v in value.items()))


def _ecma_pattern(pattern: str) -> re.Pattern[str]:
    if pattern.endswith("$") and not pattern.endswith("\\$"):
        pattern = pattern[:-1] + r"\Z"
    return re.compile(pattern)


def _here(parent: Path | None, key: Any) -> Path:
    return () if parent is None else (parent, key)


class Compiler:
    """Compiles the nodes of one schema document, resolving its local ``$ref``s.

    Each node becomes one closure for its ``type`` (object, array, string, integer, boolean)
    holding all its other keywords, or a closure for ``const``/``enum`` when it has no type.
    Combinations the schema does not use (``enum`` on an object …) are refused.
    """

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._refs: dict[str, Check] = {}

    def compile(self) -> Check:
        return self.node(self.schema)

    def ref(self, ref: str) -> Check:
        if not ref.startswith("#/$defs/"):
            raise SchemaCompileError(f"only local $defs references are supported: {ref}")
        if ref not in self._refs:
            target = self.schema["$defs"][ref.removeprefix("#/$defs/")]
            # The schema has no recursive definitions; a cycle would recurse forever here.
            self._refs[ref] = self.node(target)
        return self._refs[ref]

    def node(self, node: dict[str, Any]) -> Check:
        keywords = set(node) - ANNOTATIONS - {"$defs"}
        if "$ref" in node:
            if keywords != {"$ref"}:
                raise SchemaCompileError("$ref beside other assertions is not supported")
            return self.ref(node["$ref"])
        kind = node.get("type")
        allowed = _KEYWORDS.get(kind)
        if allowed is None:
            raise SchemaCompileError(f"unsupported type {kind!r}")
        if keywords - allowed:
            unsupported = ", ".join(sorted(keywords - allowed))
            raise SchemaCompileError(f"unsupported keyword(s) for type {kind!r}: {unsupported}")
        if kind == "object":
            return self._object(node)
        if kind == "array":
            return self._array(node)
        if kind == "string":
            return self._string(node)
        if kind is None:
            return self._values(node)
        return self._scalar(kind, node)

    @staticmethod
    def _values(node: dict[str, Any]) -> Check:
        """``const`` or ``enum`` alone (any type)."""
        allowed = [node["const"]] if "const" in node else list(node["enum"])
        frozen = {_frozen(v) for v in allowed}
        message = _values_message(node)

        def check_values(value: Any, parent: Path | None, key: Any, errors: Errors) -> None:
            if _frozen(value) not in frozen:
                errors.append((_here(parent, key), message(value)))

        return check_values

    @staticmethod
    def _scalar(kind: str, node: dict[str, Any]) -> Check:
        """``integer`` or ``boolean``, with ``minimum``."""
        is_type, wrong = _TYPES[kind]
        minimum = node.get("minimum")

        def check_scalar(value: Any, parent: Path | None, key: Any, errors: Errors) -> None:
            if not is_type(value):
                errors.append((_here(parent, key), f"{wrong} (reçu : {json_type(value)})"))
            elif minimum is not None and value < minimum:
                errors.append(
                    (
                        _here(parent, key),
                        f"doit être supérieur ou égal à {minimum} (reçu : {value})",
                    )
                )

        return check_scalar

    def _object(self, node: dict[str, Any]) -> Check:
        properties = {key: self.node(sub) for key, sub in node.get("properties", {}).items()}
        required = tuple(node.get("required", ()))
        additional = node.get("additionalProperties", True)
        extra: Check | None = None
        if isinstance(additional, dict):
            extra = self.node(additional)
        elif additional is not True and additional is not False:
            raise SchemaCompileError("additionalProperties must be a boolean or a schema")
        names = self.node(node["propertyNames"]) if "propertyNames" in node else None
        get = properties.get

        def check_object(value: Any, parent: Path | None, key: Any, errors: Errors) -> None:
            here = _here(parent, key)
            if not isinstance(value, dict):
                errors.append((here, f"doit être un objet JSON (reçu : {json_type(value)})"))
                return
            for name, item in value.items():
                if names is not None:
                    name_errors: Errors = []
                    names(name, parent, key, name_errors)
                    errors.extend((at, f"clé {shown(name)} : {msg}") for at, msg in name_errors)
                check = get(name)
                if check is not None:
                    check(item, here, name, errors)
                elif extra is not None:
                    extra(item, here, name, errors)
                elif additional is False:
                    errors.append((here, f"champ inconnu {shown(name)}"))
            for name in required:
                if name not in value:
                    errors.append((here, f"champ obligatoire manquant {shown(name)}"))

        return check_object

    def _array(self, node: dict[str, Any]) -> Check:
        items = self.node(node["items"]) if "items" in node else None
        min_items = node.get("minItems", 0)
        unique = node.get("uniqueItems", False)
        too_few = (
            "ne doit pas être vide"
            if min_items == 1
            else (f"doit compter au moins {min_items} éléments")
        )

        def check_array(value: Any, parent: Path | None, key: Any, errors: Errors) -> None:
            here = _here(parent, key)
            if not isinstance(value, list):
                errors.append((here, f"doit être un tableau JSON (reçu : {json_type(value)})"))
                return
            if items is not None:
                for index, item in enumerate(value):
                    items(item, here, index, errors)
            if len(value) < min_items:
                errors.append((here, too_few))
            if unique and len(value) > 1:
                duplicate = _first_duplicate(value)
                if duplicate is not None:
                    errors.append((here, f"contient des doublons : {shown(duplicate[0])}"))

        return check_array

    @staticmethod
    def _string(node: dict[str, Any]) -> Check:
        """A string with ``const``/``enum``, lengths, ``pattern`` and ``format: date``; one
        message per value (a malformed date need not also be called a wrong pattern)."""
        tests: list[tuple[Callable[[str], bool], Callable[[str], str]]] = []
        if "const" in node or "enum" in node:
            allowed = frozenset([node["const"]] if "const" in node else node["enum"])
            if not all(isinstance(v, str) for v in allowed):
                raise SchemaCompileError("a string's enum must hold strings")
            tests.append((allowed.__contains__, _values_message(node)))
        description = node.get("description", "")
        low, high = node.get("minLength"), node.get("maxLength")
        if low is not None and low == high:
            tests.append(
                (
                    lambda s: len(s) == low,
                    lambda s: (
                        f"doit compter exactement {low} caractères ({len(s)} reçus : {shown(s)})"
                    ),
                )
            )
        else:
            if low is not None:
                tests.append(
                    (
                        lambda s: len(s) >= low,
                        lambda s: (
                            "ne doit pas être vide"
                            if low == 1
                            else f"doit compter au moins {low} caractères"
                        ),
                    )
                )
            if high is not None:
                tests.append(
                    (lambda s: len(s) <= high, lambda s: f"doit compter au plus {high} caractères")
                )
        if "pattern" in node:
            search = _ecma_pattern(node["pattern"]).search
            tests.append(
                (
                    lambda s: search(s) is not None,
                    lambda s: f"valeur invalide {shown(s)} : {description}",
                )
            )
        if node.get("format") == "date":
            tests.append((_is_date, lambda s: f"date invalide {shown(s)} : {description}"))
        elif "format" in node:
            raise SchemaCompileError(f"unsupported format {node['format']!r}")
        only_values = "enum" in node or "const" in node

        def check_string(value: Any, parent: Path | None, key: Any, errors: Errors) -> None:
            if not isinstance(value, str):
                # With an enumeration, say which values are admitted rather than the type.
                wrong = (
                    tests[0][1](value)
                    if only_values
                    else (f"doit être une chaîne de caractères (reçu : {json_type(value)})")
                )
                errors.append((_here(parent, key), wrong))
                return
            for test, message in tests:
                if not test(value):
                    errors.append((_here(parent, key), message(value)))
                    return

        return check_string


_KEYWORDS: dict[str | None, set[str]] = {
    "object": {"type", "properties", "required", "additionalProperties", "propertyNames"},
    "array": {"type", "items", "minItems", "uniqueItems"},
    "string": {"type", "const", "enum", "pattern", "minLength", "maxLength", "format"},
    "integer": {"type", "minimum"},
    "boolean": {"type"},
    None: {"const", "enum"},
}
"""The keywords the compiler implements, by type."""


def _values_message(node: dict[str, Any]) -> Callable[[Any], str]:
    if "const" in node:
        expected = f"doit valoir {shown(node['const'])}"
        return lambda value: f"valeur {shown(value)} ; {expected}"
    allowed = list(node["enum"])
    if len(allowed) <= 20:
        expected = f"valeurs admises : {', '.join(str(v) for v in allowed)}"
    else:
        expected = node.get("description", "valeur hors de la liste admise")
    return lambda value: f"valeur inconnue {shown(value)} ; {expected}"


def _first_duplicate(values: list[Any]) -> tuple[Any] | None:
    """The first value seen twice (in a 1-tuple, as it may be ``None``), with JSON equality."""
    if all(isinstance(v, str) for v in values) and len(set(values)) == len(values):
        return None
    seen: set[Any] = set()
    for value in values:
        frozen = _frozen(value)
        if frozen in seen:
            return (value,)
        seen.add(frozen)
    return None


def _is_date(text: str) -> bool:
    """``format: date`` as asserted by JSON Schema: ``YYYY-MM-DD`` and a day that exists."""
    if not _DATE.fullmatch(text):
        return False
    try:
        dt.date.fromisoformat(text)
    except ValueError:
        return False
    return True


def compile_schema(schema: dict[str, Any]) -> Check:
    """A function ``check(document, None, None, errors)`` appending every structural error."""
    return Compiler(schema).compile()
