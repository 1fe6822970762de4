"""The evidence of an application and what the pre-check makes of it: DSN payroll files
(uploaded in draft, kept as counts only) and the pre-check report with its links to the editor.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from rcf.accounts.pages import acting_user
from rcf.certification.choices import ApplicationStatus
from rcf.certification.editor import finding_targets
from rcf.certification.forms.dossier import DsnUploadForm
from rcf.certification.models import Application
from rcf.certification.permissions import application_abilities
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import dossier as services
from rcf.certification.views.dossier.declaration import section_url
from rcf.core.errors import InvalidInput
from rcf.core.pages import form_summary, json_attachment
from rcf.core.pages import workflow_page as page
from rcf.precheck.choices import Verdict
from rcf.precheck.presentation import evaluation_report

S = ApplicationStatus


def precheck_report(application: Application, *, editable: bool) -> dict[str, Any]:
    """The pre-check of the application, with the scheme's French labels, and for each finding
    the places of the editor where it can be fixed."""

    def links(requirement: Mapping[str, Any], finding: Mapping[str, Any]) -> list[dict[str, str]]:
        found = [
            {"href": f"{section_url(application, t.section)}#{t.anchor}", "label": t.label}
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
@require_POST
def dsn_remove(request: HttpRequest, pk: int, evidence_id: int) -> HttpResponse:
    """The applicant, in draft (403 for others who may see the application, 409 after the
    draft). Removes one DSN summary and runs the pre-check again."""
    application = application_for(request.user, pk)
    application = services.application_remove_dsn(
        actor=acting_user(request), application=application, evidence_id=evidence_id
    )
    messages.success(
        request,
        gettext("DSN retirée. Pré-contrôle : %(verdict)s.")
        % {"verdict": Verdict(application.verdict).label},
    )
    return redirect("applications:dsn", application.pk)


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
            "report": precheck_report(application, editable=editable),
            "can_submit": editable and application.verdict != Verdict.NOT_ELIGIBLE,
        },
    )


@page
def evaluation_json(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the application. The pre-check as a ``rcf-evaluation/1`` file."""
    application = application_for(request.user, pk)
    return json_attachment(application.evaluation, f"pre-controle-dossier-{application.pk}.json")
