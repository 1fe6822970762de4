"""Who may see and do what with an application: the one place these rules live.

Visibility (404 when false): an applicant sees its organisation's applications; the AFRC sees
every application; a certifier sees every application once submitted; an auditor sees the
applications of the audits assigned to them. Abilities (403 when false) are by role only; the
state (409) is checked by the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rcf.accounts.choices import Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User
    from rcf.applications.models import Application


def visible_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """The applications ``user`` may see."""
    from rcf.applications.choices import ApplicationStatus
    from rcf.applications.models import Application

    queryset = Application.objects.select_related("organisation")
    if not user.is_authenticated:
        return queryset.none()
    if user.has_role(Role.AFRC):
        return queryset
    condition = Q(pk__in=[])
    if user.has_role(Role.APPLICANT) and user.organisation_id:
        condition |= Q(organisation_id=user.organisation_id)
    if user.has_role(Role.CERTIFIER):
        condition |= ~Q(status=ApplicationStatus.DRAFT)
    if user.has_role(Role.AUDITOR):
        condition |= Q(audits__auditor=user)
    return queryset.filter(condition).distinct()


def application_abilities(user: User | AnonymousUser, application: Application) -> dict[str, bool]:
    """What ``user`` may do with ``application``, whatever its state."""
    if not user.is_authenticated:
        return dict.fromkeys(
            (
                "view",
                "edit",
                "submit",
                "answer_findings",
                "judge_admissibility",
                "plan_audit",
                "decide",
                "view_evidence",
            ),
            False,
        )
    from rcf.audits.models import Audit

    view = visible_applications(user).filter(pk=application.pk).exists()
    own = (
        view
        and user.has_role(Role.APPLICANT)
        and user.organisation_id == application.organisation_id
    )
    # Defence in depth: nobody acts as AFRC, certifier or auditor on their own company's file.
    outsider = getattr(user, "organisation_id", None) != application.organisation_id
    certifier = view and outsider and user.has_role(Role.CERTIFIER)
    audited = Audit.objects.filter(application=application, auditor=user).exists()
    return {
        "view": view,
        "edit": own,
        "submit": own,
        "answer_findings": own,
        "judge_admissibility": view and outsider and user.has_role(Role.AFRC),
        "plan_audit": certifier,
        # ISO/IEC 17065 §7.6: who audited the application may not decide on it.
        "decide": certifier and not audited,
        "view_evidence": view,
    }
