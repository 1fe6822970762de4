"""The OpenAPI document lists every operation of the stable API (platform-v1.md §3)."""

from __future__ import annotations

import pytest
from django.test import Client

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
}


def test_it_documents_every_specified_operation(client: Client) -> None:
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = response.json()
    assert document["openapi"].startswith("3.")
    operations = {(method, path) for path, item in document["paths"].items() for method in item}
    assert operations >= SPECIFIED


def test_the_declaration_body_is_the_published_schema(client: Client) -> None:
    """POST /applications documents its body with the rcf-declaration/1 JSON Schema."""
    from rcf.referentiel.declaration import declaration_schema

    document = client.get("/api/v1/openapi.json").json()
    body = document["paths"]["/api/v1/applications"]["post"]["requestBody"]
    assert body["content"]["application/json"]["schema"] == declaration_schema()


def test_protected_operations_declare_bearer_security(client: Client) -> None:
    document = client.get("/api/v1/openapi.json").json()
    submit = document["paths"]["/api/v1/applications/{id}/submit"]["post"]
    assert any("TokenAuth" in requirement for requirement in submit["security"])
    public = document["paths"]["/api/v1/certificates/{number}"]["get"]
    assert not public.get("security")
