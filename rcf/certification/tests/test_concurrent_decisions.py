"""Concurrent decisions, on PostgreSQL where transactions really run side by side.

Two certifiers deciding the same application at the same instant give one certificate; many
decisions on different applications at once give distinct numbers (référentiel §5)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection

from rcf.certification.models import Application, Certificate
from rcf.certification.services.decision import application_decide
from rcf.certification.tests import test_api_authorization as states
from rcf.core.errors import DomainError
from tests.support.cast import Cast
from tests.support.factories import make_organisation, make_user

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def race(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run the calls in threads released together; return each result or exception."""
    barrier = threading.Barrier(len(calls))
    results: list[Any] = [None] * len(calls)

    def run(index: int) -> None:
        try:
            barrier.wait()
            results[index] = calls[index]()
        except Exception as exc:
            results[index] = exc
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(calls))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    return results


def test_two_decisions_on_one_application_give_one_certificate(cast: Cast) -> None:
    application = states.audited(cast)
    second = make_user("celine", "certifier")

    def decide(user: Any) -> Callable[[], Any]:
        return lambda: application_decide(
            actor=user, application=application, decision="certify", motivation="OK"
        )

    results = race([decide(cast.certifier.user), decide(second)])
    errors = [r for r in results if isinstance(r, Exception)]
    assert len(errors) == 1 and isinstance(errors[0], DomainError)
    assert errors[0].status_code == 409
    assert Certificate.objects.filter(application=application).count() == 1


def test_concurrent_decisions_on_different_applications_get_distinct_numbers(
    cast: Cast,
) -> None:
    # One open initial dossier per company: each audited dossier is moved to a company of its
    # own before the next is filed (the numbers, not the companies, are under test).
    applications = []
    for index in range(4):
        application = states.audited(cast)
        company = make_organisation(f"90000000{index}", f"Entreprise {index}")
        Application.objects.filter(pk=application.pk).update(organisation=company)
        application.refresh_from_db()
        applications.append(application)

    def decide(application: Any) -> Callable[[], Any]:
        return lambda: application_decide(
            actor=cast.certifier.user,
            application=application,
            decision="certify",
            motivation="OK",
        )

    results = race([decide(a) for a in applications])
    assert not [r for r in results if isinstance(r, Exception)], results
    numbers = sorted(Certificate.objects.values_list("number", flat=True))
    assert len(numbers) == 4 == len(set(numbers))
    assert [n[-4:] for n in numbers] == ["0001", "0002", "0003", "0004"]
