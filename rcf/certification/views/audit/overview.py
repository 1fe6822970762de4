"""The audits one may see: the list (an auditor's own, every audit for certifiers) and
the page of one audit with its sample, checklist, findings and evidence.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user, require_roles, roles_of
from rcf.certification.choices import AuditStatus
from rcf.certification.forms.audit import checklist_texts
from rcf.certification.models import Audit
from rcf.certification.permissions import audit_abilities, visible_applications
from rcf.certification.selectors.audit import audit_for
from rcf.core.pages import workflow_page as page


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
    texts = checklist_texts(audit.application.scheme_version)
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
