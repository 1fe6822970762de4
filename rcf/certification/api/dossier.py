"""``/api/v1/applications…``: the applicant's dossier, admissibility and decisions."""

from __future__ import annotations

import json
from typing import Any

from ninja import File, Router, Schema, Status
from ninja.files import UploadedFile

from rcf.accounts.api_auth import AuthedRequest, api_auth
from rcf.certification.selectors.dossier import application_for, application_summary
from rcf.certification.services import dossier as services
from rcf.certification.services.decision import application_decide
from rcf.core.errors import InputError, InvalidInput
from rcf.referentiel.declaration import declaration_schema

router = Router(auth=api_auth, tags=["dossiers"])

DECLARATION_BODY = {
    "requestBody": {
        "required": True,
        "content": {"application/json": {"schema": declaration_schema()}},
        "description": "Une déclaration `rcf-declaration/1`.",
    }
}


class Error(Schema):
    detail: str


class AdmissibilityIn(Schema):
    admissible: bool
    comment: str = ""


class DecisionIn(Schema):
    decision: str
    motivation: str = ""


def _document(request: AuthedRequest) -> Any:
    try:
        return json.loads(request.body)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        where = (
            f" (ligne {exc.lineno}, colonne {exc.colno})"
            if isinstance(exc, json.JSONDecodeError)
            else ""
        )
        raise InvalidInput([InputError("", f"Le corps n'est pas du JSON valide{where}.")]) from None


@router.post(
    "/applications",
    response={201: dict, 401: Error, 403: Error, 422: dict},
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
    response={200: dict, 401: Error, 404: Error},
    summary="Lire un dossier",
)
def get_application(request: AuthedRequest, id: int) -> dict[str, Any]:
    return application_summary(application_for(request.auth, id))


@router.put(
    "/applications/{id}/declaration",
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
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
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
    summary="Déposer des DSN (brouillon)",
)
def post_dsn(
    request: AuthedRequest,
    id: int,
    file: list[UploadedFile] = File(...),  # noqa: B008
) -> dict[str, Any]:
    application = application_for(request.auth, id)
    application = services.application_add_dsn(
        actor=request.auth,
        application=application,
        files=[(upload.name or "dsn", upload) for upload in file],
    )
    return application_summary(application)


@router.post(
    "/applications/{id}/submit",
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error},
    summary="Déposer le dossier",
)
def submit(request: AuthedRequest, id: int) -> dict[str, Any]:
    application = application_for(request.auth, id)
    application = services.application_submit(actor=request.auth, application=application)
    return {"id": application.pk, "status": application.status}


@router.post(
    "/applications/{id}/admissibility",
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
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
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
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
