"""The assigned auditor conducts the audit: the checklist RCF-A1 … RCF-A5, then its closing.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from rcf.accounts.pages import acting_user
from rcf.certification import refusals
from rcf.certification.choices import AuditStatus, FindingSeverity
from rcf.certification.forms.audit import ChecklistForm
from rcf.certification.permissions import audit_abilities
from rcf.certification.selectors.audit import audit_for
from rcf.certification.services import audit as services
from rcf.core.errors import InvalidInput
from rcf.core.pages import form_summary, refuse_unless
from rcf.core.pages import workflow_page as page


@page
def checklist(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor (403 for others who may see the audit), while the audit is planned
    (409). The checklist RCF-A1 … RCF-A5: a result and notes each."""
    audit = audit_for(request.user, pk)
    rows = {item.requirement: item for item in audit.checklist.all()}
    initial = {}
    for rid, item in rows.items():
        initial[f"{rid}-result"] = item.result
        initial[f"{rid}-notes"] = item.notes
    form = ChecklistForm(initial=initial, scheme_version=audit.application.scheme_version)
    if request.method == "POST":
        form = ChecklistForm(request.POST, scheme_version=audit.application.scheme_version)
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
    refuse_unless(audit_abilities(request.user, audit)["fill"], refusals.FILL_AUDIT)
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
def close(request: HttpRequest, pk: int) -> HttpResponse:
    """The assigned auditor (403 for others). A confirmation page, then the closing: refused
    (409) while a checklist item has no result, or once the audit is closed."""
    audit = audit_for(request.user, pk)
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
    refuse_unless(audit_abilities(request.user, audit)["fill"], refusals.FILL_AUDIT)
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
