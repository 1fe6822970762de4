"""Who may do what: the role checks every app uses, in one place.

Roles are explicit. ``is_superuser`` opens the Django admin only; it grants no role, so the
impartiality rules (an auditor never decides on what they audited) hold for everyone.

The checks take ``request.user`` (or ``request.auth`` in the API) as it comes, anonymous or
not, and answer False for anonymous and deactivated users.
"""

from __future__ import annotations

from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _

from rcf.accounts.choices import Role
from rcf.accounts.models import Organisation, User
from rcf.core.errors import ActionForbidden

AnyUser = User | AnonymousUser


def active_user(user: AnyUser | None) -> User | None:
    """The user when it is a logged-in, active account; None otherwise."""
    if isinstance(user, User) and user.is_active:
        return user
    return None


def has_role(user: AnyUser | None, role: Role) -> bool:
    account = active_user(user)
    return account is not None and account.has_role(role)


def has_any_role(user: AnyUser | None, *roles: Role) -> bool:
    account = active_user(user)
    return account is not None and any(account.has_role(role) for role in roles)


def require_role(user: AnyUser | None, *roles: Role) -> User:
    """The user when they hold one of ``roles``; :class:`ActionForbidden` (403) otherwise."""
    account = active_user(user)
    if account is None or not any(account.has_role(role) for role in roles):
        raise ActionForbidden(_("Votre rôle ne permet pas cette action."))
    return account


def is_member_of(user: AnyUser | None, organisation: Organisation) -> bool:
    """Whether ``user`` is an applicant of ``organisation`` (acts for that company)."""
    account = active_user(user)
    return (
        account is not None
        and account.has_role(Role.APPLICANT)
        and account.organisation_id == organisation.pk
    )


def organisation_abilities(user: AnyUser | None, organisation: Organisation) -> dict[str, bool]:
    """What ``user`` may do with ``organisation``.

    * ``retrieve``: its own applicants, the AFRC and certification managers. Auditors see the
      organisation through the applications of their audits (the applications app decides).
    * ``update`` (correct the company name; the SIREN never changes): the AFRC.
    * ``manage_users`` (create the company's accounts): the AFRC.
    """
    member = is_member_of(user, organisation)
    afrc = has_role(user, Role.AFRC)
    return {
        "retrieve": member or afrc or has_role(user, Role.CERTIFIER),
        "update": afrc,
        "manage_users": afrc,
    }
