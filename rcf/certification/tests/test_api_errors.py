"""Every /api/ error is a JSON body with its documented status, never a 500 nor an HTML page
(platform-v1.md §4; docs/api.md): inputs that used to crash or escape the contract."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rcf.certification.models import Application, PayrollEvidence
from rcf.certification.tests.test_workflow_api import _niort_dsn
from rcf.core.storable import unstorable_text
from tests.support.cast import Actor, Cast
from tests.support.factories import example_declaration, make_certificate

pytestmark = pytest.mark.django_db

INVALID = "Données invalides."


def json_of(response: Any, status: int) -> Any:
    """The body of an answer that must be JSON with ``status``."""
    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json; charset=utf-8"
    return json.loads(response.content)


def deep(levels: int) -> str:
    return "[" * levels + "]" * levels


def raw(actor: Actor, method: str, path: str, body: bytes | str, **extra: Any) -> Any:
    """Send ``body`` exactly as given, with the actor's token."""
    return getattr(actor.client, method)(
        path,
        body,
        content_type=extra.pop("content_type", "application/json"),
        HTTP_AUTHORIZATION=f"Bearer {actor.token}",
        **extra,
    )


def draft(cast: Cast) -> int:
    created = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    assert created.status_code == 201, created.content
    return int(created.json()["id"])


# --- the registry's pages ----------------------------------------------------------------


@pytest.mark.parametrize(
    "page", ["461168601842738792", "9223372036854775807", str(10**30)], ids=["big", "max", "huge"]
)
def test_a_page_far_past_the_last_is_empty(client: Client, page: str) -> None:
    """The offset once overflowed the databases' 64-bit integers (500 on SQLite and
    PostgreSQL): a page past the last one is simply empty."""
    make_certificate()
    body = json_of(client.get("/api/v1/registry", {"page": page}), 200)
    assert body == {"count": 1, "page": int(page), "page_size": 20, "results": []}


def test_page_size_stays_clamped_and_small_pages_still_answer(client: Client) -> None:
    make_certificate()
    body = json_of(client.get("/api/v1/registry", {"page": "-5", "page_size": str(10**25)}), 200)
    assert (body["page"], body["page_size"], len(body["results"])) == (1, 100, 1)


def test_a_search_too_long_for_the_database_is_an_input_error(client: Client) -> None:
    """Each word of ``q`` is one more condition: a thousand of them exceed SQLite's limit."""
    body = json_of(client.get("/api/v1/registry", {"q": "a " * 1000}), 422)
    assert body["errors"] == [
        {"pointer": "/q", "message": "Texte trop long (200 caractères au plus)."}
    ]


# --- bodies that cannot be read ------------------------------------------------------------


def test_a_deeply_nested_declaration_is_a_located_input_error(cast: Cast) -> None:
    """990 nested arrays once exhausted the interpreter's stack (RecursionError, 500)."""
    body = json_of(raw(cast.applicant, "post", "/api/v1/applications", deep(990)), 422)
    assert body == {
        "detail": INVALID,
        "errors": [{"pointer": "", "message": "JSON trop profondément imbriqué."}],
    }
    assert not Application.objects.exists()


def test_a_deeply_nested_body_of_any_operation_is_422_not_400(cast: Cast) -> None:
    app_id = draft(cast)
    path = f"/api/v1/applications/{app_id}/admissibility"
    body = json_of(raw(cast.afrc, "post", path, '{"admissible": ' + deep(5000) + "}"), 422)
    assert body["errors"] == [{"pointer": "", "message": "JSON trop profondément imbriqué."}]


@pytest.mark.parametrize(
    ("payload", "message"),
    [
        ("{nope", "JSON mal formé, ligne 1, colonne 2 : nom de champ entre guillemets attendu."),
        (
            '{"admissible": true}}',
            "JSON mal formé, ligne 1, colonne 21 : données après la fin du document.",
        ),
        (b"\xff\xfe{", "Le corps n'est pas du texte UTF-8 : l'API lit du JSON en UTF-8."),
    ],
    ids=["syntax", "extra-data", "not-utf8"],
)
def test_a_malformed_body_is_422_with_where_it_breaks(
    cast: Cast, payload: str | bytes, message: str
) -> None:
    """ninja answered these 400 ``Cannot parse request body``; the API documents 422."""
    app_id = draft(cast)
    path = f"/api/v1/applications/{app_id}/admissibility"
    body = json_of(raw(cast.afrc, "post", path, payload), 422)
    assert body == {"detail": INVALID, "errors": [{"pointer": "", "message": message}]}
    assert Application.objects.get(pk=app_id).status == "draft"


