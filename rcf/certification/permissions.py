"""Who may see and do what with an application, an audit and a certificate: the one place
these rules live.

Applications.

Visibility (404 when false): an applicant sees its organisation's applications; the AFRC sees
every application; a certifier sees every application once submitted; an auditor sees the
applications of the audits assigned to them. Abilities (403 when false) are by role only; the
state (409) is checked by the services.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from rcf.accounts.choices import Role
from rcf.accounts.permissions import active_user, has_any_role, has_role, is_member_of
from rcf.certification.choices import ApplicationStatus
from rcf.certification.models import Application, Audit, Certificate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User


def visible_applications(user: User | AnonymousUser) -> QuerySet[Application]:
    """The applications ``user`` may see."""
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


def audit_abilities(user: User | AnonymousUser, audit: Audit) -> dict[str, bool]:
    """An audit is visible with its application; only its auditor fills it in."""
    view = (
        user.is_authenticated
        and visible_applications(user).filter(pk=audit.application_id).exists()
    )
    account = active_user(user) if view else None
    assigned = account is not None and audit.auditor_id == account.pk
    return {
        "view": view,
        "fill": assigned,  # checklist, findings, evidence, closing, verifying actions
        "edit_sample": assigned or (account is not None and account.has_role(Role.CERTIFIER)),
        "answer": account is not None
        and account.has_role(Role.APPLICANT)
        and account.organisation_id == audit.application.organisation_id,
    }


def visible_certificates(user: User | AnonymousUser) -> QuerySet[Certificate]:
    """Certificates a user may open here: the company's own, and every one for the AFRC and
    certifiers (404 for the others; the public pages show every certificate to anyone)."""
    certificates = Certificate.objects.with_public_status().select_related("organisation")
    if has_any_role(user, Role.CERTIFIER, Role.AFRC):
        return certificates
    account = active_user(user)
    if account is not None and account.has_role(Role.APPLICANT) and account.organisation_id:
        return certificates.filter(organisation_id=account.organisation_id)
    return certificates.none()


def certificate_abilities(user: User | AnonymousUser, certificate: Certificate) -> dict[str, bool]:
    """What ``user`` may do with ``certificate``, whatever its state (the services check it)."""
    own = is_member_of(user, certificate.organisation)
    certifier = has_role(user, Role.CERTIFIER)
    return {
        "view": own or has_any_role(user, Role.CERTIFIER, Role.AFRC),
        "download": own or has_any_role(user, Role.CERTIFIER, Role.AFRC),
        "renew": own,
        "suspend": certifier,
        "reinstate": certifier,
        "withdraw": certifier,
    }
