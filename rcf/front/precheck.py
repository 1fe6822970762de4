"""The public pre-check: anyone may test a declaration against the référentiel.

Nothing is stored: the declaration is read from the upload, the DSNs are spooled to a private
temporary directory for the reader and deleted before the answer leaves.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language
from django.views.decorators.http import require_http_methods

from rcf.front.forms import PrecheckForm
from rcf.precheck.presentation import evaluation_report
from rcf.precheck.services import declaration_evaluate
from rcf.referentiel.declaration import DeclarationError, parse_declaration_json
from rcf.referentiel.declaration.english import message_in
from rcf.referentiel.engine import dumps_evaluation


def _read_dsn(uploads: list[Any]) -> tuple[list[Any], list[str]]:
    """The payroll evidence of the uploaded DSNs, or the errors naming the user's files."""
    from rcf.dsn.reader import DsnFileError
    from rcf.dsn.uploads import UploadRefused, read_uploaded_dsn

    if not uploads:
        return [], []
    try:
        files = [(upload.name or "", upload) for upload in uploads]
        return read_uploaded_dsn(files, max_bytes=settings.RCF_UPLOAD_MAX_BYTES), []
    except (UploadRefused, DsnFileError) as exc:
        return [], list(exc.errors)


def _input_error(error: Any) -> str:
    """« /pointer : message » in French, "/pointer: message" in English (docs/i18n.md)."""
    if (get_language() or "fr").startswith("en"):
        return f"{error.pointer or '/'}: {message_in(error.message, 'en')}"
    return f"{error.pointer or '/'} : {error.message}"


@require_http_methods(["GET", "POST"])
def precheck(request: HttpRequest) -> HttpResponse:
    """Public. Upload a declaration (and DSNs) and read the pre-check; nothing is kept."""
    context: dict[str, Any] = {}
    form = PrecheckForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        errors: list[str] = []
        document: Any = None
        try:
            document = parse_declaration_json(form.cleaned_data["declaration"].read())
        except DeclarationError as exc:
            errors += [_input_error(e) for e in exc.errors]
        payroll, dsn_errors = _read_dsn(form.cleaned_data["dsn"])
        errors += dsn_errors
        if not errors:
            try:
                evaluation = declaration_evaluate(declaration=document, payroll=payroll)
            except DeclarationError as exc:
                errors += [_input_error(e) for e in exc.errors]
            else:
                context["report"] = evaluation_report(evaluation)
                context["evaluation_json"] = dumps_evaluation(evaluation)
                context["applicant"] = evaluation["applicant"]
        if errors:
            context["input_errors"] = errors
            status = 422
    elif request.method == "POST":
        status = 422
    context["form"] = form
    return render(request, "front/precheck.html", context, status=status)
