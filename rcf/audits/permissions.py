"""Who may see and do what with an audit."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcf.accounts.choices import Role
from rcf.accounts.permissions import active_user
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
