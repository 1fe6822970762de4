"""Every transition that the current state forbids answers 409 and changes nothing:
no status, no journal entry, no e-mail (platform-v1.md §2)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from rcf.certification.models import Application, Audit, Certificate
from rcf.certification.services.certificate import certificate_suspend, certificate_withdraw
from rcf.certification.tests import test_api_authorization as states
from rcf.journal.models import JournalEntry
from rcf.notifications.models import OutgoingEmail
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db


def suspended(cast: Cast) -> Certificate:
    return certificate_suspend(
        actor=cast.certifier.user, certificate=states.certified(cast), reason="Test"
    )


def withdrawn(cast: Cast) -> Certificate:
    return certificate_withdraw(
        actor=cast.certifier.user, certificate=states.certified(cast), reason="Test"
    )


def partly_filled(cast: Cast) -> Audit:
    audit = states.planned(cast)
    from rcf.certification.services.audit import audit_checklist_update

    return audit_checklist_update(actor=cast.auditor.user, audit=audit, items=states.OK_ITEMS[:4])


def closed(cast: Cast) -> Audit:
    audit = states.audited(cast)
    return Audit.objects.get(application=audit)


# (who acts, how to reach the state, request)
CASES: dict[str, tuple[str, Callable[[Cast], Any], Callable[[Any], tuple[str, str, Any]]]] = {
    "submit twice": (
        "applicant",
        states.submitted,
        lambda a: ("post", f"/api/v1/applications/{a.pk}/submit", None),
    ),
    "edit a submitted declaration": (
        "applicant",
        states.submitted,
        lambda a: ("put", f"/api/v1/applications/{a.pk}/declaration", example_declaration()),
    ),
    "judge a draft": (
        "afrc",
        states.draft,
        lambda a: (
            "post",
            f"/api/v1/applications/{a.pk}/admissibility",
            {"admissible": True, "comment": ""},
        ),
    ),
    "plan an audit before admissibility": (
        "certifier",
        states.submitted,
        lambda a: (
            "post",
            f"/api/v1/applications/{a.pk}/audits",
            {"auditor": "alice", "planned_on": "2026-12-10", "kind": "initial"},
        ),
    ),
    "close with an item without result": (
        "auditor",
        partly_filled,
        lambda a: ("post", f"/api/v1/audits/{a.pk}/close", None),
    ),
    "fill a closed audit": (
        "auditor",
        closed,
        lambda a: ("put", f"/api/v1/audits/{a.pk}/checklist", {"items": states.OK_ITEMS}),
    ),
    "decide before the audit is closed": (
        "certifier",
        lambda c: states.planned(c).application,
        lambda a: (
            "post",
            f"/api/v1/applications/{a.pk}/decision",
            {"decision": "certify", "motivation": "OK"},
        ),
    ),
    "decide twice": (
        "certifier",
        lambda c: states.certified(c).application,
        lambda a: (
            "post",
            f"/api/v1/applications/{a.pk}/decision",
            {"decision": "refuse", "motivation": "Non"},
        ),
    ),
    "suspend a suspended certificate": (
        "certifier",
        suspended,
        lambda c: ("post", f"/api/v1/certificates/{c.number}/suspend", {"reason": "x"}),
    ),
    "reinstate an active certificate": (
        "certifier",
        states.certified,
        lambda c: ("post", f"/api/v1/certificates/{c.number}/reinstate", {"reason": "x"}),
    ),
    "withdraw a withdrawn certificate": (
        "certifier",
        withdrawn,
        lambda c: ("post", f"/api/v1/certificates/{c.number}/withdraw", {"reason": "x"}),
    ),
    "reinstate a withdrawn certificate": (
        "certifier",
        withdrawn,
        lambda c: ("post", f"/api/v1/certificates/{c.number}/reinstate", {"reason": "x"}),
    ),
}


def snapshot() -> tuple[Any, ...]:
    return (
        list(Application.objects.order_by("pk").values_list("status", "updated_at")),
        list(Certificate.objects.order_by("pk").values_list("status", "status_changed_at")),
        list(Audit.objects.order_by("pk").values_list("status", "closed_at")),
        JournalEntry.objects.count(),
        OutgoingEmail.objects.count(),
    )


@pytest.mark.parametrize("case", list(CASES))
def test_it_answers_409_and_changes_nothing(cast: Cast, case: str) -> None:
    role, reach, request = CASES[case]
    method, path, body = request(reach(cast))
    before = snapshot()
    response = getattr(cast, role).call(method, path, body)
    assert response.status_code == 409, response.content
    assert response.json()["detail"]
    assert snapshot() == before
