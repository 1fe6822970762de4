"""The published JSON Schema of ``rcf-declaration/1`` and the fast validator compiled from it.

The schema must be a valid draft 2020-12 schema that other tools can use with any validator;
the platform's own validator must say exactly what ``jsonschema`` says about the structure
(where the errors are), and the schema must agree with the scheme file's enumerations.
"""

from __future__ import annotations

import copy
import re
from typing import Any

import jsonschema
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from rcf.referentiel.declaration import declaration_schema, schema_accepts, structural_errors
from rcf.referentiel.declaration.compiler import SchemaCompileError, compile_schema
from rcf.referentiel.tests.builders import example
from rcf.referentiel.versions import load_scheme

VALIDATOR = jsonschema.Draft202012Validator(
    declaration_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def pointer(path: Any) -> str:
    return "".join("/" + str(k).replace("~", "~0").replace("/", "~1") for k in path)


def reference_pointers(document: Any) -> set[str]:
    return {pointer(error.absolute_path) for error in VALIDATOR.iter_errors(document)}


def our_pointers(document: Any) -> set[str]:
    return {error.pointer for error in structural_errors(document)}


def test_it_publishes_a_valid_draft_2020_12_schema() -> None:
    """The schema validates against the draft 2020-12 meta-schema."""
    schema = declaration_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


@pytest.mark.parametrize("name", ["mutuelle-sans-dsn", "telecom-offshore"])
def test_it_accepts_the_valid_examples_under_the_schema(name: str) -> None:
    """The valid examples are valid for any JSON Schema validator."""
    assert list(VALIDATOR.iter_errors(example(name))) == []


def test_it_rejects_the_erroneous_example_under_the_schema() -> None:
    """erreurs-de-saisie is invalid for any validator, for the errors a schema can state (the
    contradiction and the unknown site need the platform's rules)."""
    assert reference_pointers(example("erreurs-de-saisie")) == {
        "/operators/0",
        "/workforce/1/headcount",
    }


def test_it_agrees_with_the_scheme_file() -> None:
    """The schema's enumerations are the scheme's: channels, activities, phases, statuses,
    roles, site kinds, functions, contract kinds, commitments, telework departments."""
    scheme = load_scheme("1")
    defs = declaration_schema()["$defs"]
    assert defs["channel"]["enum"] == list(scheme.enumerations["channels"])
    assert defs["activity"]["enum"] == list(scheme.enumerations["activities"])
    assert defs["phase"]["enum"] == list(scheme.enumerations["phases"])
    assert defs["scope_status"]["enum"] == list(scheme.enumerations["scope_statuses"])
    assert defs["operator"]["properties"]["role"]["enum"] == list(
        scheme.enumerations["operator_roles"]
    )
    assert defs["site"]["properties"]["kind"]["enum"] == list(scheme.enumerations["site_kinds"])
    row = defs["workforce_row"]["properties"]
    assert row["function"]["enum"] == list(scheme.enumerations["functions"])
    assert row["contract"]["enum"] == list(scheme.contract_kinds)
    assert defs["commitments"]["required"] == list(scheme.commitments)
    assert list(defs["scope"]["properties"]) == list(scheme.scope_dimensions)
    assert (
        defs["location"]["properties"]["department"]["pattern"]
        == scheme.telework_departments.pattern
    )
    countries = set(defs["country"]["enum"])
    assert set(scheme.country_aliases) | {"FR", scheme.french_law} <= countries


def test_it_reads_a_final_dollar_as_the_end_of_the_string() -> None:
    """ECMA-262: « acme\\n » does not match ^[a-z0-9]…$ (Python's $ would let it through)."""
    document = example("mutuelle-sans-dsn")
    document["operators"][0]["id"] = "brest-contact\n"
    assert "/operators/0/id" in our_pointers(document)


def test_it_refuses_to_compile_keywords_it_does_not_implement() -> None:
    """A keyword the compiler does not know stops it, rather than being ignored."""
    with pytest.raises(SchemaCompileError):
        compile_schema({"type": "string", "maxItems": 3})
    with pytest.raises(SchemaCompileError):
        compile_schema({"oneOf": [{"type": "string"}]})


# --- agreement with jsonschema on generated documents ----------------------------------------

# Strings without "\n": the one known difference is jsonschema's Python-flavoured final $.
TEXT = st.text(alphabet=st.characters(blacklist_characters="\n"), max_size=6)
STRINGS = TEXT | st.sampled_from(
    ["", "FR", "RE", "TN", "XX", "fr", "applicant", "niort", "brest-contact", "a/b", "~",
     "2026-06-30", "2026-02-30", "30/06/2026", "84533314", "845333145", "84533314500017",
     "75056", "2A004", "20004", "97411", "59", "2A", "975", "performed", "not_performed",
     "telephone", "fax", "sale", "cdi", "interim", "cdx", "establishment", "telework",
     "subcontractor", "temp_agency", "adviser", "rcf-declaration/1"]
)  # fmt: skip
SCALARS = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([0.0, 2.0, 2.5, -1.5, 1e20])
    | STRINGS
)
JSON = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=3)
        | st.dictionaries(
            STRINGS | st.sampled_from(["id", "site", "country", "headcount"]), children, max_size=3
        )
    ),
    max_leaves=6,
)


