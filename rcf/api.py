"""The HTTP API ``/api/v1/`` (platform-v1.md §3) and its OpenAPI document.

Endpoints live in ``rcf/certification/api/`` and stay thin: they find the object the user may
see (404 otherwise), call the service, and shape the answer, which is checked against its
schema (``rcf/certification/api/schemas.py``). Errors become statuses here, in one place, and
every one is a JSON body (platform-v1.md §4; docs/api.md): ``ActionForbidden`` 403,
``NotFound`` 404, ``TransitionNotAllowed`` 409, a body over the size limit 413,
``InvalidInput`` and any unreadable body or parameter 422 with every error as
``{"pointer", "message"}``; anything else is a bug, answered 500 in JSON and logged.
"""

from __future__ import annotations

import json

from django.core import signals
from django.core.exceptions import RequestDataTooBig, TooManyFieldsSent, TooManyFilesSent
from django.http import HttpRequest, HttpResponse
from django.http.multipartparser import MultiPartParserError
from django.urls import URLPattern, URLResolver
from django.utils.log import log_response
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.operation import PathView

from rcf.certification.api.body import JsonBodyParser
from rcf.core.errors import DomainError, InputError, InvalidInput

TOO_LARGE = (RequestDataTooBig, TooManyFilesSent, TooManyFieldsSent)
"""Django's refusals of a body over its limits (``DATA_UPLOAD_MAX_MEMORY_SIZE`` 2.5 MB for
what is not a file, ``DATA_UPLOAD_MAX_NUMBER_FILES``, ``DATA_UPLOAD_MAX_NUMBER_FIELDS``)."""


class _JsonPathView(PathView):
    """An operation's path: a method it does not take gets 405 in JSON, with ``Allow``."""

    def _not_allowed(self) -> HttpResponse:
        allowed = super()._not_allowed()["Allow"]
        response = _json(
            {"detail": f"Méthode non permise à cette adresse (permises : {allowed})."}, 405
        )
        response["Allow"] = allowed
        return response


class RcfNinjaAPI(NinjaAPI):
    def _get_urls(self) -> list[URLResolver | URLPattern]:
        for router in self._get_bound_routers():
            for view in router.path_operations.values():
                view.__class__ = _JsonPathView
        return super()._get_urls()


def _json(body: object, status: int) -> HttpResponse:
    # The same bytes as ninja's renderer (json.dumps, ASCII), for answers made outside it.
    return HttpResponse(
        json.dumps(body), status=status, content_type="application/json; charset=utf-8"
    )


api = RcfNinjaAPI(
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
    parser=JsonBodyParser(),
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
    "int_from_float": "Nombre entier attendu.",
    "date_from_datetime_inexact": "Date AAAA-MM-JJ attendue.",
    "recursion_loop": "Valeur trop profondément imbriquée.",
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
        kind = str(error.get("type", ""))
        message = BODY_MESSAGES.get(kind, str(error.get("msg", "")))
        if kind == "string_too_long":
            message = f"Texte trop long ({error['ctx']['max_length']} caractères au plus)."
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


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    """ninja's own refusals. It wraps whatever its parser raised in ``HttpError(400)``: our
    parser raises located input errors, and a body it could not read at all is 422 too."""
    cause = exc.__cause__
    if isinstance(cause, InvalidInput):
        return domain_error(request, cause)
    if isinstance(cause, TOO_LARGE):
        return too_large(request, cause)
    if exc.status_code == 400:
        return domain_error(
            request, InvalidInput([InputError("", "Le corps de la requête est illisible.")])
        )
    return api.create_response(request, {"detail": str(exc)}, status=exc.status_code)


@api.exception_handler(RequestDataTooBig)
@api.exception_handler(TooManyFilesSent)
@api.exception_handler(TooManyFieldsSent)
def too_large(request: HttpRequest, exc: Exception) -> HttpResponse:
    return api.create_response(
        request,
        {"detail": "Requête trop volumineuse : le corps dépasse la limite acceptée."},
        status=413,
    )


@api.exception_handler(MultiPartParserError)
def unreadable_multipart(request: HttpRequest, exc: MultiPartParserError) -> HttpResponse:
    return domain_error(
        request,
        InvalidInput([InputError("", "Le corps multipart/form-data est mal formé.")]),
    )


@api.exception_handler(Exception)
def server_error(request: HttpRequest, exc: Exception) -> HttpResponse:
    """A bug: JSON like every other answer, logged like Django logs an unhandled exception
    (request path and traceback, never the body)."""
    # Lets Django's test client re-raise the exception, as it does for any view.
    signals.got_request_exception.send(sender=None, request=request)
    response = api.create_response(
        request, {"detail": "Erreur interne du serveur : elle a été enregistrée."}, status=500
    )
    log_response(
        "Internal Server Error: %s",
        request.path,
        response=response,
        request=request,
        exception=exc,
    )
    return response


def api_not_found(request: HttpRequest, rest: str = "") -> HttpResponse:
    """Any ``/api/`` address that is no operation: 404 in JSON (wired in ``rcf/urls.py``)."""
    return _json({"detail": "Aucune opération de l'API à cette adresse."}, 404)


def _routers() -> None:
    from rcf.certification.api.audit import router as audits
    from rcf.certification.api.certificate import router as certificates
    from rcf.certification.api.dossier import router as applications
    from rcf.observatory.api import router as observatory

    api.add_router("/", applications)
    api.add_router("/", audits)
    api.add_router("/", certificates)
    api.add_router("/", observatory)


_routers()
