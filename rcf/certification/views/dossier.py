"""Pages of applications (under ``/espace/``): the applicant's dossiers, declaration editor,
DSN, pre-check and submission; the AFRC's admissibility; the certifier's decisions.

Every view is thin: it finds what the user may see (404 otherwise), calls one service per POST,
and shows the service's refusal (403, 409, or the form again with its errors). Who may use a
view is said in its docstring.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rcf.accounts.choices import Role
from rcf.certification.choices import ApplicationStatus
from rcf.certification.editor import SECTIONS, empty_declaration, finding_targets
from rcf.certification.forms.dossier import (
    AdmissibilityForm,
    CreateForm,
    DecisionForm,
    DeclarationUploadForm,
    DsnUploadForm,
)
from rcf.certification.models import Application, Audit, Finding
from rcf.certification.permissions import application_abilities, visible_applications
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import dossier as services
from rcf.certification.services.decision import application_decide
from rcf.core.errors import ActionForbidden, InvalidInput
from rcf.core.pages import (
    acting_user,
    bound,
    form_summary,
    require_roles,
    roles_of,
    submitted,
)
from rcf.core.pages import workflow_page as page
from rcf.journal.selectors import journal_for
from rcf.precheck.choices import Verdict
from rcf.precheck.presentation import VERDICT_CLASS, evaluation_report
from rcf.referentiel.declaration import DeclarationError, parse_declaration_json
from rcf.referentiel.scheme import load_scheme

S = ApplicationStatus

NEXT_STEP = {
    S.DRAFT: _("Complétez la déclaration, consultez le pré-contrôle, puis déposez le dossier."),
    S.SUBMITTED: _("L'AFRC examine la recevabilité du dossier."),
    S.ADMISSIBLE: _("L'organisme certificateur va planifier l'audit."),
    S.AUDIT_PLANNED: _("L'audit est planifié : préparez les pièces demandées."),
    S.AUDITED: _("L'organisme certificateur va prendre sa décision."),
    S.CORRECTIVE_ACTIONS: _("Proposez une action corrective pour chaque non-conformité ouverte."),
    S.CERTIFIED: _("Téléchargez votre certificat et votre kit de badge."),
    S.REFUSED: _("La certification est refusée ; une nouvelle candidature reste possible."),
}

JOURNAL_ACTIONS = {
    "rcf.application.created": _("Dossier créé"),
    "rcf.application.declaration_updated": _("Déclaration modifiée"),
    "rcf.application.dsn_added": _("DSN déposées"),
    "rcf.application.submitted": _("Dossier déposé"),
    "rcf.application.admissible": _("Dossier déclaré recevable"),
    "rcf.application.returned": _("Dossier renvoyé à l'entreprise"),
    "rcf.application.audit_planned": _("Audit planifié"),
    "rcf.application.audit_closed": _("Audit clôturé"),
    "rcf.application.decided": _("Décision de certification"),
}

IMPARTIALITY = _(
    "Vous avez audité ce dossier : la décision revient à une autre personne "
    "(impartialité, ISO/IEC 17065 §7.6)."
)


def _section_url(application: Application, slug: str) -> str:
    return reverse("applications:section", args=[application.pk, slug])


def _history(application: Application) -> list[dict[str, Any]]:
    """The journal of the application as people read it."""
    labels = dict(S.choices)
    entries = []
    for entry in journal_for("application", application.pk):
        data = entry.data or {}
        details = [
            str(data[key])
            for key in ("comment", "motivation", "certificate")
            if isinstance(data.get(key), str) and data[key]
        ]
        entries.append(
            {
                "at": entry.recorded_at,
                "label": JOURNAL_ACTIONS.get(entry.action, entry.action),
                "actor": entry.actor_username or gettext("la plateforme"),
                "before": labels.get(entry.before, entry.before),
                "after": labels.get(entry.after, entry.after),
                "details": details,
            }
        )
    return entries


def _report(application: Application, *, editable: bool) -> dict[str, Any]:
    """The pre-check of the application, with the scheme's French labels, and for each finding
    the places of the editor where it can be fixed."""

    def links(requirement: Mapping[str, Any], finding: Mapping[str, Any]) -> list[dict[str, str]]:
        found = [
            {"href": f"{_section_url(application, t.section)}#{t.anchor}", "label": t.label}
            for t in finding_targets(application.declaration, finding)
        ]
        if requirement["id"] == "RCF-07":
            found.append(
                {
                    "href": reverse("applications:dsn", args=[application.pk]),
                    "label": gettext("Déposer des DSN"),
                }
            )
        return found

    return evaluation_report(application.evaluation, links_for=links if editable else None)


def _audits(application: Application, user: Any) -> list[dict[str, Any]]:
    from rcf.certification.permissions import audit_abilities

    audits = []
    for audit in application.audits.select_related("auditor").order_by("planned_on", "id"):
        findings = list(
            Finding.objects.filter(audit=audit).prefetch_related("actions").order_by("id")
        )
        audits.append(
            {"audit": audit, "abilities": audit_abilities(user, audit), "findings": findings}
        )
    return audits


# --- applicant -------------------------------------------------------------------------------


@page
def dashboard(request: HttpRequest) -> HttpResponse:
    """Logged-in users. The applications the user may see (an applicant: its organisation's),
    with status, pre-check verdict and next step; filter by status."""
    applications = visible_applications(request.user).order_by("-updated_at", "-id")
    status = request.GET.get("statut", "")
    if status in S.values:
        applications = applications.filter(status=status)
    applicant = Role.APPLICANT in roles_of(request)
    rows = [
        {
            "application": application,
            "next_step": NEXT_STEP.get(S(application.status), ""),
            "verdict_class": VERDICT_CLASS.get(Verdict(application.verdict), "warn"),
        }
        for application in applications[:500]
    ]
    return render(
        request,
        "applications/dashboard.html",
        {
            "rows": rows,
            "applicant": applicant,
            "can_create": applicant and getattr(request.user, "organisation_id", None),
            "statuses": S.choices,
            "status": status,
        },
    )


@page
def create(request: HttpRequest) -> HttpResponse:
    """Applicants of an organisation. Create an application from an empty declaration (to
    fill in with the editor) or from a JSON file."""
    require_roles(request, Role.APPLICANT)
    user = acting_user(request)
    organisation = user.organisation
    if organisation is None:
        raise ActionForbidden(
            gettext("Seul un demandeur rattaché à une entreprise peut créer un dossier.")
        )
    empty_form = CreateForm(initial={"reference_date": timezone.localdate()})
    upload_form = DeclarationUploadForm()
    upload_errors: list[Any] = []
    if request.method == "POST":
        document: Any = None
        if request.POST.get("action") == "upload":
            upload_form = DeclarationUploadForm(request.POST, request.FILES)
            if upload_form.is_valid():
                document, upload_errors = _read_declaration(upload_form)
        else:
            empty_form = CreateForm(request.POST)
            if empty_form.is_valid():
                document = empty_declaration(
                    organisation.siren,
                    organisation.name,
                    empty_form.cleaned_data["reference_date"].isoformat(),
                )
        if document is not None:
            try:
                application = services.application_create(actor=user, declaration=document)
            except InvalidInput as exc:
                upload_errors = exc.errors
            else:
                messages.success(request, gettext("Le dossier est créé."))
                return redirect("applications:detail", application.pk)
    return render(
        request,
        "applications/create.html",
        {
            "empty_form": empty_form,
            "upload_form": upload_form,
            "upload_errors": upload_errors,
            "summary": form_summary(empty_form) + form_summary(upload_form),
        },
    )


def _read_declaration(form: DeclarationUploadForm) -> tuple[Any, list[Any]]:
    """The parsed JSON of an uploaded declaration, or the errors that say why it is not."""
    upload = form.cleaned_data["file"]
    if upload.size > settings.RCF_UPLOAD_MAX_BYTES:
        form.add_error("file", gettext("Le fichier est trop volumineux."))
        return None, []
    try:
        return parse_declaration_json(upload.read()), []
    except DeclarationError as exc:
        return None, list(exc.errors)


@page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application (its company, the AFRC, certifiers once submitted, its
    auditors). Status, next step, actions the user may take, audits and findings, certificate,
    history."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    certificate = application.certificates.order_by("-id").first()
    return render(
        request,
        "applications/detail.html",
        {
            "application": application,
            "abilities": abilities,
            "next_step": NEXT_STEP.get(S(application.status), ""),
            "verdict_class": VERDICT_CLASS.get(Verdict(application.verdict), "warn"),
            "verdict_label": Verdict(application.verdict).label,
            "history": _history(application),
            "audits": _audits(application, request.user),
            "certificate": certificate,
            "payroll_count": application.payroll_evidence.count(),
            "is_draft": application.status == S.DRAFT,
            "sections": SECTIONS,
        },
    )


@page
def declaration(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application. The whole declaration, read-only, with the editor's
    sections (for its company, while in draft), the JSON download and upload."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    scheme = load_scheme()
    return render(
        request,
        "applications/declaration.html",
        {
            "application": application,
            "abilities": abilities,
            "editable": abilities["edit"] and application.status == S.DRAFT,
            "sections": SECTIONS,
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
    abilities = application_abilities(request.user, application)
    if not abilities["edit"]:
        raise ActionForbidden(gettext("Seule l'entreprise peut modifier sa déclaration."))
    editable = application.status == S.DRAFT

    def section_url(slug: str) -> str:
        return _section_url(application, slug)

    if request.method != "POST":
        current = section_class(
            application.declaration, disabled=not editable, section_url=section_url
        )
        return _section_page(request, application, current, editable)
    action = request.POST.get("action", "save")
    current = section_class(
        application.declaration,
        request.POST,
        add_row=action == "add",
        section_url=section_url,
    )
    if action == "add" or not current.is_valid():
        return _section_page(request, application, current, editable)
    document = current.document()
    try:
        application = services.application_update_declaration(
            actor=acting_user(request),
            application=application,
            declaration=document,
        )
    except InvalidInput as exc:
        current.place(exc.errors)
        return _section_page(request, application, current, editable)
    messages.success(
        request,
        gettext("« %(section)s » est enregistré. Pré-contrôle : %(verdict)s.")
        % {"section": section_class.title, "verdict": Verdict(application.verdict).label},
    )
    return redirect("applications:section", application.pk, slug)


def _section_page(
    request: HttpRequest, application: Application, current: Any, editable: bool
) -> HttpResponse:
    slugs = list(SECTIONS)
    index = slugs.index(current.slug)
    return render(
        request,
        f"applications/section_{current.slug}.html",
        {
            "application": application,
            "section": current,
            "sections": SECTIONS,
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
    return _json_attachment(application.declaration, f"declaration-dossier-{application.pk}.json")


@page
def evaluation_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application. The pre-check as a ``rcf-evaluation/1`` file."""
    application = application_for(request.user, pk)
    return _json_attachment(application.evaluation, f"pre-controle-dossier-{application.pk}.json")


def _json_attachment(document: Any, filename: str) -> HttpResponse:
    body = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    response = HttpResponse(body.encode(), content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@page
def declaration_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant of the application, in draft. Replace the whole declaration by a JSON
    file; a refused file changes nothing and every error is listed."""
    application = application_for(request.user, pk)
    if not application_abilities(request.user, application)["edit"]:
        raise ActionForbidden(gettext("Seule l'entreprise peut modifier sa déclaration."))
    form = DeclarationUploadForm()
    errors: list[Any] = []
    if request.method == "POST":
        form = DeclarationUploadForm(request.POST, request.FILES)
        if form.is_valid():
            document, errors = _read_declaration(form)
            if document is not None:
                try:
                    application = services.application_update_declaration(
                        actor=acting_user(request),
                        application=application,
                        declaration=document,
                    )
                except InvalidInput as exc:
                    errors = exc.errors
                else:
                    messages.success(
                        request,
                        gettext("La déclaration est remplacée. Pré-contrôle : %(verdict)s.")
                        % {"verdict": Verdict(application.verdict).label},
                    )
                    return redirect("applications:precheck", application.pk)
    return render(
        request,
        "applications/declaration_upload.html",
        {
            "application": application,
            "form": form,
            "errors": errors,
            "summary": form_summary(form),
        },
    )


@page
def dsn(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application sees the DSN summaries (counts only); its applicant
    uploads DSN files in draft. A malformed file is refused with its ``FILE:LINE`` errors and
    nothing is kept."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    form = DsnUploadForm()
    errors: list[str] = []
    if request.method == "POST":
        form = DsnUploadForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                application = services.application_add_dsn(
                    actor=acting_user(request),
                    application=application,
                    files=[(upload.name or "dsn", upload) for upload in form.cleaned_data["file"]],
                )
            except InvalidInput as exc:
                errors = [error.message for error in exc.errors]
                form.add_error("file", exc.message)
            else:
                messages.success(
                    request,
                    gettext("DSN enregistrées. Pré-contrôle : %(verdict)s.")
                    % {"verdict": Verdict(application.verdict).label},
                )
                return redirect("applications:dsn", application.pk)
    evidence = [
        {
            "row": row,
            "individuals": sum(int(w["headcount"]) for w in row.summary.get("workplaces", [])),
        }
        for row in application.payroll_evidence.all()
    ]
    return render(
        request,
        "applications/dsn.html",
        {
            "application": application,
            "abilities": abilities,
            "editable": abilities["edit"] and application.status == S.DRAFT,
            "form": form,
            "errors": errors,
            "summary": form_summary(form),
            "evidence": evidence,
        },
    )


@page
def precheck(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application. The pre-check as a readable report: verdict, each
    requirement with its findings in French (linked to the editor for its company), metrics,
    and the submit button (disabled with its reason while the verdict is « non éligible »)."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    editable = abilities["edit"] and application.status == S.DRAFT
    return render(
        request,
        "applications/precheck.html",
        {
            "application": application,
            "abilities": abilities,
            "editable": editable,
            "report": _report(application, editable=editable),
            "can_submit": editable and application.verdict != Verdict.NOT_ELIGIBLE,
        },
    )


@require_POST
@page
def submit(request: HttpRequest, pk: int) -> HttpResponse:
    """The applicant of the application (403 for others), in draft (409 otherwise), when the
    pre-check is not « non éligible » (409). Submits the dossier to the AFRC."""
    application = application_for(request.user, pk)
    services.application_submit(actor=acting_user(request), application=application)
    messages.success(
        request, gettext("Le dossier est déposé : l'AFRC va examiner sa recevabilité.")
    )
    return redirect("applications:detail", application.pk)


# --- AFRC ------------------------------------------------------------------------------------


@page
def admissibility_queue(request: HttpRequest) -> HttpResponse:
    """The AFRC (403 for other roles). The submitted applications, oldest first."""
    require_roles(request, Role.AFRC)
    applications = visible_applications(request.user).filter(status=S.SUBMITTED)
    return render(
        request,
        "applications/admissibility_queue.html",
        {"applications": applications.order_by("submitted_at", "id")},
    )


@page
def admissibility(request: HttpRequest, pk: int) -> HttpResponse:
    """The AFRC (403 for others who may see the application). Read the declaration and the
    pre-check, then declare the application admissible or return it with a comment; only a
    submitted application is judged (409)."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    if not abilities["judge_admissibility"]:
        raise ActionForbidden(gettext("Seule l'AFRC juge la recevabilité d'un dossier."))
    form = AdmissibilityForm(bound(request))
    judged = submitted(
        request,
        form,
        lambda data: services.application_admissibility(
            actor=acting_user(request),
            application=application,
            admissible=data["admissible"],
            comment=data["comment"],
        ),
    )
    if judged is not None:
        messages.success(
            request,
            gettext("Dossier n° %(id)s : %(status)s.")
            % {"id": judged.pk, "status": judged.get_status_display()},
        )
        return redirect("applications:admissibility_queue")
    return render(
        request,
        "applications/admissibility.html",
        {
            "application": application,
            "abilities": abilities,
            "form": form,
            "summary": form_summary(form),
            "report": _report(application, editable=False),
            "members": _memberships(application),
        },
    )


def _memberships(application: Application) -> list[Any]:
    from rcf.members.models import Member

    return list(Member.objects.filter(siren=application.organisation.siren))


# --- certifier -------------------------------------------------------------------------------


@page
def decision_queue(request: HttpRequest) -> HttpResponse:
    """Certifiers (403 for other roles). Audited applications awaiting a decision, and those
    held by corrective actions; for each, whether this certifier may decide (impartiality)."""
    require_roles(request, Role.CERTIFIER)
    applications = visible_applications(request.user).filter(
        status__in=[S.AUDITED, S.CORRECTIVE_ACTIONS]
    )
    audited_by_me = set(
        Audit.objects.filter(auditor=acting_user(request)).values_list("application_id", flat=True)
    )
    rows = [
        {"application": application, "audited": application.pk in audited_by_me}
        for application in applications.order_by("updated_at", "id")
    ]
    return render(request, "applications/decision_queue.html", {"rows": rows})


@page
def decision(request: HttpRequest, pk: int) -> HttpResponse:
    """Certifiers who did not audit the application (403 for the others, with the
    impartiality rule). Decide with a motivation: certify (the certificate is issued) or
    refuse. Only an audited application without an open major non-conformity is decided
    (409)."""
    application = application_for(request.user, pk)
    abilities = application_abilities(request.user, application)
    if not abilities["plan_audit"]:
        raise ActionForbidden(gettext("Seul un responsable de certification prend les décisions."))
    if not abilities["decide"]:
        raise ActionForbidden(str(IMPARTIALITY))
    form = DecisionForm(bound(request))
    decided = submitted(
        request,
        form,
        lambda data: application_decide(
            actor=acting_user(request),
            application=application,
            decision=data["decision"],
            motivation=data["motivation"],
        ),
    )
    if decided is not None:
        certificate = decided.certificates.order_by("-id").first()
        if decided.status == S.CERTIFIED and certificate is not None:
            messages.success(
                request,
                gettext("Certification accordée : certificat %(number)s.")
                % {"number": certificate.number},
            )
        else:
            messages.success(request, gettext("La certification est refusée."))
        return redirect("applications:detail", decided.pk)
    return render(
        request,
        "applications/decision.html",
        {
            "application": application,
            "abilities": abilities,
            "form": form,
            "summary": form_summary(form),
            "audits": _audits(application, request.user),
            "report": _report(application, editable=False),
        },
    )