def test_a_non_numeric_id_is_a_documented_422(cast: Cast, client: Client) -> None:
    body = json_of(cast.applicant.call("get", "/api/v1/applications/abc"), 422)
    assert body["errors"] == [{"pointer": "/id", "message": "Nombre entier attendu."}]
    # Anonymous: who asks is checked first.
    assert json_of(client.get("/api/v1/applications/abc"), 401)["detail"]


# --- bodies over the limit -----------------------------------------------------------------

OVER_LIMIT = json.dumps({"admissible": True, "comment": "x" * 2_700_000})


def test_a_json_body_over_the_limit_is_413_in_json(cast: Cast) -> None:
    """Django refuses a body over DATA_UPLOAD_MAX_MEMORY_SIZE (2.5 MB) with an HTML 400 page;
    the API says 413 in JSON, for the declaration and for any other body."""
    body = json_of(raw(cast.applicant, "post", "/api/v1/applications", OVER_LIMIT), 413)
    assert set(body) == {"detail"}
    app_id = draft(cast)
    path = f"/api/v1/applications/{app_id}/admissibility"
    json_of(raw(cast.afrc, "post", path, OVER_LIMIT), 413)
    assert Application.objects.get(pk=app_id).status == "draft"


def test_a_form_body_over_the_limit_is_413_in_json(cast: Cast) -> None:
    """Form fields beside the DSN files count against the same limit (files do not)."""
    app_id = draft(cast)
    response = cast.applicant.client.post(
        f"/api/v1/applications/{app_id}/dsn",
        {"note": "x" * 2_700_000, "file": [SimpleUploadedFile("a.dsn", _niort_dsn(2))]},
        HTTP_AUTHORIZATION=f"Bearer {cast.applicant.token}",
    )
    json_of(response, 413)
    assert not PayrollEvidence.objects.exists()


def test_anonymous_big_bodies_are_told_to_authenticate_in_json(client: Client) -> None:
    response = client.post("/api/v1/applications", OVER_LIMIT, content_type="application/json")
    assert json_of(response, 401)["detail"]


# --- text no database can store --------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("Mutuelle\u0000", "Le caractère nul (U+0000) n'est pas accepté dans un texte."),
        (
            "Mutuelle\ud800",
            "Caractère UTF-16 isolé (U+D800) : ce n'est pas un caractère Unicode valide.",
        ),
    ],
    ids=["nul", "lone-surrogate"],
)
def test_a_declaration_holding_unstorable_text_is_refused_before_storing(
    cast: Cast, text: str, message: str
) -> None:
    """PostgreSQL refused it with a 500, SQLite stored it: refused alike, located, nothing
    stored, on creation and on replacement."""
    declaration = example_declaration()
    declaration["applicant"]["brands"] = ["Mutuelle", text]
    declaration["sites"][0]["name"] = text
    body = json_of(cast.applicant.call("post", "/api/v1/applications", declaration), 422)
    assert body["errors"] == [
        {"pointer": "/applicant/brands/1", "message": message},
        {"pointer": "/sites/0/name", "message": message},
    ]
    assert not Application.objects.exists()

    app_id = draft(cast)
    before = Application.objects.get(pk=app_id).declaration
    path = f"/api/v1/applications/{app_id}/declaration"
    body = json_of(cast.applicant.call("put", path, declaration), 422)
    assert [e["pointer"] for e in body["errors"]] == ["/applicant/brands/1", "/sites/0/name"]
    assert Application.objects.get(pk=app_id).declaration == before


