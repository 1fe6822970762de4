"""Counts and times every answer for the metrics (``rcf.operations.metrics``)."""

from __future__ import annotations

import time
from collections.abc import Callable

from django.http import HttpRequest, HttpResponseBase

from rcf.operations.metrics import request_observe


class RequestMetricsMiddleware:
    """Outermost middleware: what it measures includes every other middleware.

    The route is the URL pattern's name (``registry:search``), never the path: paths hold
    certificate numbers and SIRENs, and one series per company would grow without bound.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        start = time.perf_counter()
        response = self.get_response(request)
        match = getattr(request, "resolver_match", None)
        request_observe(
            method=request.method or "",
            route=match.view_name if match is not None else "",
            status=response.status_code,
            seconds=time.perf_counter() - start,
        )
        return response
