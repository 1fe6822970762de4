"""The login page, its throttle, logout and the password-reset flow."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from rcf.accounts.choices import LoginOutcome, Role
from rcf.accounts.models import LoginAttempt, User
from rcf.accounts.services import (
    login_attempt_record,
    login_locked_until,
    user_create,
    username_digest,
)

PASSWORD = "Brume-Sur-Le-Marais-42"
LOGIN = "/compte/connexion/"


@pytest.fixture
def erin(db: None) -> User:
    return user_create("erin", [Role.AFRC], email="erin@example.org", password=PASSWORD)


def attempt(client: Client, username: str, password: str, ip: str = "127.0.0.1") -> Any:
    return client.post(LOGIN, {"username": username, "password": password}, REMOTE_ADDR=ip)


def test_the_login_page_is_french_accessible_and_without_script(client: Client, db: None) -> None:
    """Labels name each field; no JavaScript is needed; the path is the French one."""
    assert reverse("accounts:login") == LOGIN
    page = client.get(LOGIN)

    html = page.content.decode()
    assert page.status_code == 200
    assert '<label for="id_username">' in html
    assert '<label for="id_password">' in html
    assert "<script" not in html
    assert "Connexion" in html and "Mot de passe oublié" in html


def test_it_logs_in_with_the_right_password(client: Client, erin: User) -> None:
    """Right password: redirected, logged in, the success recorded."""
    answer = attempt(client, "erin", PASSWORD)

    assert answer.status_code == 302
    assert client.session["_auth_user_id"] == str(erin.pk)
    assert LoginAttempt.objects.get().outcome == LoginOutcome.SUCCESS


def test_a_wrong_password_is_an_error_linked_to_both_fields(client: Client, erin: User) -> None:
    """The error is announced (role=alert) and each input points to it with aria-describedby."""
    answer = attempt(client, "erin", "wrong-password")

    html = answer.content.decode()
    assert answer.status_code == 200
    assert '<div class="msg msg-error" id="erreurs-connexion" role="alert">' in html
    for name in ["username", "password"]:
        field = re.search(rf'<input[^>]*name="{name}"[^>]*>', html)
        assert field is not None
        assert 'aria-describedby="erreurs-connexion"' in field.group()
        assert 'aria-invalid="true"' in field.group()
    assert "_auth_user_id" not in client.session


def test_a_missing_field_has_its_own_linked_error(client: Client, db: None) -> None:
    """A field left empty gets an error whose id the input names; nothing is tried."""
    answer = client.post(LOGIN, {"username": "erin", "password": ""})

    html = answer.content.decode()
    assert 'id="id_password_error"' in html
    field = re.search(r'<input[^>]*name="password"[^>]*>', html)
    assert field is not None and 'aria-describedby="id_password_error"' in field.group()
    assert not LoginAttempt.objects.exists()


def test_it_never_stores_the_username_in_clear(client: Client, erin: User) -> None:
    """A typed username (sometimes a password typed in the wrong field) is kept as a digest."""
    attempt(client, "MotDePasseTapeAuMauvaisEndroit", "x")

    row = LoginAttempt.objects.get()
    assert row.username_digest == username_digest("motdepassetapeaumauvaisendroit")
    assert "MotDePasse" not in row.username_digest


def test_five_failures_lock_the_username_even_from_other_addresses(
    client: Client, erin: User
) -> None:
    """After 5 failures for one username, even the right password is refused: 429."""
    for n in range(5):
        assert attempt(client, "erin", "wrong-password", ip=f"10.0.0.{n}").status_code == 200

    answer = attempt(client, "ERIN", PASSWORD, ip="10.0.1.1")

    assert answer.status_code == 429
    assert "Trop de tentatives" in answer.content.decode()
    assert "_auth_user_id" not in client.session
    assert LoginAttempt.objects.filter(outcome=LoginOutcome.REFUSED).count() == 1
    # Another account from another address is not concerned.
    user_create("gina", [Role.AFRC], password=PASSWORD)
    assert attempt(client, "gina", PASSWORD, ip="10.0.2.1").status_code == 302


def test_the_lock_says_the_same_whether_the_account_exists_or_not(
    client: Client, erin: User
) -> None:
    """An unknown username is locked the same way, with the same message."""
    for name in ["erin", "nobody"]:
        for n in range(5):
            attempt(client, name, "wrong-password", ip=f"10.{len(name)}.0.{n}")
    known = attempt(client, "erin", "wrong-password", ip="10.9.9.1")
    unknown = attempt(client, "nobody", "wrong-password", ip="10.9.9.2")

    def error(answer: Any) -> str:
        match = re.search(r'role="alert">(.*?)</div>', answer.content.decode(), re.S)
        assert match is not None
        return match.group(1)

    assert known.status_code == unknown.status_code == 429
    assert error(known) == error(unknown)


def test_five_failures_from_one_address_lock_that_address(client: Client, erin: User) -> None:
    """Five usernames tried from one address: the address is locked, for everyone on it."""
    for n in range(5):
        attempt(client, f"guess{n}", "wrong-password", ip="192.0.2.7")

    assert attempt(client, "erin", PASSWORD, ip="192.0.2.7").status_code == 429
    assert attempt(client, "erin", PASSWORD, ip="192.0.2.8").status_code == 302


def seed(
    times_ago: list[int],
    *,
    username: str = "erin",
    ip: str | None = None,
    outcome: LoginOutcome = LoginOutcome.FAILURE,
) -> None:
    now = timezone.now()
    for minutes in times_ago:
        LoginAttempt.objects.create(
            username_digest=username_digest(username),
            ip=ip,
            attempted_at=now - timedelta(minutes=minutes),
            outcome=outcome,
        )


@pytest.mark.django_db
def test_the_lock_lasts_15_minutes_from_the_fifth_failure() -> None:
    """The fifth failure within 15 minutes starts a 15-minute lock, counted from it."""
    seed([14, 13, 12, 11, 1])

    until = login_locked_until(username="erin", ip=None)

    assert until is not None
    assert timedelta(minutes=13, seconds=50) < until - timezone.now() <= timedelta(minutes=14)


@pytest.mark.django_db
@pytest.mark.parametrize(
    "times_ago",
    [[20, 19, 18, 17, 16], [29, 20, 10, 5, 1], [3, 2, 1, 0]],
    ids=["lock-over", "spread-over-28-minutes", "only-four"],
)
def test_no_lock_when_the_failures_do_not_call_for_one(times_ago: list[int]) -> None:
    """An expired lock, failures spread over more than 15 minutes, or four failures: no lock."""
    seed(times_ago, ip="192.0.2.1")

    assert login_locked_until(username="erin", ip="192.0.2.1") is None


@pytest.mark.django_db
def test_refused_attempts_do_not_extend_the_lock() -> None:
    """Attempts refused during a lock are recorded but do not count as failures."""
    seed([20, 19, 18, 17, 16])
    seed([10, 5, 1, 0, 0], outcome=LoginOutcome.REFUSED)

    assert login_locked_until(username="erin", ip=None) is None


@pytest.mark.django_db
def test_a_success_clears_the_username_count_but_not_the_address_count() -> None:
    """A success forgets the username's earlier failures; the address keeps its count."""
    seed([10, 9, 8, 7], ip="192.0.2.1")
    seed([6], ip="192.0.2.1", outcome=LoginOutcome.SUCCESS)
    seed([5], ip="192.0.2.1")

    assert login_locked_until(username="erin", ip=None) is None
    assert login_locked_until(username="someone", ip="192.0.2.1") is not None


