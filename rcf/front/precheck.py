"""The public pre-check: anyone may test a declaration against the référentiel, as JSON or as
the XLSX workbook (told apart by content), and download the blank workbook, a filled example
and the JSON Schema.

Nothing is stored: the declaration is read from the upload, the DSNs are spooled to a private
temporary directory for the reader and deleted before the answer leaves.
"""

from __future__ import annotations

import re
from importlib import resources
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import get_language, gettext
from django.views.decorators.http import require_GET, require_http_methods

from rcf.front.forms import PrecheckForm
from rcf.precheck.presentation import evaluation_report
from rcf.precheck.services import declaration_evaluate
from rcf.precheck.workbook import (
    XLSX_MEDIA_TYPE,
    blank_workbook,
    declaration_to_workbook,
    locate,
    read_declaration_file,
)
from rcf.referentiel.declaration import (
    DeclarationError,
    InputError,
    declaration_schema_text,
    parse_declaration_json,
)
from rcf.referentiel.declaration.english import message_in
from rcf.referentiel.engine import dumps_evaluation
from rcf.referentiel.versions import scheme_for_declaration

EXAMPLE = "mutuelle-sans-dsn"
"""The filled example offered for download (``rcf/referentiel/examples/``)."""


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


def _lines(errors: list[InputError]) -> list[str]:
    """``location : message``: a JSON Pointer, a cell (``Sites!C12``) or ``/`` for the file;
    "location: message" in English, the validator's French put into English (docs/i18n.md)."""
    if (get_language() or "fr").startswith("en"):
        return [f"{e.pointer or '/'}: {message_in(e.message, 'en')}" for e in errors]
    return [f"{e.pointer or '/'} : {e.message}" for e in errors]


def _dsn_read(document: Any, payroll: list[Any]) -> list[dict[str, Any]]:
    """The DSN files read, each with what it declares and whether it counts as evidence under
    the declaration's scheme (an annulment or a non-monthly DSN does not)."""
    rules = scheme_for_declaration(document).payroll
    return [
        {
            "source": p.source,
            "siret": p.siret,
            "month": p.month,
            "headcount": sum(w.headcount for w in p.workplaces),
            "evidence": rules.is_evidence(p.nature, p.type),
        }
        for p in payroll
    ]


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
        cells: dict[str, str] = {}
        try:
            reading = read_declaration_file(
                form.cleaned_data["declaration"].read(), max_bytes=settings.RCF_UPLOAD_MAX_BYTES
            )
            document, cells = reading.document, reading.cells
        except DeclarationError as exc:
            errors += _lines(exc.errors)
        payroll, dsn_errors = _read_dsn(form.cleaned_data["dsn"])
        if dsn_errors:
            context["dsn_problems"] = dsn_problems(dsn_errors)
            status = 422
        if not errors and not dsn_errors:
            try:
                evaluation = declaration_evaluate(declaration=document, payroll=payroll)
            except DeclarationError as exc:
                # From a workbook, each error is shown at the cell its value came from.
                errors += _lines(locate(exc.errors, cells))
            else:
                context["report"] = evaluation_report(evaluation)
                context["evaluation_json"] = dumps_evaluation(evaluation)
                context["applicant"] = evaluation["applicant"]
                context["dsn_read"] = _dsn_read(document, payroll)
                context["from_workbook"] = bool(cells)
        if errors:
            context["input_errors"] = errors
            status = 422
    elif request.method == "POST":
        status = 422
    context["form"] = form
    return render(request, "front/precheck.html", context, status=status)


def _attachment(body: bytes, content_type: str, filename: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@require_GET
def blank_workbook_file(request: HttpRequest) -> HttpResponse:
    """Public. The workbook to fill, of the latest declaration format."""
    return _attachment(blank_workbook(), XLSX_MEDIA_TYPE, "declaration-rcf-vierge.xlsx")


@require_GET
def example_workbook_file(request: HttpRequest) -> HttpResponse:
    """Public. The workbook of the published example declaration (a mutual insurer)."""
    text = resources.files("rcf.referentiel").joinpath(f"examples/{EXAMPLE}.json").read_bytes()
    body = declaration_to_workbook(parse_declaration_json(text))
    return _attachment(body, XLSX_MEDIA_TYPE, "declaration-rcf-exemple.xlsx")


@require_GET
def declaration_schema_file(request: HttpRequest) -> HttpResponse:
    """Public. The published JSON Schema of ``rcf-declaration/1``."""
    return _attachment(
        declaration_schema_text().encode(),
        "application/schema+json",
        "rcf-declaration-1.schema.json",
    )
