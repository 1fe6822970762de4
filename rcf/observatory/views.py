"""The observatory's pages and files: public, read-only, computed at the request's registry
version (``selectors.observatory_figures``) so a change of status shows on the next request."""

from __future__ import annotations

import hashlib
import json
import threading
from collections.abc import Callable
from typing import Any, TypeVar

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.cache import patch_cache_control
from django.utils.http import parse_etags
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_safe

from rcf.observatory import charts, labels, opendata, sector
from rcf.observatory.selectors import Figures, observatory_figures

CHART_POLICY = "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'self'"
"""A chart's own policy: matplotlib writes its SVG styles inline; the SVG runs no script."""

_lock = threading.Lock()
_rendered: dict[tuple[Any, ...], bytes] = {}
_pages: dict[tuple[Any, ...], str] = {}
_files: dict[tuple[Any, ...], bytes] = {}

T = TypeVar("T")


def _kept(store: dict[tuple[Any, ...], T], key: tuple[Any, ...], make: Callable[[], T]) -> T:
    """``make()``, kept in ``store`` under ``key`` — whose first item is the tag of the
    registry version — until the version changes; made under a lock (matplotlib's text layout
    caches are not thread-safe)."""
    value = store.get(key)
    if value is None:
        with _lock:
            value = store.get(key)
            if value is None:
                value = make()
                for old in [k for k in store if k[0] != key[0]]:
                    del store[old]
                store[key] = value
    return value


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
    """Public. The headline figures, the charts with their readings and data tables.

    The content is the same for every visitor: rendered once per registry version and
    language (tables of every month included), then set in the page of the visitor (whose
    header names them when signed in)."""
    figures, tag = observatory_figures()
    content = _kept(
        _pages,
        (tag, translation.get_language() or "fr"),
        lambda: render_to_string("observatory/_content.html", _content(figures, tag)),
    )
    return render(request, "observatory/index.html", {"content": mark_safe(content)})  # noqa: S308 -- rendered by our template, escaped there


def _content(figures: Figures, tag: str) -> dict[str, Any]:
    drawn = charts.charts(figures)
    h = figures.headline
    return {
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
        "territories": [
            (labels.territory(code), value)
            for code, value in sorted(figures.breakdowns["territories"].items())
        ],
    }


@require_safe
def chart(request: HttpRequest, slug: str, fmt: str, narrow: bool = False) -> HttpResponse:
    """Public. One chart as SVG or PNG, in the language of the address; ``narrow`` (under
    ``graphiques/etroit/``): drawn for a phone's width."""
    if slug not in charts.CHART_SLUGS or fmt not in ("svg", "png"):
        raise Http404
    figures, tag = observatory_figures()
    body = _kept(
        _rendered,
        (tag, translation.get_language() or "fr", slug, fmt, narrow),
        lambda: charts.render(charts.charts(figures)[slug], fmt, narrow=narrow),
    )
    content_type = "image/svg+xml" if fmt == "svg" else "image/png"
    response = _answer(request, body, content_type)
    response["Content-Security-Policy"] = CHART_POLICY
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _file(kind: str, write: Callable[[list[dict[str, Any]]], bytes]) -> bytes:
    """The statistics file of the registry version, written once per version."""
    figures, tag = observatory_figures()
    return _kept(_files, (tag, kind), lambda: write(figures.rows()))


@require_safe
def statistics_csv(request: HttpRequest) -> HttpResponse:
    body = _file("csv", opendata.statistics_csv)
    response = _answer(request, body, "text/csv; charset=utf-8")
    response["Content-Disposition"] = 'inline; filename="statistiques.csv"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def statistics_json(request: HttpRequest) -> HttpResponse:
    response = _answer(request, _file("json", opendata.statistics_json), "application/json")
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
