"""Planning an audit (certifiers): the queue of applications awaiting one, the plan with
the sites the IAF MD 1 sampling rule proposes, and later changes to the sites to visit (the
assigned auditor too).

Who may use a view is said in its docstring.
"""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user, require_roles
from rcf.certification import refusals
from rcf.certification.choices import (
    ApplicationKind,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    CertificateStatus,
)
from rcf.certification.forms.audit import PlanForm, SampleForm, site_choices
from rcf.certification.models import Application, Certificate
from rcf.certification.permissions import (
    application_abilities,
    audit_abilities,
    visible_applications,
)
from rcf.certification.sampling import SampleEntry
from rcf.certification.selectors.audit import audit_for
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import audit as services
from rcf.core.errors import InvalidInput
from rcf.core.pages import form_summary, place_errors, refuse_unless
from rcf.core.pages import workflow_page as page

A = ApplicationStatus


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
            # Surveillance only for a certificate still in force (valid or suspended): never
            # for a withdrawn or expired one.
            "certified": visible.filter(
                status=A.CERTIFIED,
                certificates__in=Certificate.objects.with_public_status().filter(
                    public_status__in=[  # type: ignore[misc]  # an annotation
                        CertificateStatus.ACTIVE,
                        CertificateStatus.SUSPENDED,
                    ]
                ),
            ).order_by("organisation__name", "id"),
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
    refuse_unless(abilities["plan_audit"], refusals.PLAN_AUDIT)
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


@page
def sample(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor and certifiers (403 for others), while the audit is planned (409).
    Change the sites to visit."""
    audit = audit_for(request.user, pk)
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
    refuse_unless(audit_abilities(request.user, audit)["edit_sample"], refusals.EDIT_SAMPLE)
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
