"""The HTTP API ``/api/v1/`` (platform-v1.md §3) and its OpenAPI document.

Endpoints live in each app's ``api.py`` and stay thin: they find the object the user may see
(404 otherwise), call the service, and shape the answer. Domain errors become statuses here,
in one place: ``ActionForbidden`` 403, ``NotFound`` 404, ``TransitionNotAllowed`` 409,
``InvalidInput`` 422 with every error as ``{"pointer", "message"}``.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.errors import ValidationError as NinjaValidationError

from rcf.core.errors import DomainError, InvalidInput

api = NinjaAPI(
    title="Relation Client France",
    version="1",
    description=(
        "API de la plateforme du label Relation Client France : dossiers, audits, décisions, "
        "certificats et registre public. Authentification : `Authorization: Bearer <jeton>` "
        "(`rcf tokens create UTILISATEUR`)."
    ),
    urls_namespace="api",
    openapi_url="/openapi.json",
    docs_url="/docs",
)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    body: dict[str, object] = {"detail": exc.message}
    if isinstance(exc, InvalidInput):
        body["errors"] = [error.as_dict() for error in exc.errors]
    return api.create_response(request, body, status=exc.status_code)


BODY_MESSAGES = {
    "missing": "Valeur obligatoire manquante.",
    "int_parsing": "Nombre entier attendu.",
    "int_type": "Nombre entier attendu.",
    "bool_parsing": "Booléen attendu (true ou false).",
    "bool_type": "Booléen attendu (true ou false).",
    "string_type": "Texte attendu.",
    "date_parsing": "Date AAAA-MM-JJ attendue.",
    "date_from_datetime_parsing": "Date AAAA-MM-JJ attendue.",
    "date_type": "Date AAAA-MM-JJ attendue.",
    "list_type": "Liste attendue.",
    "dict_type": "Objet JSON attendu.",
    "model_attributes_type": "Objet JSON attendu.",
    "json_invalid": "Le corps n'est pas du JSON valide.",
    "extra_forbidden": "Champ inconnu.",
}
"""French messages for the validation errors of request bodies, by pydantic error type."""


@api.exception_handler(NinjaValidationError)
def body_error(request: HttpRequest, exc: NinjaValidationError) -> HttpResponse:
    """Request bodies that do not match their schema: 422 with JSON Pointers, like the rest."""
    errors = []
    for error in exc.errors:
        location = [str(part) for part in error.get("loc", ())]
        # ninja gives (source, parameter, field…): ("body", "body", "planned_on"),
        # ("query", "q"), ("file", "file"). The pointer is the field within the parameter,
        # or the parameter itself when it has no fields.
        if len(location) > 1 and location[0] in {"body", "query", "path", "form", "file"}:
            location = location[1:]
            if len(location) > 1:
                location = location[1:]
        pointer = "/" + "/".join(p.replace("~", "~0").replace("/", "~1") for p in location)
        message = BODY_MESSAGES.get(str(error.get("type", "")), str(error.get("msg", "")))
        errors.append({"pointer": pointer if location else "", "message": message})
    return api.create_response(
        request, {"detail": "Données invalides.", "errors": errors}, status=422
    )


@api.exception_handler(AuthenticationError)
def unauthenticated(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    response = api.create_response(
        request,
        {"detail": "Authentification requise (Authorization: Bearer <jeton>)."},
        status=401,
    )
    response["WWW-Authenticate"] = 'Bearer realm="rcf"'
    return response


def _routers() -> None:
    from rcf.certification.api.audit import router as audits
    from rcf.certification.api.certificate import router as certificates
    from rcf.certification.api.dossier import router as applications

    api.add_router("/", applications)
    api.add_router("/", audits)
    api.add_router("/", certificates)


_routers()
