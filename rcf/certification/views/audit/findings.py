"""The assigned auditor records a finding (requirement, severity, description) during the
audit.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from rcf.accounts.pages import acting_user
from rcf.certification import refusals
from rcf.certification.forms.audit import FindingForm
from rcf.certification.permissions import audit_abilities
from rcf.certification.selectors.audit import audit_for
from rcf.certification.services import audit as services
from rcf.core.pages import bound, form_summary, refuse_unless, submitted
from rcf.core.pages import workflow_page as page


@page
def finding_new(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor (403 for others), while the audit is planned (409). Record a
    finding: requirement, severity, description."""
    audit = audit_for(request.user, pk)
    form = FindingForm(
        bound(request),
        initial={"requirement": request.GET.get("exigence", "")},
        scheme_version=audit.application.scheme_version,
    )
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
    refuse_unless(audit_abilities(request.user, audit)["fill"], refusals.FILL_AUDIT)
    return render(
        request,
        "audits/finding_new.html",
        {"audit": audit, "form": form, "summary": form_summary(form)},
    )