def test_unstorable_text_in_any_body_field_or_parameter_is_located(
    cast: Cast, client: Client
) -> None:
    app_id = draft(cast)
    assert cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit").status_code == 200
    path = f"/api/v1/applications/{app_id}/admissibility"
    body = json_of(cast.afrc.call("post", path, {"admissible": False, "comment": "a\u0000"}), 422)
    assert [e["pointer"] for e in body["errors"]] == ["/comment"]
    assert Application.objects.get(pk=app_id).status == "submitted"

    assert (
        json_of(client.get("/api/v1/registry", {"q": "a\x00"}), 422)["errors"][0]["pointer"] == "/q"
    )
    assert json_of(client.get("/api/v1/certificates/RCF%00"), 422)["errors"][0]["pointer"] == (
        "/number"
    )


def test_the_check_walks_keys_and_any_depth() -> None:
    document: Any = {"a/b": ["ok", {"k~\u0000": 1}], "z": "\udfff"}
    assert [e.pointer for e in unstorable_text(document)] == ["/a~1b/1/k~0\u0000", "/z"]
    nested: Any = "\u0000"
    for _ in range(50_000):  # deeper than any recursion would go
        nested = [nested]
    assert unstorable_text(nested)[0].pointer == "/0" * 50_000


# --- DSN uploads -----------------------------------------------------------------------------


def test_a_dsn_with_a_very_long_file_name_is_read(cast: Cast) -> None:
    """The client's name was used on disk: 254 characters with our prefix exceeded the file
    system's limit ("File name too long", 500)."""
    app_id = draft(cast)
    name = "n" * 250 + ".dsn"
    response = cast.applicant.client.post(
        f"/api/v1/applications/{app_id}/dsn",
        {"file": [SimpleUploadedFile(name, _niort_dsn(65))]},
        HTTP_AUTHORIZATION=f"Bearer {cast.applicant.token}",
    )
    assert json_of(response, 200)["evaluation"]["verdict"] == "eligible"
    assert PayrollEvidence.objects.get(application_id=app_id).file_name == name


def test_a_malformed_dsn_names_the_users_file_not_ours(cast: Cast) -> None:
    app_id = draft(cast)
    name = "m" * 250 + ".dsn"
    response = cast.applicant.client.post(
        f"/api/v1/applications/{app_id}/dsn",
        {"file": [SimpleUploadedFile(name, b"S10.G00.00.001,'x'\n")]},
        HTTP_AUTHORIZATION=f"Bearer {cast.applicant.token}",
    )
    messages = [e["message"] for e in json_of(response, 422)["errors"]]
    assert messages and all(m.startswith(f"{name}:") for m in messages)
    assert not PayrollEvidence.objects.exists()


# --- addresses, methods and bugs -------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/nothing", "/api/v2/registry", "/api/", "/api/v1/registry/"]
)
def test_an_address_that_is_no_operation_is_404_in_json(client: Client, path: str) -> None:
    assert json_of(client.get(path), 404)["detail"]


def test_a_method_an_operation_does_not_take_is_405_in_json(cast: Cast) -> None:
    response = cast.applicant.call("delete", "/api/v1/registry")
    assert json_of(response, 405)["detail"]
    assert response["Allow"] == "GET"


def test_a_bug_is_a_json_500_and_is_logged(
    client: Client, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    from rcf.certification.api import certificate

    def broken(**kwargs: Any) -> Any:
        raise RuntimeError("bug")

    monkeypatch.setattr(certificate, "registry_search", broken)
    quiet = Client(raise_request_exception=False)
    with caplog.at_level("ERROR", logger="django.request"):
        body = json_of(quiet.get("/api/v1/registry"), 500)
    assert set(body) == {"detail"}
    assert any(r.exc_info and r.exc_info[0] is RuntimeError for r in caplog.records)


def test_a_country_of_the_wrong_type_is_an_input_error_not_a_crash(cast: Cast) -> None:
    """Found by the fuzzer: the declaration rules looked a list up in a set (500)."""
    declaration = example_declaration()
    declaration["sites"][0]["location"]["country"] = [None, None]
    body = json_of(cast.applicant.call("post", "/api/v1/applications", declaration), 422)
    assert "/sites/0/location/country" in [e["pointer"] for e in body["errors"]]
    assert not Application.objects.exists()
