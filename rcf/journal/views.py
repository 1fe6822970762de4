"""``/journal/checkpoint.jwt``: the latest signed checkpoint of the journal (platform-v1.md §4)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from rcf.journal.checkpoints import MEDIA_TYPE, checkpoint_latest


@require_safe
def checkpoint(request: HttpRequest) -> HttpResponse:
    """Public. The compact JWS as issued by the last ``rcf tick``; 404 before the first one.

    ``no-cache``: a cached copy must be revalidated, so whoever keeps checkpoints gets the
    newest one, and a withdrawn journal cannot hide behind a stale copy.
    """
    latest = checkpoint_latest()
    if latest is None:
        response = HttpResponse(
            "Aucun point de contrôle du journal n'a encore été signé (« rcf tick »).\n",
            status=404,
            content_type="text/plain; charset=utf-8",
        )
    else:
        response = HttpResponse(latest.token.encode("ascii"), content_type=MEDIA_TYPE)
    patch_cache_control(response, no_cache=True)
    return response
