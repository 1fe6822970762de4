"""The public pre-check: anyone may test a declaration against the référentiel.

Nothing is stored: the declaration is read from the upload, the DSNs are spooled to a private
temporary directory for the reader and deleted before the answer leaves.
"""

from __future__ import annotations

import re
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from rcf.front.forms import PrecheckForm
from rcf.precheck.presentation import evaluation_report
from rcf.precheck.services import declaration_evaluate
from rcf.referentiel.declaration import DeclarationError, parse_declaration_json
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


LOCATED = re.compile(r"^(?P<file>.+?):(?P<line>[0-9]+): (?P<message>.*)$", re.S)


def dsn_problems(errors: list[str]) -> list[dict[str, Any]]:
    """The DSN errors grouped by file, each different message once with the lines it concerns:
    a file that is not a DSN at all gives one sentence, not one line per line of the file."""
    files: dict[str, dict[str, list[int]]] = {}
    loose: list[str] = []
    for error in errors:
        found = LOCATED.match(error)
        if found is None:
            loose.append(error)
            continue
        messages = files.setdefault(found["file"], {})
        messages.setdefault(found["message"], []).append(int(found["line"]))
    problems: list[dict[str, Any]] = (
        [{"file": "", "not_dsn": False, "messages": loose}] if loose else []
    )
    for name, messages in files.items():
        lines = sorted(line for found in messages.values() for line in found)
        not_dsn = 1 in lines and any("mal formée" in m for m in messages)
        shown = []
        for message, at in messages.items():
            located = f"{name}:{min(at)}: {message}"  # FILE:LINE, as the API and the CLI
            if len(at) > 1:
                located += " " + gettext(
                    "(et %(count)s autres lignes, jusqu'à la ligne %(last)s)"
                ) % {
                    "count": len(at) - 1,
                    "last": max(at),
                }
            shown.append(located)
        problems.append({"file": name, "not_dsn": not_dsn, "messages": shown})
    return problems


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
            errors += [f"{e.pointer or '/'} : {e.message}" for e in exc.errors]
        payroll, dsn_errors = _read_dsn(form.cleaned_data["dsn"])
        if dsn_errors:
            context["dsn_problems"] = dsn_problems(dsn_errors)
            status = 422
        if not errors and not dsn_errors:
            try:
                evaluation = declaration_evaluate(declaration=document, payroll=payroll)
            except DeclarationError as exc:
                errors += [f"{e.pointer or '/'} : {e.message}" for e in exc.errors]
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
