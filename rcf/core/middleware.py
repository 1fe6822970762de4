"""Middleware of the platform: security headers that Django 5.2 does not set by itself, and
the limits on requests (body size, rate per client address)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.template.loader import render_to_string
from django.utils.translation import gettext, ngettext

from rcf.core import ratelimit

# No page needs inline script or style, nor anything from another origin: the strictest
# policy that the platform's own pages satisfy. Badges and QR codes are served as images.
DEFAULT_POLICY = (
    "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; "
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'self'; "
    "form-action 'self'; frame-ancestors 'none'"
)


class SecurityHeadersMiddleware:
    """Adds the Content-Security-Policy and a restrictive Permissions-Policy to every answer.

    The API's interactive documentation (``/api/v1/docs``) loads Swagger UI from a CDN and is
    therefore left out of the policy in development only.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response
        self.policy = getattr(settings, "RCF_CONTENT_SECURITY_POLICY", DEFAULT_POLICY)

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if not (settings.DEBUG and request.path.startswith("/api/v1/docs")):
            response.headers.setdefault("Content-Security-Policy", self.policy)
        response.headers.setdefault(
            "Permissions-Policy", "camera=(), microphone=(), geolocation=(), payment=()"
        )
        response.headers.setdefault("Cross-Origin-Opener-Policy", "same-origin")
        return response


def _limit_response(request: HttpRequest, status: int, title: str, message: str) -> HttpResponse:
    """A JSON ``{"detail"}`` under ``/api/`` (platform-v1.md §4), a page elsewhere."""
    if request.path_info.startswith("/api/"):
        return JsonResponse({"detail": message}, status=status)
    body = render_to_string(
        "core/limit.html", {"title": title, "message": message}, request=request
    )
    return HttpResponse(body, status=status)


def too_large(request: HttpRequest) -> HttpResponse:
    limit = settings.RCF_REQUEST_MAX_BYTES
    response = _limit_response(
        request,
        413,
        gettext("Envoi trop volumineux"),
        gettext("La requête dépasse la taille maximale acceptée (%(limit)s octets).")
        % {"limit": limit},
    )
    # The body was not read: the connection cannot carry another request.
    response["Connection"] = "close"
    return response


def too_many(request: HttpRequest, retry_after: int) -> HttpResponse:
    response = _limit_response(
        request,
        429,
        gettext("Trop de requêtes"),
        ngettext(
            "Trop de requêtes depuis votre adresse : réessayez dans %(seconds)s seconde.",
            "Trop de requêtes depuis votre adresse : réessayez dans %(seconds)s secondes.",
            retry_after,
        )
        % {"seconds": retry_after},
    )
    response["Retry-After"] = str(retry_after)
    response["Cache-Control"] = "no-store"
    return response


class RequestLimitsMiddleware:
    """413 for a body over ``RCF_REQUEST_MAX_BYTES`` (announced by ``Content-Length``, before
    anything reads it; and for a form or JSON body over ``DATA_UPLOAD_MAX_MEMORY_SIZE``), 429
    with ``Retry-After`` past a rate limit (``rcf/core/ratelimit.py``).

    Placed after the locale middleware, so that the page is in the visitor's language, and
    before the CSRF middleware, whose ``process_view`` reads the body of a POST: a refused
    request costs no parsing.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0  # Django treats it as an empty body
        if length > settings.RCF_REQUEST_MAX_BYTES:
            return too_large(request)
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view: Callable[..., Any],
        args: tuple[Any, ...],
        kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        verdict = ratelimit.check(request)
        if verdict is not None and not verdict.allowed:
            return too_many(request, verdict.retry_after)
        return None

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, RequestDataTooBig):
            return too_large(request)
        return None
