"""``/espace/accueil/``: where each role lands after logging in — what waits for it, with
counts, in its own words. A person with two roles (auditor and certifier) sees both parts.

Logged-in users; an account with no role is told so (it has nothing to do here).
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user, roles_of
from rcf.certification.models import Application
from rcf.certification.permissions import visible_applications
from rcf.certification.selectors import workspace as waiting
from rcf.certification.views.dossier.workspace import NEXT_STEP, S
from rcf.core.pages import workflow_page as page
from rcf.reports.selectors import open_reports

SHOWN = 10
"""Rows listed per kind of task; the count gives the whole."""


def _listed(items: Any) -> dict[str, Any]:
    """The count of a list or query, and its first rows."""
    if isinstance(items, list):
        return {"count": len(items), "rows": items[:SHOWN]}
    return {"count": items.count(), "rows": list(items[:SHOWN])}


@page
def workspace(request: HttpRequest) -> HttpResponse:
    """Logged-in users. Each role's tasks: the AFRC's dossiers to judge and logo reports; the
    certifier's audits to plan, decisions to take and certificates to watch; the auditor's
    audits and actions to verify; the applicant's dossiers with their next step."""
    user = acting_user(request)
    roles = roles_of(request)
    context: dict[str, Any] = {"roles": roles}
    if Role.AFRC in roles:
        context["afrc"] = {
            "to_judge": _listed(waiting.applications_to_judge()),
            "reports": _listed(open_reports()),
        }
    if Role.CERTIFIER in roles:
        context["certifier"] = {
            "to_plan": _listed(waiting.applications_to_plan()),
            "to_decide": _listed(waiting.applications_to_decide(user)),
            "surveillance": _listed(waiting.surveillance_due()),
            "suspensions": _listed(waiting.suspensions_near_withdrawal()),
        }
    if Role.AUDITOR in roles:
        context["auditor"] = {
            "audits": _listed(waiting.audits_of(user)),
            "actions": _listed(waiting.actions_to_verify(user)),
        }
    if Role.APPLICANT in roles:
        dossiers: list[Application] = list(
            visible_applications(user).order_by("-updated_at", "-id")[:SHOWN]
        )
        context["applicant"] = {
            "rows": [
                {"application": a, "next_step": NEXT_STEP.get(S(a.status), "")} for a in dossiers
            ],
            "can_create": bool(user.organisation_id),
        }
    return render(request, "workspace/home.html", context)
