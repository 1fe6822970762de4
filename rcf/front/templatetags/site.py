"""Tags of the site's frame (``base.html``): ``{% load site %}``."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse, translate_url
from django.utils.translation import get_language, override

register = template.Library()


@register.simple_tag(takes_context=True)
def other_languages(context: template.Context) -> list[dict[str, str]]:
    """The same page in each other language, as plain links: switching language is a GET, so
    it needs no form, no CSRF cookie and works on a kept (cached) page."""
    request: HttpRequest | None = context.get("request")
    path = request.get_full_path() if request is not None else "/"
    current = get_language()
    links = []
    for code, name in settings.LANGUAGES:
        if code == current:
            continue
        url = translate_url(path, code)
        if url == path:  # an address that names no page (a 404): that language's home page
            with override(code):
                url = reverse("front:home")
        links.append({"code": code, "name": name, "url": url})
    return links
