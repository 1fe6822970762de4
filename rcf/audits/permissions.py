"""Who may see and do what with an audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcf.accounts.choices import Role
from rcf.applications.permissions import visible_applications

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User
    from rcf.audits.models import Audit


def audit_abilities(user: User | AnonymousUser, audit: Audit) -> dict[str, bool]:
    """An audit is visible with its application; only its auditor fills it in."""
    view = (
        user.is_authenticated
        and visible_applications(user).filter(pk=audit.application_id).exists()
    )
    assigned = view and audit.auditor_id == user.pk
    return {
        "view": view,
        "fill": assigned,  # checklist, findings, evidence, closing, verifying actions
        "edit_sample": assigned or (view and user.has_role(Role.CERTIFIER)),
        "answer": view
        and user.has_role(Role.APPLICANT)
        and getattr(user, "organisation_id", None) == audit.application.organisation_id,
    }
