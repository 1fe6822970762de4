"""An application on its way to a decision: the applicant submits it, the AFRC judges its
admissibility, a certifier who did not audit it decides (ISO/IEC 17065 §7.6).

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user, require_roles
from rcf.certification import refusals
from rcf.certification.choices import ApplicationStatus
from rcf.certification.forms.dossier import AdmissibilityForm, DecisionForm
from rcf.certification.models import Application, Audit
from rcf.certification.permissions import application_abilities, visible_applications
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import dossier as services
from rcf.certification.services.decision import application_decide
from rcf.certification.views.dossier.evidence import precheck_report
from rcf.certification.views.dossier.workspace import audit_rows
from rcf.core.pages import bound, form_summary, refuse_unless, submitted
from rcf.core.pages import workflow_page as page

S = ApplicationStatus


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
    refuse_unless(abilities["judge_admissibility"], refusals.JUDGE_ADMISSIBILITY)
    return render(
        request,
        "applications/admissibility.html",
        {
            "application": application,
            "abilities": abilities,
            "form": form,
            "summary": form_summary(form),
            "report": precheck_report(application, editable=False),
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
    refuse_unless(abilities["plan_audit"], refusals.DECIDE)
    refuse_unless(abilities["decide"], refusals.DECIDE_AUDITED)
    return render(
        request,
        "applications/decision.html",
        {
            "application": application,
            "abilities": abilities,
            "form": form,
            "summary": form_summary(form),
            "audits": audit_rows(application, request.user),
            "report": precheck_report(application, editable=False),
        },
    )
