"""Public files, outside the language prefixes: badges, credentials, keys, status lists,
open data (platform-v1.md §3).

Every answer carries a strong ``ETag`` (a hash of its bytes) and a ``Cache-Control`` saying how
long a copy may be used; a request whose ``If-None-Match`` names the current ``ETag`` gets
``304 Not Modified`` without the body. What changes with a certificate's status (badges, status
lists) is read from the database on every request and cached for a few minutes at most.
"""

from __future__ import annotations

import hashlib
import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from rcf.certification.selectors.certificate import certificate_get
from rcf.core.errors import NotFound
from rcf.credentials.badge import badge_svg
from rcf.credentials.keys import KeyringError
from rcf.credentials.signing import MEDIA_TYPE
from rcf.credentials.vc import NUMBER, credentials_context
from rcf.registry import opendata
from rcf.registry.signing import (
    STATUS_LISTS,
    certificate_token,
    jwks_document,
    status_list_token,
)

logger = logging.getLogger(__name__)

BADGE_MAX_AGE = 0
"""Badges are revalidated on every display (``no-cache`` with the ``ETag``: a 304 costs a few
bytes): a suspended certificate must not look valid for a single minute on a company's site."""
CREDENTIAL_MAX_AGE = 300
STATUS_LIST_MAX_AGE = 60
JWKS_MAX_AGE = 300
CONTEXT_MAX_AGE = 86_400
OPENDATA_MAX_AGE = 300


def cacheable(
    request: HttpRequest, body: bytes, content_type: str, *, max_age: int, status: int = 200
) -> HttpResponse:
    """``body`` with its ``ETag`` and ``Cache-Control``, or 304 when the client has it."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if status == 200:
        wanted = parse_etags(request.headers.get("If-None-Match", ""))
        if etag in wanted or "*" in wanted:
            response: HttpResponse = HttpResponseNotModified()
            response["ETag"] = etag
            _cache_control(response, max_age)
            return response
    response = HttpResponse(body, content_type=content_type, status=status)
    response["ETag"] = etag
    _cache_control(response, max_age)
    return response


def _cache_control(response: HttpResponse, max_age: int) -> None:
    if max_age:
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, public=True, no_cache=True)


def _unavailable(reason: KeyringError) -> HttpResponse:
    """503: the key ring is missing or unusable. The details (a server path) go to the log,
    the public gets what to tell the operator."""
    logger.error("signing key ring unavailable: %s", reason)
    response = HttpResponse(
        "Service indisponible : les clés de signature ne sont pas prêtes "
        "(l'exploitant doit lancer « rcf keys init »).\n",
        status=503,
        content_type="text/plain; charset=utf-8",
    )
    response["Retry-After"] = "60"
    return response


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=1).encode("utf-8")


@require_safe
def badge(request: HttpRequest, number: str) -> HttpResponse:
    """``/badge/{number}.svg``: the live status; ``?lang=en`` for English words."""
    lang = "en" if request.GET.get("lang") == "en" else "fr"
    try:
        certificate = certificate_get(number)
    except NotFound:
        svg = badge_svg(number if NUMBER.fullmatch(number) else "?", "unknown", None, lang=lang)
        status = 404
    else:
        svg = badge_svg(
            certificate.number,
            certificate.status,
            certificate.valid_until,
            lang=lang,
            today=timezone.localdate(),
        )
        status = 200
    return cacheable(
        request,
        svg.encode("utf-8"),
        "image/svg+xml; charset=utf-8",
        max_age=BADGE_MAX_AGE,
        status=status,
    )


@require_safe
def credential(request: HttpRequest, number: str) -> HttpResponse:
    """``/credentials/{number}.jwt``: the certificate as a VC-JOSE credential, signed now."""
    try:
        certificate = certificate_get(number)
    except NotFound:
        return HttpResponse(
            f"Aucun certificat {number}.\n" if NUMBER.fullmatch(number) else "Aucun certificat.\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    try:
        token = certificate_token(certificate)
    except KeyringError as exc:
        return _unavailable(exc)
    return cacheable(request, token.encode("ascii"), MEDIA_TYPE, max_age=CREDENTIAL_MAX_AGE)


@require_safe
def context(request: HttpRequest) -> HttpResponse:
    """``/credentials/v1``: the JSON-LD context that defines the credential's terms."""
    body = _json(credentials_context(settings.RCF_BASE_URL))
    return cacheable(request, body, "application/ld+json", max_age=CONTEXT_MAX_AGE)


@require_safe
def jwks(request: HttpRequest) -> HttpResponse:
    """``/.well-known/jwks.json``: the public keys that verify the credentials."""
    try:
        body = _json(jwks_document())
    except KeyringError as exc:
        return _unavailable(exc)
    response = cacheable(request, body, "application/jwk-set+json", max_age=JWKS_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def status_list(request: HttpRequest, list_id: str) -> HttpResponse:
    """``/status/{list}.jwt``: ``revocation-1`` (withdrawn) and ``suspension-1`` (suspended)."""
    if list_id not in STATUS_LISTS:
        return HttpResponse(
            "Liste de statut inconnue.\n", status=404, content_type="text/plain; charset=utf-8"
        )
    try:
        token = status_list_token(list_id)
    except KeyringError as exc:
        return _unavailable(exc)
    response = cacheable(request, token.encode("ascii"), MEDIA_TYPE, max_age=STATUS_LIST_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def opendata_csv(request: HttpRequest) -> HttpResponse:
    body = opendata.opendata_csv(opendata.opendata_rows(settings.RCF_BASE_URL))
    response = cacheable(request, body, "text/csv; charset=utf-8", max_age=OPENDATA_MAX_AGE)
    response["Content-Disposition"] = 'inline; filename="certificats.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def opendata_json(request: HttpRequest) -> HttpResponse:
    body = opendata.opendata_json(opendata.opendata_rows(settings.RCF_BASE_URL))
    response = cacheable(request, body, "application/json", max_age=OPENDATA_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def opendata_schema(request: HttpRequest) -> HttpResponse:
    body = _json(opendata.table_schema(settings.RCF_BASE_URL))
    response = cacheable(request, body, "application/json", max_age=OPENDATA_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def contacts_csv(request: HttpRequest) -> HttpResponse:
    """Public. The contact points of live certificates (referentiel-v2.md §4)."""
    body = opendata.contacts_csv(opendata.contacts_rows())
    response = cacheable(request, body, "text/csv; charset=utf-8", max_age=OPENDATA_MAX_AGE)
    response["Content-Disposition"] = 'inline; filename="contacts.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def contacts_json(request: HttpRequest) -> HttpResponse:
    """Public. The same rows as ``contacts.csv``, in JSON."""
    body = opendata.opendata_json(opendata.contacts_rows())
    response = cacheable(request, body, "application/json", max_age=OPENDATA_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def contacts_schema(request: HttpRequest) -> HttpResponse:
    """Public. The Table Schema of the contact point files."""
    body = _json(opendata.contacts_schema(settings.RCF_BASE_URL))
    response = cacheable(request, body, "application/json", max_age=OPENDATA_MAX_AGE)
    response["Access-Control-Allow-Origin"] = "*"
    return response
