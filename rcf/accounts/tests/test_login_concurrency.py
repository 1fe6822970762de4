"""The login throttle holds under simultaneous attempts (PostgreSQL, real connections): forty
wrong passwords sent at once check five passwords, not as many as got past a read."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import RequestFactory

from rcf.accounts.choices import LoginOutcome
from rcf.accounts.forms import LoginForm
from rcf.accounts.models import LoginAttempt
from rcf.certification.tests.test_concurrent_decisions import race
from tests.support.factories import make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def _attempt() -> Any:
    request = RequestFactory().post("/compte/connexion/", REMOTE_ADDR="192.0.2.7")
    form = LoginForm(request, data={"username": "claire", "password": "not-her-password"})
    return form.is_valid(), form.throttled


def test_forty_simultaneous_wrong_passwords_check_five() -> None:
    make_user("claire", "afrc")
    results = race([_attempt for _ in range(40)])
    assert not [r for r in results if isinstance(r, Exception)], results
    assert all(valid is False for valid, _ in results)
    outcomes = list(LoginAttempt.objects.values_list("outcome", flat=True))
    assert outcomes.count(LoginOutcome.FAILURE) == 5
    assert outcomes.count(LoginOutcome.REFUSED) == 35
    assert sum(1 for _, throttled in results if throttled) == 35
