"""The pages of an error (403, 404, 500) and of the admin for someone who may not use it.

Each is a page of the site, in the visitor's language, with a way out; none shows a trace of
the program. The 500 page reads nothing from the database (it may be the cause), so it knows
neither the user nor their messages.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, JsonResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.http import urlencode


def page_not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Anyone. An unknown address, or an object the visitor may not see (existence is not
    leaked: the page says the same either way)."""
    return render(request, "errors/404.html", status=404)


def permission_denied(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """Anyone. An action the visitor's role does not allow."""
    return render(request, "errors/403.html", status=403)


def server_error(request: HttpRequest) -> HttpResponse:
    """Anyone. No context processor: nothing that could fail again is read."""
    return HttpResponse(render_to_string("errors/500.html"), status=500)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """Anyone. A form sent without its security cookie (expired session, cookies refused);
    under ``/api/`` (a browser session calling the API) the answer is JSON, as every API
    error is (platform-v1.md §4)."""
    if request.path_info.startswith("/api/"):
        return JsonResponse(
            {"detail": "CSRF check failed: send the X-CSRFToken header with the session."},
            status=403,
        )
    return render(request, "errors/403_csrf.html", status=403)


def admin_login(request: HttpRequest) -> HttpResponse:
    """Anyone. The admin signs in through the platform's login page (which is throttled); a
    signed-in user the admin refused gets a page that says so, rather than a loop between the
    admin and the login page."""
    if request.user.is_authenticated:
        return render(request, "errors/admin_denied.html", status=403)
    # The query is passed on as it came (``next=/admin/``), as a plain redirect would.
    query = request.META.get("QUERY_STRING") or urlencode({"next": reverse("admin:index")})
    return HttpResponseRedirect(f"{reverse('accounts:login')}?{query}")
