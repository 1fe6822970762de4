"""``/api/v1/applications…``: the applicant's dossier, admissibility and decisions."""

from __future__ import annotations

from typing import Any

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from rcf.accounts.api_auth import AuthedRequest, api_auth
from rcf.certification.api.body import Text, parse_json_body
from rcf.certification.api.schemas import (
    ApplicationCreated,
    ApplicationOut,
    ApplicationStatusOut,
    DecisionOut,
    responses,
)
from rcf.certification.selectors.dossier import application_for, application_summary
from rcf.certification.services import dossier as services
from rcf.certification.services.decision import application_decide
from rcf.core.errors import InputError, InvalidInput
from rcf.core.storable import unstorable_reason
from rcf.referentiel.declaration import declaration_schema
from rcf.referentiel.versions import DECLARATION_FORMAT, scheme_versions

router = Router(auth=api_auth, tags=["dossiers"])


def _declaration_body() -> dict[str, Any]:
    """The request body of the operations that take a declaration: one of the published JSON
    Schemas of every shipped version, each embedded whole (its ``$id`` scopes its ``#/$defs``
    references), told apart by ``format`` — each schema makes it a ``const``, so exactly one
    applies. Documentation only: the body is read by hand and judged under the version its
    ``format`` names (``rcf.referentiel``), whatever this says."""
    versions = scheme_versions()
    return {
        "requestBody": {
            "required": True,
            "content": {
                "application/json": {
                    "schema": {"oneOf": [declaration_schema(version) for version in versions]}
                }
            },
            "description": "Une déclaration "
            + " ou ".join(f"`{DECLARATION_FORMAT.format(version=v)}`" for v in versions)
            + ", jugée sous la version que nomme son `format` (`rcf schema declaration "
            "--version N` donne le schéma de la version N).",
        }
    }


DECLARATION_BODY = _declaration_body()


class AdmissibilityIn(Schema):
    admissible: bool
    comment: Text = ""


class DecisionIn(Schema):
    decision: Text
    motivation: Text = ""


def _document(request: AuthedRequest) -> Any:
    """The declaration sent as the body, read by hand: its schema is the published JSON Schema
    and its validation the referential's, with every error located."""
    return parse_json_body(request.body)


@router.post(
    "/applications",
    response=responses({201: ApplicationCreated}, 401, 403, 409, 413, 422),
    openapi_extra=DECLARATION_BODY,
    summary="Créer un dossier (demandeur)",
)
def create_application(request: AuthedRequest) -> Status[dict[str, Any]]:
    application = services.application_create(actor=request.auth, declaration=_document(request))
    return Status(
        201,
        {"id": application.pk, "status": application.status, "evaluation": application.evaluation},
    )


@router.get(
    "/applications/{id}",
    response=responses({200: ApplicationOut}, 401, 404, 422),
    summary="Lire un dossier",
)
def get_application(request: AuthedRequest, id: int) -> dict[str, Any]:
    return application_summary(application_for(request.auth, id))


@router.put(
    "/applications/{id}/declaration",
    response=responses({200: ApplicationOut}, 401, 403, 404, 409, 413, 422),
    openapi_extra=DECLARATION_BODY,
    summary="Remplacer la déclaration (brouillon)",
)
def put_declaration(request: AuthedRequest, id: int) -> dict[str, Any]:
    application = application_for(request.auth, id)
    document = _document(request)
    application = services.application_update_declaration(
        actor=request.auth, application=application, declaration=document
    )
    return application_summary(application)


@router.post(
    "/applications/{id}/dsn",
    response=responses({200: ApplicationOut}, 401, 403, 404, 409, 413, 422),
    summary="Déposer des DSN (brouillon)",
)
def post_dsn(
    request: AuthedRequest,
    id: int,
    file: list[UploadedFile] = File(...),  # noqa: B008
) -> dict[str, Any]:
    application = application_for(request.auth, id)
    names = [upload.name or "dsn" for upload in file]
    # The name is shown back and kept with the summary: refused, like any text, when no
    # database can store it.
    unstorable = [
        InputError(f"/file/{index}", reason)
        for index, name in enumerate(names)
        if (reason := unstorable_reason(name))
    ]
    if unstorable:
        raise InvalidInput(unstorable)
    application = services.application_add_dsn(
        actor=request.auth,
        application=application,
        files=list(zip(names, file, strict=True)),
    )
    return application_summary(application)


@router.post(
    "/applications/{id}/submit",
    response=responses({200: ApplicationStatusOut}, 401, 403, 404, 409, 413, 422),
    summary="Déposer le dossier",
)
def submit(request: AuthedRequest, id: int) -> dict[str, Any]:
    application = application_for(request.auth, id)
    application = services.application_submit(actor=request.auth, application=application)
    return {"id": application.pk, "status": application.status}


@router.post(
    "/applications/{id}/admissibility",
    response=responses({200: ApplicationStatusOut}, 401, 403, 404, 409, 413, 422),
    summary="Juger la recevabilité (AFRC)",
)
def admissibility(request: AuthedRequest, id: int, body: AdmissibilityIn) -> dict[str, Any]:
    application = application_for(request.auth, id)
    application = services.application_admissibility(
        actor=request.auth,
        application=application,
        admissible=body.admissible,
        comment=body.comment,
    )
    return {"id": application.pk, "status": application.status}


@router.post(
    "/applications/{id}/decision",
    response=responses({200: DecisionOut}, 401, 403, 404, 409, 413, 422),
    summary="Décider (responsable de certification n'ayant pas audité)",
)
def decision(request: AuthedRequest, id: int, body: DecisionIn) -> dict[str, Any]:
    application = application_for(request.auth, id)
    application = application_decide(
        actor=request.auth,
        application=application,
        decision=body.decision,
        motivation=body.motivation,
    )
    certificate = application.certificates.order_by("-id").first()
    return {
        "status": application.status,
        "certificate": {
            "number": certificate.number,
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
        }
        if certificate and application.status == "certified"
        else None,
    }
