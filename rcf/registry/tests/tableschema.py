"""A small Table Schema validator: what the registry's open data must satisfy.

It checks the parts of the Table Schema specification that ``/opendata/schema.json`` uses —
field types ``string``, ``integer``, ``date``; constraints ``required``, ``unique``,
``pattern``, ``enum``, ``minimum``, ``minLength``; ``format: uri``; ``missingValues`` — on
CSV cells (text) and on JSON values (typed). Written for the tests rather than pulling in the
``frictionless`` package and its 25 dependencies.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

SCHEMA_KEYS = {"$schema", "name", "title", "description", "version", "fields"}
FIELD_KEYS = {"name", "title", "description", "type", "example", "constraints"}


def schema_problems(schema: Mapping[str, Any]) -> list[str]:
    """What the schema lacks to follow the schema.data.gouv.fr conventions."""
    problems = [f"missing {key}" for key in sorted(SCHEMA_KEYS - set(schema))]
    names = [field.get("name") for field in schema.get("fields", [])]
    if len(names) != len(set(names)):
        problems.append("duplicate field names")
    for field in schema.get("fields", []):
        problems += [f"{field.get('name')}: missing {k}" for k in sorted(FIELD_KEYS - set(field))]
        if field.get("type") not in {"string", "integer", "number", "date", "boolean"}:
            problems.append(f"{field.get('name')}: unexpected type {field.get('type')}")
        problems += [
            f"{field['name']}: its example {field['example']!r}: {p}"
            for p in cell_problems(field, field.get("example"), text=True)
        ]
    return problems


def _typed(field: Mapping[str, Any], value: Any, *, text: bool) -> tuple[Any, str | None]:
    """The value as its type, or an error."""
    kind = field["type"]
    if kind == "string":
        return (value, None) if isinstance(value, str) else (value, "not a string")
    if kind == "integer":
        if text:
            if not isinstance(value, str) or not re.fullmatch(r"[+-]?[0-9]+", value):
                return value, "not an integer"
            return int(value), None
        if isinstance(value, bool) or not isinstance(value, int):
            return value, "not an integer"
        return value, None
    if kind == "date":
        if not isinstance(value, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", value):
            return value, "not a date YYYY-MM-DD"
        try:
            return dt.date.fromisoformat(value), None
        except ValueError:
            return value, "not a calendar date"
    return value, f"type {kind} not supported by this validator"


def cell_problems(
    field: Mapping[str, Any], value: Any, *, text: bool, missing: Iterable[str] = ("",)
) -> list[str]:
    """Everything wrong with one value of ``field`` (CSV text when ``text``, else JSON)."""
    constraints = field.get("constraints", {})
    is_missing = value is None or (isinstance(value, str) and value in set(missing))
    if is_missing:
        return ["required value missing"] if constraints.get("required") else []
    typed, error = _typed(field, value, text=text)
    if error:
        return [error]
    problems = []
    if "pattern" in constraints and not re.fullmatch(constraints["pattern"], str(value)):
        problems.append(f"does not match {constraints['pattern']}")
    if "enum" in constraints and value not in constraints["enum"]:
        problems.append(f"not one of {constraints['enum']}")
    if "minimum" in constraints and typed < constraints["minimum"]:
        problems.append(f"below {constraints['minimum']}")
    if "minLength" in constraints and len(value) < constraints["minLength"]:
        problems.append(f"shorter than {constraints['minLength']}")
    if field.get("format") == "uri" and not re.fullmatch(r"https?://[^\s/$.?#][^\s]*", value):
        problems.append("not a URI")
    return problems


def table_problems(
    schema: Mapping[str, Any], rows: Sequence[Mapping[str, Any]], *, text: bool
) -> list[str]:
    """Every problem of ``rows`` against ``schema``, as « row N, field: problem »."""
    fields = schema["fields"]
    names = [field["name"] for field in fields]
    missing = schema.get("missingValues", [""])
    problems = []
    seen: dict[str, set[Any]] = {f["name"]: set() for f in fields}
    for number, row in enumerate(rows, start=1):
        if list(row) != names:
            problems.append(f"row {number}: fields {list(row)} instead of {names}")
            continue
        for field in fields:
            value = row[field["name"]]
            problems += [
                f"row {number}, {field['name']}: {problem}"
                for problem in cell_problems(field, value, text=text, missing=missing)
            ]
            if field.get("constraints", {}).get("unique"):
                if value in seen[field["name"]]:
                    problems.append(f"row {number}, {field['name']}: duplicate {value!r}")
                seen[field["name"]].add(value)
    return problems