def _paths(value: Any, path: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    paths = [path]
    if isinstance(value, dict):
        for key, item in value.items():
            paths += _paths(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            paths += _paths(item, (*path, index))
    return paths


def _at(document: Any, path: tuple[Any, ...]) -> Any:
    for key in path:
        document = document[key]
    return document


@st.composite
def mutated(draw: st.DrawFn) -> Any:
    """A valid example with one to four random changes: values replaced, keys removed or
    added, array entries removed or added."""
    document: Any = example(draw(st.sampled_from(["mutuelle-sans-dsn", "telecom-offshore"])))
    for _ in range(draw(st.integers(1, 4))):
        paths = _paths(document)
        path = draw(st.sampled_from(paths))
        target: Any = _at(document, path)
        action = draw(st.sampled_from(["replace", "remove", "add"]))
        if action == "replace" or (action == "remove" and not path):
            if not path:
                document = draw(JSON)
                continue
            _at(document, path[:-1])[path[-1]] = draw(JSON)
        elif action == "remove":
            parent = _at(document, path[:-1])
            del parent[path[-1]]
        elif isinstance(target, dict):
            target[draw(STRINGS)] = draw(JSON)
        elif isinstance(target, list):
            duplicate: bool = bool(target) and draw(st.booleans())
            new_item = copy.deepcopy(draw(st.sampled_from(target))) if duplicate else draw(JSON)
            target.append(new_item)
    return document


@settings(max_examples=600, deadline=None)
@given(mutated())
def test_it_finds_structural_errors_where_jsonschema_finds_them(document: Any) -> None:
    """On any document, the compiled validator reports errors at exactly the pointers where
    the jsonschema package (draft 2020-12, formats asserted) reports them."""
    assert our_pointers(document) == reference_pointers(document)


@settings(max_examples=300, deadline=None)
@given(JSON)
def test_it_agrees_with_jsonschema_on_arbitrary_json(document: Any) -> None:
    """Even on values that look nothing like a declaration."""
    assert our_pointers(document) == reference_pointers(document)


def test_it_compiles_every_pattern_of_the_schema() -> None:
    """Every pattern of the published schema is a valid regular expression."""
    text = str(declaration_schema())
    for found in re.findall(r"'pattern': '([^']*)'", text):
        re.compile(found)


# --- the jsonschema-rs acceptance gate --------------------------------------------------------


def _compiled_errors(document: Any) -> list[Any]:
    errors: list[Any] = []
    compile_schema(declaration_schema())(document, None, None, errors)
    return errors


@settings(max_examples=400, deadline=None)
@given(mutated() | JSON)
def test_the_fast_gate_accepts_exactly_what_the_compiled_validator_accepts(document: Any) -> None:
    """jsonschema-rs only lets a document skip the compiled validator: it must accept a
    document exactly when the compiled validator finds no error in it."""
    assert schema_accepts(document, "1") is (_compiled_errors(document) == [])


def test_a_lone_surrogate_is_reported_by_the_compiled_validator() -> None:
    """``json.loads`` turns ``"\\ud800"`` into a string jsonschema-rs cannot take: the gate
    does not accept it and the error is still found, in French, at its pointer."""
    document = example("mutuelle-sans-dsn")
    document["reference_date"] = "\ud800"
    assert schema_accepts(document, "1") is False
    assert [(e.pointer, e.message[:13]) for e in structural_errors(document)] == [
        ("/reference_date", "valeur invali")
    ]


def test_an_empty_key_keeps_its_pointer() -> None:
    """jsonschema-rs drops an empty key from its error paths; the errors come from the
    compiled validator, so ``/scope/channels/`` is reported where it is."""
    document = example("mutuelle-sans-dsn")
    document["scope"]["channels"][""] = None
    assert {e.pointer for e in structural_errors(document)} == {
        "/scope/channels",
        "/scope/channels/",
    }
