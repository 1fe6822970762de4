"""The site's information pages: how to apply, contact, legal notice, personal data and
cookies, accessibility. Public; their facts (publisher, addresses) come from the settings so
that a deployment states its own."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_safe

from rcf.registry.selectors import scheme_cycle

PUBLISHER = {
    "name": "AFRC — Association française de la relation client",
    "email": "contact@afrc.org",
    "website": "https://www.afrc.org",
}
"""Who publishes the platform. A deployment overrides any of them with ``RCF_PUBLISHER``."""


def publisher() -> dict[str, str]:
    return {**PUBLISHER, **getattr(settings, "RCF_PUBLISHER", {})}


def _page(template: str, **extra: Any) -> Any:
    @require_safe
    def view(request: HttpRequest) -> HttpResponse:
        return render(
            request,
            f"front/info/{template}.html",
            {"publisher": publisher(), "base_url": settings.RCF_BASE_URL, **extra},
        )

    view.__doc__ = f"Public. The page « {template} »."
    view.__name__ = template
    return view


legal = _page("legal")
privacy = _page("privacy")
accessibility = _page("accessibility")
contact = _page("contact")


@require_safe
def apply(request: HttpRequest) -> HttpResponse:
    """Public. How a company obtains the label, step by step."""
    return render(
        request, "front/info/apply.html", {"publisher": publisher(), "cycle": scheme_cycle()}
    )
