"""The OpenAPI document lists every operation of the stable API (platform-v1.md §3)."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from tests.support.cast import Actor, Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

SPECIFIED = {
    ("post", "/api/v1/applications"),
    ("get", "/api/v1/applications/{id}"),
    ("put", "/api/v1/applications/{id}/declaration"),
    ("post", "/api/v1/applications/{id}/dsn"),
    ("post", "/api/v1/applications/{id}/submit"),
    ("post", "/api/v1/applications/{id}/admissibility"),
    ("post", "/api/v1/applications/{id}/audits"),
    ("put", "/api/v1/audits/{id}/checklist"),
    ("post", "/api/v1/audits/{id}/close"),
    ("post", "/api/v1/applications/{id}/decision"),
    ("post", "/api/v1/certificates/{number}/suspend"),
    ("post", "/api/v1/certificates/{number}/reinstate"),
    ("post", "/api/v1/certificates/{number}/withdraw"),
    ("get", "/api/v1/certificates/{number}"),
    ("get", "/api/v1/registry"),
    ("get", "/api/v1/phone-check"),  # referentiel-v2.md §4
}


def test_it_documents_every_specified_operation(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert operations >= SPECIFIED


def test_the_declaration_body_is_one_of_the_published_schemas(client: Client) -> None:
    """The operations that take a declaration document every version's JSON Schema, exactly
    as published (``rcf schema declaration --version N``), one of them by its ``format``."""
    import json

    from rcf.referentiel.declaration import declaration_schema_text

    published = [json.loads(declaration_schema_text(version)) for version in ("1", "2")]
    document = client.get("/api/v1/openapi.json").json()
    for method, path in (
        ("post", "/api/v1/applications"),
        ("put", "/api/v1/applications/{id}/declaration"),
    ):
        body = document["paths"][path][method]["requestBody"]
        assert body["required"] is True
        assert body["content"]["application/json"]["schema"] == {"oneOf": published}
        assert "`rcf-declaration/1` ou `rcf-declaration/2`" in body["description"]
    one, two = published
    assert one["properties"]["format"] == {
        "const": "rcf-declaration/1",
        "description": "version du format : exactement « rcf-declaration/1 »",
    }
    assert two["properties"]["format"]["const"] == "rcf-declaration/2"
    assert "contact_points" in two["required"] and "contact_points" not in one["required"]


def test_each_declaration_version_matches_exactly_one_body_schema(client: Client) -> None:
    """The ``oneOf`` tells the versions apart: a valid version 1 declaration matches only the
    first schema, the same declaration in version 2 only the second; a document whose
    ``format`` names no version matches none — and the API, which reads the body by hand,
    accepts both versions as before."""
    import jsonschema

    document = client.get("/api/v1/openapi.json").json()
    schemas = document["paths"]["/api/v1/applications"]["post"]["requestBody"]["content"][
        "application/json"
    ]["schema"]["oneOf"]
    one = example_declaration()
    two = {**one, "format": "rcf-declaration/2", "contact_points": []}
    unknown = {**one, "format": "rcf-declaration/9"}

    def matches(value: Any) -> list[bool]:
        return [jsonschema.Draft202012Validator(s).is_valid(value) for s in schemas]

    assert matches(one) == [True, False]
    assert matches(two) == [False, True]
    assert matches(unknown) == [False, False]


def test_protected_operations_declare_bearer_security(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    submit = document["paths"]["/api/v1/applications/{id}/submit"]["post"]
    assert any("TokenAuth" in requirement for requirement in submit["security"])
    public = document["paths"]["/api/v1/certificates/{number}"]["get"]
    assert not public.get("security")


# --- the contract: every answer described field by field, every error status listed ---------

PROTECTED_WRITE = {401, 403, 404, 409, 413, 422, 429}
ERRORS = {
    # 409: a second open initial dossier, or beside a live certificate (platform-v1.md §4), or a
    # version that no longer accepts applications (referentiel-v2.md §3).
    ("post", "/api/v1/applications"): {401, 403, 409, 413, 422, 429},
    ("get", "/api/v1/applications/{id}"): {401, 404, 422, 429},
    ("get", "/api/v1/audits/{id}"): {401, 404, 422, 429},
    ("get", "/api/v1/certificates/{number}"): {404, 422, 429},
    ("get", "/api/v1/registry"): {422, 429},
    ("get", "/api/v1/statistics"): {429},  # no parameter, nothing private: only the rate limit
    ("get", "/api/v1/phone-check"): {422, 429},
}
"""The error statuses each operation can give; every other operation is a protected change of
an object found by its id or number: PROTECTED_WRITE."""


def _document(client: Client) -> dict[str, Any]:
    document: dict[str, Any] = client.get("/api/v1/openapi.json").json()
    return document


def _resolve(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _operations(document: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (method, path, operation)
        for path, item in document["paths"].items()
        for method, operation in item.items()
    ]


def test_every_answer_is_described_field_by_field(client: Client) -> None:
    document = _document(client)
    for method, path, operation in _operations(document):
        ok = {s: r for s, r in operation["responses"].items() if s.startswith("2")}
        assert ok, (method, path)
        for status, response in ok.items():
            schema = _resolve(response["content"]["application/json"]["schema"], document)
            assert schema["type"] == "object" and schema["properties"], (method, path, status)
            # Every field is always there (null when it has no value): nothing is optional.
            assert set(schema["required"]) == set(schema["properties"]), (method, path)


def test_every_operation_lists_the_errors_it_can_give_with_their_body(client: Client) -> None:
    document = _document(client)
    error = _resolve({"$ref": "#/components/schemas/Error"}, document)
    assert error["required"] == ["detail"]
    invalid = _resolve({"$ref": "#/components/schemas/InvalidInputError"}, document)
    assert invalid["required"] == ["detail", "errors"]
    item = _resolve(invalid["properties"]["errors"]["items"], document)
    assert set(item["required"]) == {"pointer", "message"}
    for method, path, operation in _operations(document):
        documented = {int(s) for s in operation["responses"] if not s.startswith("2")}
        assert documented == ERRORS.get((method, path), PROTECTED_WRITE), (method, path)
        for status in documented:
            schema = operation["responses"][str(status)]["content"]["application/json"]["schema"]
            expected = "InvalidInputError" if status == 422 else "Error"
            assert schema == {"$ref": f"#/components/schemas/{expected}"}, (method, path)


def _check_fields(value: Any, schema: dict[str, Any], document: dict[str, Any], where: str) -> None:
    """``value`` has every documented field and no undocumented one, at every level."""
    schema = _resolve(schema, document)
    if "anyOf" in schema:
        if value is None:
            assert {"type": "null"} in schema["anyOf"], where
            return
        (schema,) = [_resolve(s, document) for s in schema["anyOf"] if s != {"type": "null"}]
    if schema.get("type") == "object" and "properties" in schema:
        assert isinstance(value, dict), where
        assert set(schema["required"]) <= set(value), (where, set(schema["required"]) - set(value))
        assert set(value) <= set(schema["properties"]), (
            where,
            set(value) - set(schema["properties"]),
        )
        for key, child in value.items():
            _check_fields(child, schema["properties"][key], document, f"{where}/{key}")
    elif schema.get("type") == "array":
        assert isinstance(value, list), where
        for index, child in enumerate(value):
            _check_fields(child, schema["items"], document, f"{where}/{index}")


def test_real_answers_have_every_documented_field_and_no_other(cast: Cast, client: Client) -> None:
    """A whole workflow through the API: each 2xx answer against its documented schema
    (JSON Schema validation, then field by field both ways)."""
    import jsonschema

    from rcf.certification.tests.test_workflow_api import CHECKLIST_OK, _niort_dsn

    document = _document(client)
    seen: dict[tuple[str, str], int] = {}

    def check(actor: Actor | None, method: str, template: str, path: str, body: Any = None) -> Any:
        if actor is None:
            response = getattr(client, method)(path)
        elif template.endswith("/dsn"):
            response = actor.client.post(
                path, {"file": [body]}, HTTP_AUTHORIZATION=f"Bearer {actor.token}"
            )
        else:
            response = actor.call(method, path, body)
        assert 200 <= response.status_code < 300, (path, response.content)
        documented = document["paths"][template][method]["responses"][str(response.status_code)]
        schema = documented["content"]["application/json"]["schema"]
        value = response.json()
        jsonschema.Draft202012Validator(
            {**schema, "components": document["components"]},
            format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER,
        ).validate(value)
        _check_fields(value, schema, document, path)
        seen[method, template] = seen.get((method, template), 0) + 1
        return value

    a = "/api/v1/applications"
    app = check(cast.applicant, "post", a, a, example_declaration())["id"]
    check(
        cast.applicant,
        "put",
        f"{a}/{{id}}/declaration",
        f"{a}/{app}/declaration",
        example_declaration(),
    )
    from django.core.files.uploadedfile import SimpleUploadedFile

    check(
        cast.applicant,
        "post",
        f"{a}/{{id}}/dsn",
        f"{a}/{app}/dsn",
        SimpleUploadedFile("niort.dsn", _niort_dsn(65)),
    )
    check(cast.applicant, "post", f"{a}/{{id}}/submit", f"{a}/{app}/submit")
    check(
        cast.afrc,
        "post",
        f"{a}/{{id}}/admissibility",
        f"{a}/{app}/admissibility",
        {"admissible": True},
    )
    audit = check(
        cast.certifier,
        "post",
        f"{a}/{{id}}/audits",
        f"{a}/{app}/audits",
        {"auditor": "alice", "planned_on": "2026-12-10"},
    )["id"]
    au = "/api/v1/audits"
    check(
        cast.certifier,
        "put",
        f"{au}/{{id}}/sample",
        f"{au}/{audit}/sample",
        {"sampled_sites": [{"site": "niort", "reason": "Choisi."}]},
    )
    items = [
        *CHECKLIST_OK[:1],
        {"requirement": "RCF-A2", "result": "nc_majeure", "notes": "n"},
        *CHECKLIST_OK[2:],
    ]
    check(
        cast.auditor, "put", f"{au}/{{id}}/checklist", f"{au}/{audit}/checklist", {"items": items}
    )
    finding = check(
        cast.auditor,
        "post",
        f"{au}/{{id}}/findings",
        f"{au}/{audit}/findings",
        {"requirement": "RCF-A2", "severity": "major", "description": "d"},
    )["id"]
    check(cast.auditor, "post", f"{au}/{{id}}/close", f"{au}/{audit}/close")
    action = check(
        cast.applicant,
        "post",
        "/api/v1/findings/{id}/actions",
        f"/api/v1/findings/{finding}/actions",
        {"description": "Fait."},
    )
    check(
        cast.auditor,
        "post",
        "/api/v1/actions/{id}/verification",
        f"/api/v1/actions/{action['actions'][0]['id']}/verification",
        {"accepted": True},
    )
    check(cast.auditor, "get", f"{au}/{{id}}", f"{au}/{audit}")
    decided = check(
        cast.certifier,
        "post",
        f"{a}/{{id}}/decision",
        f"{a}/{app}/decision",
        {"decision": "certify", "motivation": "Conforme."},
    )
    check(cast.applicant, "get", f"{a}/{{id}}", f"{a}/{app}")
    number = decided["certificate"]["number"]
    c = "/api/v1/certificates"
    for change in ("suspend", "reinstate", "withdraw"):
        check(
            cast.certifier,
            "post",
            f"{c}/{{number}}/{change}",
            f"{c}/{number}/{change}",
            {"reason": "Motif."},
        )
    check(None, "get", f"{c}/{{number}}", f"{c}/{number}")
    check(None, "get", "/api/v1/registry", "/api/v1/registry")
    check(None, "get", "/api/v1/statistics", "/api/v1/statistics")
    check(None, "get", "/api/v1/phone-check", "/api/v1/phone-check?number=0969320000")

    assert set(seen) == {(method, path) for method, path, _ in _operations(document)}
