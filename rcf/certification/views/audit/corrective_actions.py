"""After the audit, the audited company proposes a corrective action for each open finding
and the auditor verifies it.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from rcf.accounts.pages import acting_user
from rcf.certification import refusals
from rcf.certification.forms.audit import ActionForm, VerificationForm, checklist_texts
from rcf.certification.models import CorrectiveAction
from rcf.certification.permissions import audit_abilities
from rcf.certification.selectors.audit import action_for, finding_for
from rcf.certification.services import audit as services
from rcf.core.pages import bound, form_summary, refuse_unless, submitted
from rcf.core.pages import workflow_page as page


@page
def propose_action(request: HttpRequest, finding_id: int) -> HttpResponse:
    """The audited company (403 for others who may see the finding), on an open finding of a
    closed audit (409 otherwise). Propose a corrective action."""
    finding = finding_for(request.user, finding_id)
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
    refuse_unless(audit_abilities(request.user, finding.audit)["answer"], refusals.PROPOSE_ACTION)
    return render(
        request,
        "audits/propose_action.html",
        {
            "finding": finding,
            "application": finding.audit.application,
            "form": form,
            "summary": form_summary(form),
            "text": checklist_texts(finding.audit.application.scheme_version).get(
                finding.requirement, ""
            ),
        },
    )


@page
def verify_action(request: HttpRequest, action_id: int) -> HttpResponse:
    """The auditor of the finding's audit (403 for others), on an action not yet verified
    (409). Accept (the finding is lifted) or reject with a comment."""
    action: CorrectiveAction = action_for(request.user, action_id)
    audit = action.finding.audit
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
    refuse_unless(audit_abilities(request.user, audit)["fill"], refusals.VERIFY_ACTION)
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
