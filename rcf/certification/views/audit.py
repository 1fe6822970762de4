"""Pages of audits (under ``/espace/audits/``): planning by a certifier; the checklist,
findings, evidence, sample and closing by the assigned auditor; corrective actions proposed by
the company and verified by the auditor.

Every view is thin: it finds what the user may see (404 otherwise), calls one service per POST,
and shows the service's refusal (403, 409, or the form again with its errors). Who may use a
view is said in its docstring.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from rcf.accounts.choices import Role
from rcf.certification.choices import (
    ApplicationKind,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    FindingSeverity,
)
from rcf.certification.forms.audit import (
    ActionForm,
    ChecklistForm,
    EvidenceForm,
    FindingForm,
    PlanForm,
    SampleForm,
    VerificationForm,
    checklist_texts,
    site_choices,
)
from rcf.certification.models import Application, Audit, CorrectiveAction, EvidenceFile
from rcf.certification.permissions import (
    application_abilities,
    audit_abilities,
    visible_applications,
)
from rcf.certification.sampling import SampleEntry
from rcf.certification.selectors.audit import action_for, audit_for, finding_for
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import audit as services
from rcf.core.errors import ActionForbidden, InvalidInput
from rcf.core.pages import (
    acting_user,
    bound,
    form_summary,
    place_errors,
    require_roles,
    roles_of,
    submitted,
)
from rcf.core.pages import workflow_page as page

A = ApplicationStatus


def _require(abilities: dict[str, bool], ability: str, message: str) -> None:
    if not abilities[ability]:
        raise ActionForbidden(message)


def _default_kind(application: Application) -> str:
    if application.status == A.CERTIFIED:
        return AuditKind.SURVEILLANCE
    if application.kind == ApplicationKind.RENEWAL:
        return AuditKind.RENEWAL
    return AuditKind.INITIAL


def _proposal(application: Application, kind: str) -> list[SampleEntry]:
    """The IAF MD 1 proposal for this kind of audit, with the reason for each site."""
    kind = kind if kind in AuditKind.values else AuditKind.INITIAL
    return services.audit_sample_proposal(application, kind)


# --- certifier: planning ---------------------------------------------------------------------


@page
def plan_queue(request: HttpRequest) -> HttpResponse:
    """Certifiers (403 for other roles). Admissible applications awaiting their audit, and
    certified ones (for a surveillance audit)."""
    require_roles(request, Role.CERTIFIER)
    visible = visible_applications(request.user)
    return render(
        request,
        "audits/plan_queue.html",
        {
            "admissible": visible.filter(status=A.ADMISSIBLE).order_by("updated_at", "id"),
            "certified": visible.filter(status=A.CERTIFIED).order_by("organisation__name", "id"),
        },
    )


@page
def plan(request: HttpRequest, application_id: int) -> HttpResponse:
    """Certifiers (403 for others who may see the application). Plan an audit: auditor, date,
    kind, and the sites to visit — the proposal of the sampling rule, each with its reason,
    editable with checkboxes. An admissible application (or a certified one, for a surveillance
    audit) only (409)."""
    application = application_for(request.user, application_id)
    abilities = application_abilities(request.user, application)
    _require(
        abilities,
        "plan_audit",
        gettext("Seul un responsable de certification planifie les audits."),
    )
    kind = request.POST.get("kind") or request.GET.get("nature") or _default_kind(application)
    proposal = _proposal(application, kind)
    reasons = {s["site"]: s["reason"] for s in proposal}
    sites = site_choices(application.declaration, reasons)
    form = PlanForm(
        sites=sites,
        initial={
            "kind": kind,
            "sites": [s["site"] for s in proposal],
            "planned_on": timezone.localdate() + dt.timedelta(days=30),
        },
    )
    if request.method == "POST":
        form = PlanForm(request.POST, sites=sites)
        if form.is_valid():
            chosen = form.cleaned_data["sites"]
            # Proposed sites first, in the order the rule chose them, then the added ones.
            ordered = [s for s in reasons if s in chosen] + [
                s for s, _l in sites if s in chosen and s not in reasons
            ]
            try:
                audit = services.audit_plan(
                    actor=acting_user(request),
                    application=application,
                    auditor_username=form.cleaned_data["auditor"],
                    planned_on=form.cleaned_data["planned_on"],
                    kind=form.cleaned_data["kind"],
                    sampled_sites=[{"site": s, "reason": reasons.get(s, "")} for s in ordered],
                )
            except InvalidInput as exc:
                place_errors(form, exc.errors, {"sampled_sites": "sites"})
            else:
                messages.success(request, gettext("L'audit est planifié."))
                return redirect("audits:detail", audit.pk)
    return render(
        request,
        "audits/plan.html",
        {
            "application": application,
            "form": form,
            "summary": form_summary(form),
            "kind": kind,
            "kinds": AuditKind.choices,
            "proposal": proposal,
        },
    )


# --- auditor and certifier: audits -----------------------------------------------------------


@page
def audit_list(request: HttpRequest) -> HttpResponse:
    """Auditors (their audits) and certifiers (every audit). 403 for other roles."""
    require_roles(request, Role.AUDITOR, Role.CERTIFIER)
    audits = Audit.objects.select_related("application__organisation", "auditor")
    if Role.CERTIFIER in roles_of(request):
        audits = audits.filter(application__in=visible_applications(request.user))
    else:
        audits = audits.filter(auditor=acting_user(request))
    mine = Role.CERTIFIER not in roles_of(request)
    return render(
        request,
        "audits/list.html",
        {
            "planned": audits.filter(status=AuditStatus.PLANNED).order_by("planned_on", "id"),
            "closed": audits.filter(status=AuditStatus.CLOSED).order_by("-closed_at", "-id"),
            "mine": mine,
        },
    )


@page
def detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the audit's application. The audit: sample, checklist, findings and
    their corrective actions, evidence; the actions its auditor may take."""
    audit = audit_for(request.user, pk)
    abilities = audit_abilities(request.user, audit)
    texts = checklist_texts()
    sites = {s["id"]: s for s in audit.application.declaration.get("sites", [])}
    return render(
        request,
        "audits/detail.html",
        {
            "audit": audit,
            "application": audit.application,
            "abilities": abilities,
            "planned": audit.status == AuditStatus.PLANNED,
            "checklist": [
                {"item": item, "text": texts.get(item.requirement, "")}
                for item in audit.checklist.all()
            ],
            "missing": [item.requirement for item in audit.checklist.all() if not item.result],
            "sample": [{**s, "site_data": sites.get(s["site"], {})} for s in audit.sampled_sites],
            "findings": audit.findings.prefetch_related("actions").order_by("id"),
            "evidence": audit.evidence.order_by("uploaded_at", "id"),
        },
    )


