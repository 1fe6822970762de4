"""The observatory's pages and files: public, read-only, computed at the request's registry
version (``selectors.observatory_figures``) so a change of status shows on the next request."""

from __future__ import annotations

import hashlib
import json
import threading

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.views.decorators.http import require_safe

from rcf.observatory import charts, labels, opendata, sector
from rcf.observatory.selectors import observatory_figures

CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
"""A chart's own policy: matplotlib writes its SVG styles inline; the SVG runs no script."""

_chart_lock = threading.Lock()
_rendered: dict[tuple[str, str, str, str, bool], bytes] = {}


def _answer(request: HttpRequest, body: bytes, content_type: str) -> HttpResponse:
    """``body`` revalidated on every use (``no-cache`` and a strong ``ETag``): a copy is
    never shown once the registry has changed."""
    etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
    if etag in parse_etags(request.headers.get("If-None-Match", "")):
        response: HttpResponse = HttpResponse(status=304)
    else:
        response = HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    patch_cache_control(response, public=True, no_cache=True, max_age=0)
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """Public. The headline figures, the charts with their readings and data tables."""
    figures, tag = observatory_figures()
    drawn = charts.charts(figures)
    breakdown_tables = {
        "territories": [
            (labels.territory(code), value)
            for code, value in sorted(figures.breakdowns["territories"].items())
        ]
    }
    h = figures.headline
    return render(
        request,
        "observatory/index.html",
        {
            "figures": figures,
            "headline": h,
            "charts": [
                (drawn[slug], charts.pixels(slug), charts.pixels(slug, narrow=True))
                for slug in charts.CHART_SLUGS
            ],
            "tag": tag,
            "sector": sector,
            "share_low": sector.share_percent(int(h["contributors"]), sector.JOBS_HIGH),
            "share_high": sector.share_percent(int(h["contributors"]), sector.JOBS_LOW),
            "territories": breakdown_tables["territories"],
        },
    )


@require_safe
def chart(request: HttpRequest, slug: str, fmt: str, narrow: bool = False) -> HttpResponse:
    """Public. One chart as SVG or PNG, in the language of the address; ``narrow`` (under
    ``graphiques/etroit/``): drawn for a phone's width."""
    if slug not in charts.CHART_SLUGS or fmt not in ("svg", "png"):
        raise Http404
    figures, tag = observatory_figures()
    key = (tag, translation.get_language() or "fr", slug, fmt, narrow)
    body = _rendered.get(key)
    if body is None:
        with _chart_lock:  # matplotlib's text layout caches are not thread-safe
            body = _rendered.get(key)
            if body is None:
                body = charts.render(charts.charts(figures)[slug], fmt, narrow=narrow)
                for old in [k for k in _rendered if k[0] != tag]:
                    del _rendered[old]
                _rendered[key] = body
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    response = _answer(request, body, content_type)
    response["Content-Security-Policy"] = CHART_POLICY
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def statistics_csv(request: HttpRequest) -> HttpResponse:
    figures, _tag = observatory_figures()
    response = _answer(request, opendata.statistics_csv(figures.rows()), "text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="statistiques.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def statistics_json(request: HttpRequest) -> HttpResponse:
    figures, _tag = observatory_figures()
    response = _answer(request, opendata.statistics_json(figures.rows()), "application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def statistics_schema(request: HttpRequest) -> HttpResponse:
    body = json.dumps(
        opendata.statistics_schema(settings.RCF_BASE_URL), ensure_ascii=False, indent=1
    ).encode("utf-8")
    response = _answer(request, body, "application/json")
    response["Access-Control-Allow-Origin"] = "*"
    return response
