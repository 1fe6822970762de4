"""``/api/v1/certificates…`` and ``/api/v1/registry``: the public reading and the certifier's
suspend / reinstate / withdraw."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from rcf.accounts.api_auth import AuthedRequest, api_auth
from rcf.certification.selectors.certificate import (
    certificate_get,
    certificate_public,
    registry_entry,
    registry_search,
)
from rcf.certification.services import certificate as services

router = Router(tags=["certificats"])

REGISTRY_PAGE_SIZE = 20
"""Results per page by default (the registry page shows as many); ``page_size`` up to 100."""
REGISTRY_PAGE_SIZE_MAX = 100


class Error(Schema):
    detail: str


class ReasonIn(Schema):
    reason: str


@router.get(
    "/certificates/{number}",
    response={200: dict, 404: Error},
    auth=None,
    summary="Vérifier un certificat (public)",
)
def get_certificate(request: HttpRequest, number: str) -> dict[str, Any]:
    return certificate_public(certificate_get(number))


@router.get(
    "/registry", response={200: dict}, auth=None, summary="Chercher dans le registre (public)"
)
def registry(
    request: HttpRequest,
    q: str = "",
    status: str = "",
    territory: str = "",
    department: str = "",
    channel: str = "",
    page: int = 1,
    page_size: int = REGISTRY_PAGE_SIZE,
) -> dict[str, Any]:
    queryset = registry_search(
        q=q, status=status, territory=territory, department=department, channel=channel
    )
    count = queryset.count()
    page = max(1, page)
    size = min(max(1, page_size), REGISTRY_PAGE_SIZE_MAX)
    rows = queryset[(page - 1) * size : page * size]
    return {
        "count": count,
        "page": page,
        "page_size": size,
        "results": [registry_entry(c) for c in rows],
    }


def _change(request: AuthedRequest, number: str, body: ReasonIn, action: str) -> dict[str, Any]:
    certificate = certificate_get(number)
    function = {
        "suspend": services.certificate_suspend,
        "reinstate": services.certificate_reinstate,
        "withdraw": services.certificate_withdraw,
    }[action]
    certificate = function(actor=request.auth, certificate=certificate, reason=body.reason)
    return {"number": certificate.number, "status": certificate.status}


@router.post(
    "/certificates/{number}/suspend",
    auth=api_auth,
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
    summary="Suspendre (responsable de certification)",
)
def suspend(request: AuthedRequest, number: str, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, "suspend")


@router.post(
    "/certificates/{number}/reinstate",
    auth=api_auth,
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
    summary="Rétablir (responsable de certification)",
)
def reinstate(request: AuthedRequest, number: str, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, "reinstate")


@router.post(
    "/certificates/{number}/withdraw",
    auth=api_auth,
    response={200: dict, 401: Error, 403: Error, 404: Error, 409: Error, 422: dict},
    summary="Retirer (responsable de certification)",
)
def withdraw(request: AuthedRequest, number: str, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, "withdraw")
