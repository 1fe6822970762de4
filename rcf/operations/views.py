"""``/readyz`` (public) and ``/metrics`` (bearer of ``RCF_METRICS_TOKEN`` only)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from rcf.operations.health import readiness
from rcf.operations.metrics import CONTENT_TYPE, metrics_text


@never_cache
@require_safe
def readyz(request: HttpRequest) -> JsonResponse:
    """Public. 200 when every check holds, 503 naming the failing ones otherwise (§4)."""
    report = readiness()
    return JsonResponse(report, status=200 if report["status"] == "ok" else 503)


@never_cache
@require_safe
def metrics(request: HttpRequest) -> HttpResponse:
    """Only with ``Authorization: Bearer <RCF_METRICS_TOKEN>``; 404 otherwise, like an unknown
    address: without the token set, the metrics do not exist, and guessing reveals nothing."""
    expected = settings.RCF_METRICS_TOKEN
    given = request.headers.get("Authorization", "")
    scheme, _, token = given.partition(" ")
    if not expected or scheme.lower() != "bearer":
        raise Http404
    if not hmac.compare_digest(token.strip().encode(), expected.encode()):
        raise Http404
    return HttpResponse(metrics_text(), content_type=CONTENT_TYPE)