@pytest.mark.django_db
def test_attempts_older_than_a_day_are_forgotten() -> None:
    """Recording an attempt deletes those past the one-day retention."""
    seed([60 * 25, 60 * 23])

    login_attempt_record(username="erin", ip=None, outcome=LoginOutcome.FAILURE)

    assert LoginAttempt.objects.count() == 2


def test_logout_is_a_post(client: Client, erin: User) -> None:
    """GET does not log out (405); POST does, and goes back home."""
    client.force_login(erin)

    assert client.get("/compte/deconnexion/").status_code == 405
    assert "_auth_user_id" in client.session
    answer = client.post("/compte/deconnexion/")
    assert answer.status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_a_user_created_without_password_chooses_one_by_the_reset_email(
    client: Client,
    settings: Any,
) -> None:
    """The reset e-mail reaches an account with no usable password; its link sets one."""
    settings.RCF_BASE_URL = "https://rcf.example.org"
    user = user_create("hugo", [Role.AUDITOR], email="hugo@example.org")

    answer = client.post("/compte/mot-de-passe/oublie/", {"email": "HUGO@example.org"})
    assert answer.status_code == 302
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["hugo@example.org"]
    link = re.search(
        r"https://rcf\.example\.org(/compte/mot-de-passe/nouveau/\S+/)", str(message.body)
    )
    assert link is not None

    form = client.get(link.group(1), follow=True)
    assert form.status_code == 200 and b"new_password1" in form.content
    done = client.post(
        form.redirect_chain[-1][0],
        {"new_password1": PASSWORD, "new_password2": PASSWORD},
    )
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(PASSWORD)


def test_the_reset_form_answers_alike_for_an_unknown_address(client: Client, db: None) -> None:
    """No e-mail is sent, and the answer does not tell the address is unknown."""
    answer = client.post("/compte/mot-de-passe/oublie/", {"email": "nobody@example.org"})

    assert answer.status_code == 302
    assert answer["Location"] == "/compte/mot-de-passe/oublie/envoye/"
    assert mail.outbox == []


@pytest.mark.django_db
def test_password_reset_mails_are_limited_per_address(client: Client) -> None:
    """At most 3 reset e-mails an hour to one address; the answer never changes."""
    from django.core import mail

    from tests.support.factories import make_user

    make_user("claire-reset", "afrc", email="claire.reset@example.test")
    answers = [
        client.post("/compte/mot-de-passe/oublie/", {"email": "claire.reset@example.test"})
        for _ in range(5)
    ]
    assert {(a.status_code, a["Location"]) for a in answers} == {
        (302, "/compte/mot-de-passe/oublie/envoye/")
    }
    assert len(mail.outbox) == 3
