"""API tokens: hashed storage, authentication, revocation, and the bearer auth of the API."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import timedelta

import pytest
from django.middleware.csrf import _get_new_csrf_string
from django.test import Client, RequestFactory
from django.utils import timezone

from rcf.accounts.api_auth import TokenAuth
from rcf.accounts.choices import Role
from rcf.accounts.models import ApiToken, User
from rcf.accounts.services import token_authenticate, token_create, token_revoke, user_create
from rcf.core.errors import InvalidInput

API = pytest.mark.urls("rcf.accounts.tests.api_urls")


@pytest.fixture
def certifier(db: None) -> User:
    return user_create("cecile", [Role.CERTIFIER])


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def test_it_stores_only_the_sha256_of_the_secret(certifier: User) -> None:
    """The clear token is returned once; the row holds its public prefix and the secret's hash."""
    token = token_create(user=certifier)

    marker, prefix, secret = token.split("_", 2)
    assert marker == "rcf"
    assert len(secret) >= 43  # 32 random bytes, base64url
    row = ApiToken.objects.get(user=certifier)
    assert row.prefix == prefix
    assert row.secret_sha256 == hashlib.sha256(secret.encode()).hexdigest()
    assert secret not in row.secret_sha256
    assert token_create(user=certifier) != token


def test_it_authenticates_a_valid_token_and_notes_its_use(certifier: User) -> None:
    """A valid token gives its user; last_used_at is set."""
    token = token_create(user=certifier)

    assert token_authenticate(token) == certifier
    assert ApiToken.objects.get().last_used_at is not None


def test_it_writes_last_used_at_at_most_once_a_minute(certifier: User) -> None:
    """Reads stay reads: a token used twice within a minute is written once."""
    token = token_create(user=certifier)
    token_authenticate(token)
    first = ApiToken.objects.get().last_used_at
    token_authenticate(token)
    assert ApiToken.objects.get().last_used_at == first

    stale = timezone.now() - timedelta(minutes=2)
    ApiToken.objects.update(last_used_at=stale)
    token_authenticate(token)
    assert ApiToken.objects.get().last_used_at > stale  # type: ignore[operator]


@pytest.mark.parametrize(
    "mangle",
    [
        lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),
        lambda t: t.replace("rcf_", "xyz_", 1),
        lambda t: "rcf_00000000_" + t.split("_", 2)[2],
        lambda t: t.split("_", 2)[0] + "_" + t.split("_", 2)[1],
        lambda t: "",
    ],
    ids=["wrong-secret", "wrong-marker", "unknown-prefix", "no-secret", "empty"],
)
def test_it_refuses_a_wrong_token(certifier: User, mangle: Callable[[str], str]) -> None:
    """Any token that is not exactly a stored one gives nobody."""
    token = token_create(user=certifier)

    assert token_authenticate(mangle(token)) is None


def test_it_refuses_a_revoked_token(certifier: User) -> None:
    """Revocation is immediate and final; revoking again keeps the first date."""
    token = token_create(user=certifier)
    row = ApiToken.objects.get()

    token_revoke(token=row)
    revoked_at = ApiToken.objects.get().revoked_at
    token_revoke(token=row)

    assert revoked_at is not None
    assert ApiToken.objects.get().revoked_at == revoked_at
    assert token_authenticate(token) is None


def test_it_refuses_the_token_of_a_deactivated_user(certifier: User) -> None:
    """Deactivating an account stops its tokens."""
    token = token_create(user=certifier)
    certifier.is_active = False
    certifier.save()

    assert token_authenticate(token) is None


def test_the_bearer_class_returns_the_user(certifier: User, rf: RequestFactory) -> None:
    """TokenAuth reads the Authorization header and sets request.user too."""
    token = token_create(user=certifier)
    request = rf.get("/", headers=bearer(token))

    assert TokenAuth()(request) == certifier
    assert request.user == certifier
    assert TokenAuth()(rf.get("/", headers=bearer("rcf_nope_nope"))) is None


