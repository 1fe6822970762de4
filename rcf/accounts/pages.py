"""What the pages of every app need to know about the person using them: their roles, and the
account that acts.

These helpers live with the accounts, not in :mod:`rcf.core.pages`: the core is the bottom
layer and knows nothing of users or roles.
"""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.accounts.permissions import active_user, require_role
from rcf.core.errors import ActionForbidden


def require_roles(request: HttpRequest, *roles: Role) -> None:
    """A page reserved to some roles: 403 for a logged-in user who holds none of them."""
    require_role(request.user, *roles)


def acting_user(request: HttpRequest) -> User:
    """The logged-in user who acts (every workflow page is behind the login)."""
    user = active_user(request.user)
    if user is None:
        raise ActionForbidden(gettext("Connectez-vous pour continuer."))
    return user


def roles_of(request: HttpRequest) -> frozenset[str]:
    """The names of the roles of the logged-in user (none for an anonymous visitor)."""
    return frozenset(getattr(request.user, "role_names", frozenset()))
