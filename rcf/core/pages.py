"""What the workflow pages of every app share: domain errors turned into pages, and form
errors placed next to the fields they concern.

A service raises :class:`NotFound` (the page answers 404), :class:`ActionForbidden` (403, a page
that says why), :class:`TransitionNotAllowed` (409, a page that says what the state forbids) or
:class:`InvalidInput` (the form is shown again with each error next to its field and a summary
at the top that links to each field). Views stay thin: find the object, call the service.

Nothing here knows users or roles: :mod:`rcf.core` is the bottom layer and imports no other
app. What a page needs to know about its user (``require_roles``, ``acting_user``,
``roles_of``) is in :mod:`rcf.accounts.pages`.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeVar

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _

from rcf.core.errors import (
    ActionForbidden,
    InputError,
    InvalidInput,
    NotFound,
    TransitionNotAllowed,
)

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

View = TypeVar("View", bound=Callable[..., HttpResponseBase])
T = TypeVar("T")


def workflow_page(view: View) -> View:
    """Log in first (anonymous visitors go to the login page), then turn domain errors into
    the 404, 403 and 409 pages."""

    @functools.wraps(view)
    def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
        try:
            response = view(request, *args, **kwargs)
        except NotFound as exc:
            raise Http404(exc.message) from None
        except ActionForbidden as exc:
            response = refusal(request, exc.message, status=403)
        except TransitionNotAllowed as exc:
            response = refusal(request, exc.message, status=409)
        # Dossiers are confidential: never kept by a browser or a proxy.
        patch_cache_control(response, private=True, no_store=True)
        return response

    return login_required(wrapper)  # type: ignore[return-value]


def refusal(request: HttpRequest, message: str, *, status: int) -> HttpResponse:
    """The page that says why an action was refused (403: who you are; 409: the state)."""
    title = (
        _("Action non autorisée") if status == 403 else _("Action impossible dans l'état actuel")
    )
    back = request.META.get("HTTP_REFERER", "")
    if not url_has_allowed_host_and_scheme(
        back, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        back = reverse("applications:dashboard")
    return render(
        request,
        "workflow/refusal.html",
        {"title": title, "message": message, "status": status, "back": back},
        status=status,
    )


def refuse_unless(allowed: bool, message: StrOrPromise) -> None:
    """403 with ``message`` unless the user may use what the page is about to show (a form, a
    confirmation button): nobody is shown a form they may not send.

    A POST is not refused here: it goes to the service, which checks the same ability and
    whose refusal is the page's answer; ``message`` is the service's own wording.
    """
    if not allowed:
        raise ActionForbidden(str(message))


def json_attachment(document: Any, filename: str) -> HttpResponse:
    """A JSON document as a download, indented for people who open it."""
    body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@dataclass(frozen=True)
class SummaryItem:
    """One line of the error summary: a link to the field (or row, or page) it concerns."""

    href: str
    label: str
    message: str


def field_anchor(bound: forms.BoundField) -> str:
    """The id a link must target to reach a field: its first option for a group of radios or
    checkboxes (which has no single input), the input itself otherwise."""
    if bound.field.widget.use_fieldset:
        return f"{bound.auto_id}_0"
    return str(bound.auto_id)


def form_summary(form: forms.BaseForm, anchor: str = "") -> list[SummaryItem]:
    """Every error of a bound form, each linking to its field (form-wide ones to ``anchor``)."""
    items = [
        SummaryItem(f"#{anchor}" if anchor else "#contenu", "", str(message))
        for message in form.non_field_errors()
    ]
    for bound in form:
        for message in bound.errors:
            items.append(SummaryItem(f"#{field_anchor(bound)}", str(bound.label), str(message)))
    return items


def submitted(
    request: HttpRequest, form: forms.BaseForm, call: Callable[[dict[str, Any]], T]
) -> T | None:
    """The service's result for a POSTed, valid form; ``None`` when there was nothing to do
    or the input was refused (the form then carries every error, field by field)."""
    if request.method != "POST" or not form.is_valid():
        return None
    try:
        return call(form.cleaned_data)
    except InvalidInput as exc:
        place_errors(form, exc.errors)
        return None


def bound(request: HttpRequest) -> Any:
    """The data to bind a form to: the POST, or nothing for a GET."""
    return request.POST if request.method == "POST" else None


def place_errors(
    form: forms.BaseForm,
    errors: Iterable[InputError],
    fields: Mapping[str, str] | None = None,
) -> None:
    """Put a service's located errors on a form: ``/comment`` on the field ``comment``.

    ``fields`` maps a JSON Pointer's first segment to a field when their names differ; an error
    that names no field of the form becomes a form-wide error.
    """
    if not hasattr(form, "cleaned_data"):
        form.full_clean()  # add_error works on a validated form
    for error in errors:
        segments = error.pointer.lstrip("/").split("/")
        name = (fields or {}).get(segments[0], segments[0])
        form.add_error(name if name in form.fields else None, error.message)
