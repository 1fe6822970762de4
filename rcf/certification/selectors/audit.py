"""Reading audits and findings as a given user may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rcf.certification.models import Audit, CorrectiveAction, Finding
from rcf.certification.permissions import visible_applications
from rcf.core.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User


def audit_for(user: User | AnonymousUser, audit_id: int) -> Audit:
    """The audit if ``user`` may see its application; :class:`NotFound` otherwise."""
    audit = (
        Audit.objects.select_related("application__organisation", "auditor")
        .filter(pk=audit_id, application__in=visible_applications(user))
        .first()
    )
    if audit is None:
        raise NotFound(f"Aucun audit n° {audit_id}.")
    return audit


def finding_for(user: User | AnonymousUser, finding_id: int) -> Finding:
    finding = (
        Finding.objects.select_related("audit__application", "audit__auditor")
        .filter(pk=finding_id, audit__application__in=visible_applications(user))
        .first()
    )
    if finding is None:
        raise NotFound(f"Aucun constat n° {finding_id}.")
    return finding


def action_for(user: User | AnonymousUser, action_id: int) -> CorrectiveAction:
    action = (
        CorrectiveAction.objects.select_related("finding__audit__application")
        .filter(pk=action_id, finding__audit__application__in=visible_applications(user))
        .first()
    )
    if action is None:
        raise NotFound(f"Aucune action corrective n° {action_id}.")
    return action
