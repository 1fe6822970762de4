"""The applicant's declaration: creating an application (from an empty declaration, a JSON
file or the XLSX workbook), reading the whole declaration, editing it section by section (the
editor lives in :mod:`rcf.certification.editor`), downloading it and replacing it by an
uploaded file (JSON or workbook, told apart by content; a workbook's errors are shown at their
cells, ``docs/declaration-workbook.md``).

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language, gettext

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user
from rcf.certification import refusals
from rcf.certification.choices import ApplicationStatus
from rcf.certification.editor import SECTIONS, empty_declaration, sections_for
from rcf.certification.forms.dossier import CreateForm, DeclarationUploadForm
from rcf.certification.models import Application
from rcf.certification.permissions import application_abilities
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import dossier as services
from rcf.core.errors import ActionForbidden, InvalidInput, TransitionNotAllowed
from rcf.core.pages import form_summary, json_attachment, refuse_unless
from rcf.core.pages import workflow_page as page
from rcf.precheck.choices import Verdict
from rcf.precheck.workbook import locate, read_declaration_file
from rcf.referentiel.declaration import DeclarationError
from rcf.referentiel.declaration.english import message_in
from rcf.referentiel.versions import (
    load_scheme,
    scheme_in_effect,
    scheme_versions,
    upgrade_declaration,
)

S = ApplicationStatus


def section_url(application: Application, slug: str) -> str:
    """The editor's page of one section of the application's declaration."""
    return reverse("applications:section", args=[application.pk, slug])


@page
def create(request: HttpRequest) -> HttpResponse:
    """Applicants of an organisation. Create an application from an empty declaration (to
    fill in with the editor) or from a JSON file or workbook."""
    user = acting_user(request)
    # Checked here, not left to the service: the empty declaration is made from the
    # organisation, and both forms of the page are for its applicants only.
    organisation = user.organisation if user.has_role(Role.APPLICANT) else None
    if organisation is None:
        raise ActionForbidden(str(refusals.CREATE_APPLICATION))
    empty_form = CreateForm(initial={"reference_date": timezone.localdate()})
    upload_form = DeclarationUploadForm()
    upload_errors: list[Any] = []
    cells: dict[str, str] = {}
    if request.method == "POST":
        document: Any = None
        if request.POST.get("action") == "upload":
            upload_form = DeclarationUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                document, cells, upload_errors = _read_declaration(upload_form)
        else:
            empty_form = CreateForm(request.POST)
            if empty_form.is_valid():
                document = empty_declaration(
                    organisation.siren,
                    organisation.name,
                    empty_form.cleaned_data["reference_date"].isoformat(),
                    scheme_in_effect(timezone.localdate()).version,
                )
        if document is not None:
            try:
                application = services.application_create(actor=user, declaration=document)
            except InvalidInput as exc:
                upload_errors = locate(exc.errors, cells)
            except services.SecondApplication as exc:
                # One open initial dossier per company: lead to the one that exists.
                messages.warning(request, exc.message)
                if exc.application_id is not None:
                    return redirect("applications:detail", exc.application_id)
                return redirect("certificates:detail", exc.certificate_number)
            else:
                messages.success(request, gettext("Le dossier est créé."))
                return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/create.html",
        {
            "empty_form": empty_form,
            "upload_form": upload_form,
            "upload_errors": _in_page_language(upload_errors),
            "summary": form_summary(empty_form) + form_summary(upload_form),
        },
    )


def _in_page_language(errors: list[Any]) -> list[dict[str, str]]:
    """Input errors (pointer + the validator's French message) as the page shows them: in
    English under /en/ (the formats keep the French)."""
    language = get_language()
    return [{"pointer": e.pointer, "message": message_in(e.message, language)} for e in errors]


def _read_declaration(form: DeclarationUploadForm) -> tuple[Any, dict[str, str], list[Any]]:
    """The declaration of an uploaded JSON file or workbook with its pointer → cell map (to
    show the service's errors at their cells), or the errors that say why it is not one."""
    upload = form.cleaned_data["file"]
    if upload.size > settings.RCF_UPLOAD_MAX_BYTES:
        form.add_error("file", gettext("Le fichier est trop volumineux."))
        return None, {}, []
    try:
        reading = read_declaration_file(upload.read(), max_bytes=settings.RCF_UPLOAD_MAX_BYTES)
    except DeclarationError as exc:
        return None, {}, list(exc.errors)
    return reading.document, reading.cells, []


@page
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application. The whole declaration, read-only, with the editor's
    sections (for its company, while in draft), the JSON download and upload."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    scheme = load_scheme(application.scheme_version).in_language(get_language())
    return render(
        request,
        "applications/declaration.html",
        {
            "application": application,
            "abilities": abilities,
            "editable": abilities["edit"] and application.status == S.DRAFT,
            "sections": sections_for(application.declaration),
            "d": application.declaration,
            "labels": scheme.enumerations,
            "contracts": {code: kind.label for code, kind in scheme.contract_kinds.items()},
            "commitments": scheme.commitments,
            "scope_dimensions": scheme.scope_dimensions,
        },
    )


@page
def section(request: HttpRequest, pk: int, slug: str) -> HttpResponse:
    """The applicant of the application (403 for others who may see it). One section of the
    declaration editor; saving rebuilds the declaration and runs the pre-check again. Outside
    draft the section is shown read-only and a save is refused (409)."""
    application = application_for(request.user, pk)
    section_class = SECTIONS.get(slug)
    if section_class is None:
        raise Http404(slug)
    may_edit = application_abilities(request.user, application)["edit"]
    editable = application.status == S.DRAFT

    def url_of(slug: str) -> str:
        return section_url(application, slug)

    if request.method != "POST":
        current = section_class(application.declaration, disabled=not editable, section_url=url_of)
        return _section_page(request, application, current, editable, may_edit)
    action = request.POST.get("action", "save")
    if action == "upgrade":
        return _upgrade(request, application, slug)
    current = section_class(
        application.declaration,
        request.POST,
        add_row=action == "add",
        section_url=url_of,
    )
    if getattr(current, "needs_upgrade", False):
        # A version 1 declaration has no contact points to save: only the upgrade is offered.
        return _section_page(request, application, current, editable, may_edit)
    if action == "add" or not current.is_valid():
        return _section_page(request, application, current, editable, may_edit)
    document = current.document()
    try:
        application = services.application_update_declaration(
            actor=acting_user(request),
            application=application,
            declaration=document,
        )
    except InvalidInput as exc:
        current.place(exc.errors)
        return _section_page(request, application, current, editable, may_edit)
    messages.success(
        request,
        gettext("« %(section)s » est enregistré. Pré-contrôle : %(verdict)s.")
        % {"section": section_class.title, "verdict": Verdict(application.verdict).label},
    )
    return redirect("applications:section", application.pk, slug)


def _upgrade(request: HttpRequest, application: Application, slug: str) -> HttpResponse:
    """Move a draft's declaration to the latest version (referentiel-v2.md §3): what the new
    version adds is added empty, and the pre-check says what to fill. The service refuses
    anyone but the company (403) and a dossier out of draft (409)."""
    latest = scheme_versions()[-1]
    services.application_update_declaration(
        actor=acting_user(request),
        application=application,
        declaration=upgrade_declaration(application.declaration, latest),
    )
    messages.success(
        request,
        gettext("La déclaration est passée à la version %(version)s du référentiel.")
        % {"version": latest},
    )
    return redirect("applications:section", application.pk, slug)


def _section_page(
    request: HttpRequest, application: Application, current: Any, editable: bool, may_edit: bool
) -> HttpResponse:
    """The section's form; a save goes to the service, which refuses it to anyone but the
    company (403), so only showing the form is refused here, in the service's words."""
    refuse_unless(may_edit, refusals.EDIT_DECLARATION)
    sections = sections_for(application.declaration)
    slugs = list(sections)
    index = slugs.index(current.slug) if current.slug in slugs else len(slugs)
    return render(
        request,
        f"applications/section_{current.slug}.html",
        {
            "application": application,
            "section": current,
            "sections": sections,
            "editable": editable,
            "summary": current.all_errors(),
            "previous": slugs[index - 1] if index > 0 else None,
            "next": slugs[index + 1] if index + 1 < len(slugs) else None,
        },
    )


@page
def declaration_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application. The declaration as a ``rcf-declaration/1`` file."""
    application = application_for(request.user, pk)
    return json_attachment(application.declaration, f"declaration-dossier-{application.pk}.json")


@page
def declaration_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant of the application, in draft. Replace the whole declaration by a JSON
    file or a workbook; a refused file changes nothing and every error is listed (a
    workbook's at their cells)."""
    application = application_for(request.user, pk)
    form = DeclarationUploadForm()
    errors: list[Any] = []
    if request.method == "POST":
        form = DeclarationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            document, cells, errors = _read_declaration(form)
            if document is not None:
                try:
                    application = services.application_update_declaration(
                        actor=acting_user(request),
                        application=application,
                        declaration=document,
                    )
                except InvalidInput as exc:
                    errors = locate(exc.errors, cells)
                else:
                    messages.success(
                        request,
                        gettext("La déclaration est remplacée. Pré-contrôle : %(verdict)s.")
                        % {"verdict": Verdict(application.verdict).label},
                    )
                    return redirect("applications:precheck", application.pk)
    # The replacement is the service's to refuse (403); the form is not shown to others.
    refuse_unless(
        application_abilities(request.user, application)["edit"], refusals.EDIT_DECLARATION
    )
    return render(
        request,
        "applications/declaration_upload.html",
        {
            "application": application,
            "form": form,
            "errors": _in_page_language(errors),
            "summary": form_summary(form),
        },
    )


@page
def delete(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant of the application (403 for others), in draft (409 otherwise). GET asks
    for confirmation; POST deletes the draft, so the company may start again."""
    application = application_for(request.user, pk)
    if request.method == "POST":
        services.application_delete(actor=acting_user(request), application=application)
        messages.success(
            request,
            gettext("Le brouillon n° %(id)s est supprimé.") % {"id": pk},
        )
        return redirect("applications:dashboard")
    refuse_unless(application_abilities(request.user, application)["edit"], refusals.DELETE_DRAFT)
    if application.status != ApplicationStatus.DRAFT:
        raise TransitionNotAllowed(
            gettext("Seul un brouillon peut être supprimé (le dossier est « %(status)s »).")
            % {"status": application.get_status_display()}
        )
    return render(request, "applications/delete.html", {"application": application})
