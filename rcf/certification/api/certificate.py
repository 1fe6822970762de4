"""``/api/v1/certificates…`` and ``/api/v1/registry``: the public reading and the certifier's
suspend / reinstate / withdraw."""

from __future__ import annotations

from typing import Any, Literal

from django.http import HttpRequest
from django.utils import timezone
from ninja import Query, Router, Schema

from rcf.accounts.api_auth import AuthedRequest, api_auth
from rcf.certification.api.body import Text
from rcf.certification.api.schemas import (
    CertificatePublic,
    CertificateStatusOut,
    PhoneCheck,
    RegistryPage,
    responses,
)
from rcf.certification.selectors.certificate import (
    certificate_get,
    certificate_public,
    certificates_in_order,
    last_audit_on,
    phone_check,
    phone_read,
    registry_entry,
    registry_search,
)
from rcf.certification.selectors.search import remembered
from rcf.certification.services import certificate as services
from rcf.core.errors import InputError, InvalidInput
from rcf.referentiel.telephone import PhoneNumberError

router = Router(tags=["certificats"])

REGISTRY_PAGE_SIZE = 20
"""Results per page by default (the registry page shows as many); ``page_size`` up to 100."""
REGISTRY_PAGE_SIZE_MAX = 100
REGISTRY_QUERY_MAX = 200
"""Characters of ``q``: each word is one more condition, and a database has a limit to them."""


class ReasonIn(Schema):
    reason: Text


PHONE_MAX = 40
"""Characters of ``number``: the longest E.164 number written with spaces fits well within."""


@router.get(
    "/phone-check",
    response=responses({200: PhoneCheck}, 422),
    auth=None,
    summary="À qui est ce numéro ? (public)",
)
def phone_check_api(
    request: HttpRequest,
    number: Text = Query(  # noqa: B008
        ...,
        max_length=PHONE_MAX,
        description="Un numéro de téléphone : 09 69 32 00 00, +33 9 69 32 00 00 (espaces, "
        "points et tirets admis).",
    ),
) -> PhoneCheck:
    """Public. Whether a certified company declared this number as a contact point, and what
    the numbering plan says of it (surcharged, telemarketing range); 422 when it is not a valid
    telephone number."""
    try:
        read = phone_read(number)
    except PhoneNumberError as exc:
        raise InvalidInput([InputError("/number", exc.message)]) from None
    # The same answer while the certificates do not change (a contact point is written with its
    # certificate), validated once: ninja then only serialises it.
    return remembered(
        ("api-phone-check", timezone.localdate(), read.e164),
        lambda: PhoneCheck.model_validate(phone_check(read)),
    )


@router.get(
    "/certificates/{number}",
    response=responses({200: CertificatePublic}, 404, 422),
    auth=None,
    summary="Vérifier un certificat (public)",
)
def get_certificate(request: HttpRequest, number: Text) -> CertificatePublic:
    """Public. The certificate as anyone may verify it, with its status of today."""
    certificate = certificate_get(number)
    # The same answer while the certificates do not change (history, contact points and the
    # company's name are written with them); the last audit, which is not, is in the key.
    key = ("api-certificate", timezone.localdate(), certificate.number)
    return remembered(
        (*key, last_audit_on(certificate)),
        lambda: CertificatePublic.model_validate(certificate_public(certificate)),
    )


@router.get(
    "/registry",
    response=responses({200: RegistryPage}, 422),
    auth=None,
    summary="Chercher dans le registre (public)",
)
def registry(
    request: HttpRequest,
    q: Text = Query(  # noqa: B008
        "",
        max_length=REGISTRY_QUERY_MAX,
        description="Mots cherchés dans les noms, marques, SIREN et numéros de certificat.",
    ),
    status: Text = "",
    territory: Text = "",
    department: Text = "",
    channel: Text = "",
    page: int = 1,
    page_size: int = REGISTRY_PAGE_SIZE,
    sort: Literal["", "relevance", "name", "recent"] = Query(
        "",
        description="Ordre : pertinence (par défaut avec des mots), nom (par défaut sans), "
        "« recent » (dernière période de validité d'abord).",
    ),
) -> RegistryPage:
    page = max(1, page)
    size = min(max(1, page_size), REGISTRY_PAGE_SIZE_MAX)

    def answer() -> RegistryPage:
        ids = registry_search(
            q=q,
            status=status,
            territory=territory,
            department=department,
            channel=channel,
            sort=sort,
        )
        count = len(ids)
        # A page past the last one is empty; its offset is never sent to the database, where a
        # large one overflows the 64-bit integers of SQLite and PostgreSQL.
        start = (page - 1) * size
        rows = certificates_in_order(ids[start : start + size]) if start < count else []
        # Validated once here: ninja serialises a schema instance without validating it again
        # (most of the cost of a remembered answer otherwise).
        return RegistryPage.model_validate(
            {
                "count": count,
                "page": page,
                "page_size": size,
                "results": [registry_entry(c) for c in rows],
            }
        )

    # The same answer while the registry does not change (made of certificates and names only).
    key = ("api-registry", timezone.localdate(), q, status, territory, department, channel, sort)
    return remembered((*key, page, size), answer)


def _change(request: AuthedRequest, number: Text, body: ReasonIn, action: str) -> dict[str, Any]:
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
    response=responses({200: CertificateStatusOut}, 401, 403, 404, 409, 413, 422),
    summary="Suspendre (responsable de certification)",
)
def suspend(request: AuthedRequest, number: Text, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, "suspend")


@router.post(
    "/certificates/{number}/reinstate",
    auth=api_auth,
    response=responses({200: CertificateStatusOut}, 401, 403, 404, 409, 413, 422),
    summary="Rétablir (responsable de certification)",
)
def reinstate(request: AuthedRequest, number: Text, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, "reinstate")


@router.post(
    "/certificates/{number}/withdraw",
    auth=api_auth,
    response=responses({200: CertificateStatusOut}, 401, 403, 404, 409, 413, 422),
    summary="Retirer (responsable de certification)",
)
def withdraw(request: AuthedRequest, number: Text, body: ReasonIn) -> dict[str, Any]:
    return _change(request, number, body, "withdraw")
