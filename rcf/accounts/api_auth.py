"""Authentication of the HTTP API (django-ninja): bearer tokens, or the browser's session.

Use ``auth=api_auth`` on a router or an operation. The authenticated :class:`User` is then
``request.auth`` (and ``request.user``). Missing or invalid credentials get 401; a session
request that changes something without its CSRF token gets 403.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from rcf.accounts.models import User
from rcf.accounts.services import token_authenticate


class TokenAuth(HttpBearer):
    """``Authorization: Bearer rcf_<prefix>_<secret>`` (``rcf tokens create USERNAME``)."""

    def authenticate(self, request: HttpRequest, token: str) -> User | None:
        user = token_authenticate(token)
        if user is not None:
            # Code shared with the web pages reads request.user: make it the token's owner.
            request.user = user
        return user


class SessionAuthWithCsrf(SessionAuth):
    """The logged-in browser, with Django's CSRF check on unsafe methods.

    django-ninja's ``SessionAuth`` runs the CSRF check before looking at the session, so an
    anonymous POST would get 403 instead of 401; here the check only runs when a session
    user is actually there to be authenticated.
    """

    def _get_key(self, request: HttpRequest) -> str | None:
        if not request.user.is_authenticated:
            return None
        return super()._get_key(request)

    def authenticate(self, request: HttpRequest, key: str | None) -> Any:
        user = request.user
        if isinstance(user, User) and user.is_active:
            return user
        return None


#: The authentication of every protected endpoint: a token first, else the session.
api_auth = [TokenAuth(), SessionAuthWithCsrf()]


class AuthedRequest(HttpRequest):
    """The request an endpoint behind :data:`api_auth` receives: ``auth`` is the user."""

    auth: User