@page
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor (403 for others who may see the audit), while the audit is planned
    (409). The checklist RCF-A1 … RCF-A5: a result and notes each."""
    audit = audit_for(request.user, pk)
    _require(
        audit_abilities(request.user, audit),
        "fill",
        gettext("Seul l'auditeur désigné pour cet audit peut le renseigner."),
    )
    rows = {item.requirement: item for item in audit.checklist.all()}
    initial = {}
    for rid, item in rows.items():
        initial[f"{rid}-result"] = item.result
        initial[f"{rid}-notes"] = item.notes
    form = ChecklistForm(initial=initial)
    if request.method == "POST":
        form = ChecklistForm(request.POST)
        if form.is_valid():
            items = form.items()
            try:
                services.audit_checklist_update(
                    actor=acting_user(request), audit=audit, items=items
                )
            except InvalidInput as exc:
                for error in exc.errors:
                    parts = error.pointer.strip("/").split("/")
                    if len(parts) >= 3 and parts[1].isdigit() and int(parts[1]) < len(items):
                        rid = items[int(parts[1])]["requirement"]
                        name = f"{rid}-{'notes' if parts[2] == 'notes' else 'result'}"
                        form.add_error(name, error.message)
                    else:
                        form.add_error(None, error.message)
            else:
                messages.success(request, gettext("La grille d'audit est enregistrée."))
                return redirect("audits:detail", audit.pk)
    if audit.status != AuditStatus.PLANNED:
        for field in form.fields.values():
            field.disabled = True
    return render(
        request,
        "audits/checklist.html",
        {
            "audit": audit,
            "form": form,
            "summary": form_summary(form),
            "planned": audit.status == AuditStatus.PLANNED,
        },
    )


@page
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor (403 for others), while the audit is planned (409). Record a
    finding: requirement, severity, description."""
    audit = audit_for(request.user, pk)
    _require(
        audit_abilities(request.user, audit),
        "fill",
        gettext("Seul l'auditeur désigné pour cet audit peut le renseigner."),
    )
    form = FindingForm(bound(request), initial={"requirement": request.GET.get("exigence", "")})
    if submitted(
        request,
        form,
        lambda data: services.finding_record(
            actor=acting_user(request),
            audit=audit,
            requirement=data["requirement"],
            severity=data["severity"],
            description=data["description"],
        ),
    ):
        messages.success(request, gettext("Le constat est enregistré."))
        return redirect("audits:detail", audit.pk)
    return render(
        request,
        "audits/finding_new.html",
        {"audit": audit, "form": form, "summary": form_summary(form)},
    )