@API
@pytest.mark.django_db
def test_the_api_answers_401_without_valid_credentials(certifier: User, client: Client) -> None:
    """No header, a wrong token, a revoked token, another scheme: 401, for GET and POST."""
    token = token_create(user=certifier)
    revoked = token_create(user=certifier)
    token_revoke(token=ApiToken.objects.get(prefix=revoked.split("_")[1]))

    assert client.get("/api/whoami").status_code == 401
    assert client.post("/api/touch").status_code == 401
    assert client.get("/api/whoami", headers=bearer(token + "x")).status_code == 401
    assert client.get("/api/whoami", headers=bearer(revoked)).status_code == 401
    assert client.get("/api/whoami", headers={"Authorization": f"Token {token}"}).status_code == 401


@API
@pytest.mark.django_db
def test_the_api_accepts_a_valid_token(certifier: User, client: Client) -> None:
    """A valid bearer token authenticates GET and POST, without any CSRF token."""
    token = token_create(user=certifier)
    csrf_client = Client(enforce_csrf_checks=True)

    answer = client.get("/api/whoami", headers=bearer(token))
    assert answer.status_code == 200
    assert answer.json() == {"auth": "cecile", "user": "cecile"}
    assert csrf_client.post("/api/touch", headers=bearer(token)).json() == {"auth": "cecile"}


@API
@pytest.mark.django_db
def test_the_api_accepts_the_session_with_its_csrf_token(certifier: User) -> None:
    """A logged-in browser may call the API; a POST without the CSRF token gets 403."""
    browser = Client(enforce_csrf_checks=True)
    browser.force_login(certifier)

    assert browser.get("/api/whoami").json()["auth"] == "cecile"
    assert browser.post("/api/touch").status_code == 403
    csrf = _get_new_csrf_string()
    browser.cookies["csrftoken"] = csrf
    answer = browser.post("/api/touch", headers={"X-CSRFToken": csrf})
    assert answer.status_code == 200
    assert answer.json() == {"auth": "cecile"}


@API
@pytest.mark.django_db
def test_the_api_refuses_the_session_of_a_deactivated_user(certifier: User) -> None:
    """A session left open by a user since deactivated no longer opens the API."""
    browser = Client()
    browser.force_login(certifier)
    User.objects.filter(pk=certifier.pk).update(is_active=False)

    assert browser.get("/api/whoami").status_code == 401


def test_a_token_expires_after_365_days_by_default(certifier: User) -> None:
    """platform-v1.md §4: 365 days unless said otherwise; then it gives nobody."""
    before = timezone.now()
    token = token_create(user=certifier)
    row = ApiToken.objects.get()

    assert before + timedelta(days=365) <= row.expires_at <= timezone.now() + timedelta(days=365)
    assert token_authenticate(token) == certifier
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert token_authenticate(token) is None


def test_a_token_lives_the_days_asked_and_no_more_than_ten_years(certifier: User) -> None:
    """``days`` sets the lifetime; 0, a negative number or over 3650 is refused, nothing made."""
    token_create(user=certifier, days=7)
    row = ApiToken.objects.get()
    lifetime = row.expires_at - row.created_at
    # created_at is stamped by the database save, a moment after expires_at was computed.
    assert timedelta(days=7) - timedelta(minutes=1) < lifetime <= timedelta(days=7)

    for days in (0, -1, 3651):
        with pytest.raises(InvalidInput) as caught:
            token_create(user=certifier, days=days)
        assert [e.pointer for e in caught.value.errors] == ["expires"]
    assert ApiToken.objects.count() == 1


@API
@pytest.mark.django_db
def test_the_api_answers_401_to_an_expired_token(certifier: User, client: Client) -> None:
    """Once past ``expires_at`` the bearer gets 401, like a revoked token."""
    token = token_create(user=certifier, days=1)
    assert client.get("/api/whoami", headers=bearer(token)).status_code == 200

    ApiToken.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    answer = client.get("/api/whoami", headers=bearer(token))
    assert answer.status_code == 401
    assert client.post("/api/touch", headers=bearer(token)).status_code == 401
