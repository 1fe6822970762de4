"""Sessions end after a working day (9 hours) without activity; activity pushes the end on."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.utils import timezone

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.accounts.services import user_create

API = pytest.mark.urls("rcf.accounts.tests.api_urls")
WORKING_DAY = timedelta(hours=9)


@pytest.fixture
def staff(db: None) -> User:
    return user_create("claire", [Role.AUDITOR, Role.CERTIFIER])


def the_session() -> Session:
    return Session.objects.get()


def test_the_settings_say_a_working_day_renewed_by_each_request() -> None:
    assert settings.SESSION_COOKIE_AGE == 9 * 60 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is True


@API
def test_each_request_pushes_the_end_of_the_session_on(staff: User) -> None:
    """A session about to end is given 9 more hours by a request; the cookie says 9 hours."""
    browser = Client()
    browser.force_login(staff)
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=5))

    before = timezone.now()
    answer = browser.get("/api/whoami")
    after = timezone.now()

    assert answer.status_code == 200
    assert before + WORKING_DAY <= the_session().expire_date <= after + WORKING_DAY
    assert answer.cookies[settings.SESSION_COOKIE_NAME]["max-age"] == 9 * 60 * 60


@API
def test_a_session_idle_for_a_working_day_is_over(staff: User) -> None:
    """Past its end the session opens nothing: the API answers 401, pages ask to log in."""
    browser = Client()
    browser.force_login(staff)
    assert browser.get("/api/whoami").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))

    assert browser.get("/api/whoami").status_code == 401


def test_an_anonymous_visit_stores_no_session(client: Client, db: None) -> None:
    """Saving every request concerns logged-in users only: public pages write nothing."""
    client.get("/")
    assert not Session.objects.exists()