@page
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the audit sees its evidence files; the assigned auditor adds one while
    the audit is planned (403 for others, 409 once closed)."""
    audit = audit_for(request.user, pk)
    abilities = audit_abilities(request.user, audit)
    form = EvidenceForm()
    if request.method == "POST":
        _require(
            abilities, "fill", gettext("Seul l'auditeur désigné pour cet audit peut le renseigner.")
        )
        form = EvidenceForm(request.POST, request.FILES)
        if submitted(
            request,
            form,
            lambda data: services.evidence_add(
                actor=acting_user(request),
                audit=audit,
                requirement=data["requirement"],
                name=data["file"].name or "",
                handle=data["file"],
                size=data["file"].size or 0,
            ),
        ):
            messages.success(request, gettext("La pièce est ajoutée."))
            return redirect("audits:evidence", audit.pk)
    return render(
        request,
        "audits/evidence.html",
        {
            "audit": audit,
            "abilities": abilities,
            "planned": audit.status == AuditStatus.PLANNED,
            "form": form,
            "summary": form_summary(form),
            "files": audit.evidence.select_related("uploaded_by").order_by("uploaded_at", "id"),
        },
    )


@page
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """Whoever may see the audit's application (404 otherwise). The file, as an attachment,
    with its recognised type and ``nosniff``: a browser never renders it inside the site."""
    item = (
        EvidenceFile.objects.select_related("audit")
        .filter(pk=evidence_id, audit__application__in=visible_applications(request.user))
        .first()
    )
    if item is None:
        raise Http404(gettext("Aucune pièce n° %(id)s.") % {"id": evidence_id})
    path = Path(settings.RCF_UPLOAD_DIR) / item.stored_name
    if not path.is_file():
        raise Http404(gettext("Le fichier de cette pièce est introuvable."))
    response = FileResponse(
        path.open("rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@page
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the audit (404 otherwise): the audit report as a PDF attachment,
    provisional while the audit is planned."""
    from rcf.certification.audit_report import audit_report_pdf

    audit = audit_for(request.user, pk)
    response = HttpResponse(audit_report_pdf(audit), content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="rapport-audit-{audit.pk}.pdf"'
    return response


@page
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor and certifiers (403 for others), while the audit is planned (409).
    Change the sites to visit."""
    audit = audit_for(request.user, pk)
    _require(
        audit_abilities(request.user, audit),
        "edit_sample",
        gettext(
            "Seuls le responsable de certification et l'auditeur désigné modifient l'échantillon."
        ),
    )
    reasons = {s["site"]: s["reason"] for s in audit.sampled_sites}
    sites = site_choices(audit.application.declaration, reasons)
    form = SampleForm(sites=sites, initial={"sites": list(reasons)})
    if request.method == "POST":
        form = SampleForm(request.POST, sites=sites)
        if form.is_valid():
            chosen = form.cleaned_data["sites"]
            ordered = [s for s in reasons if s in chosen] + [
                s for s, _l in sites if s in chosen and s not in reasons
            ]
            try:
                services.audit_update_sample(
                    actor=acting_user(request),
                    audit=audit,
                    sites=[{"site": s, "reason": reasons.get(s, "")} for s in ordered],
                )
            except InvalidInput as exc:
                place_errors(form, exc.errors, {"sampled_sites": "sites"})
            else:
                messages.success(request, gettext("L'échantillon est modifié."))
                return redirect("audits:detail", audit.pk)
    return render(
        request,
        "audits/sample.html",
        {
            "audit": audit,
            "form": form,
            "summary": form_summary(form),
            "planned": audit.status == AuditStatus.PLANNED,
        },
    )


@page
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor (403 for others). A confirmation page, then the closing: refused
    (409) while a checklist item has no result, or once the audit is closed."""
    audit = audit_for(request.user, pk)
    _require(
        audit_abilities(request.user, audit),
        "fill",
        gettext("Seul l'auditeur désigné pour cet audit peut le renseigner."),
    )
    if request.method == "POST":
        audit = services.audit_close(actor=acting_user(request), audit=audit)
        major = audit.findings.filter(severity=FindingSeverity.MAJOR).count()
        minor = audit.findings.filter(severity=FindingSeverity.MINOR).count()
        messages.success(
            request,
            gettext(
                "L'audit est clôturé : %(major)s non-conformité(s) majeure(s), "
                "%(minor)s mineure(s)."
            )
            % {"major": major, "minor": minor},
        )
        return redirect("audits:detail", audit.pk)
    return render(
        request,
        "audits/close.html",
        {
            "audit": audit,
            "planned": audit.status == AuditStatus.PLANNED,
            "missing": [item.requirement for item in audit.checklist.all() if not item.result],
            "findings": audit.findings.order_by("id"),
        },
    )


# --- the company and the auditor: corrective actions -----------------------------------------


@page
def propose_action(request: HttpRequest, finding_id: int) -> HttpResponse:
    """The audited company (403 for others who may see the finding), on an open finding of a
    closed audit (409 otherwise). Propose a corrective action."""
    finding = finding_for(request.user, finding_id)
    _require(
        audit_abilities(request.user, finding.audit),
        "answer",
        gettext("Seule l'entreprise auditée propose des actions correctives."),
    )
    form = ActionForm(bound(request))
    if submitted(
        request,
        form,
        lambda data: services.corrective_action_propose(
            actor=acting_user(request),
            finding=finding,
            description=data["description"],
        ),
    ):
        messages.success(request, gettext("L'action corrective est transmise à l'auditeur."))
        return redirect("applications:detail", finding.audit.application_id)
    return render(
        request,
        "audits/propose_action.html",
        {
            "finding": finding,
            "application": finding.audit.application,
            "form": form,
            "summary": form_summary(form),
            "text": checklist_texts().get(finding.requirement, ""),
        },
    )


@page
def verify_action(request: HttpRequest, action_id: int) -> HttpResponse:
    """The auditor of the finding's audit (403 for others), on an action not yet verified
    (409). Accept (the finding is lifted) or reject with a comment."""
    action: CorrectiveAction = action_for(request.user, action_id)
    audit = action.finding.audit
    _require(
        audit_abilities(request.user, audit),
        "fill",
        gettext("Seul l'auditeur de cet audit vérifie les actions correctives."),
    )
    form = VerificationForm(bound(request))
    if submitted(
        request,
        form,
        lambda data: services.corrective_action_verify(
            actor=acting_user(request),
            action=action,
            accepted=data["accepted"],
            comment=data["comment"],
        ),
    ):
        messages.success(request, gettext("La vérification est enregistrée."))
        return redirect("audits:detail", audit.pk)
    return render(
        request,
        "audits/verify_action.html",
        {
            "action": action,
            "finding": action.finding,
            "audit": audit,
            "form": form,
            "summary": form_summary(form),
        },
    )
