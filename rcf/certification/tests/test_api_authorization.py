"""Authorization matrix of the API: every endpoint × every role, anonymous included.

404 for what a user may not see, 403 for what they may see but not do, 401 without
credentials (platform-v1.md §1). Each case starts from a fresh state, so a success in one
cell cannot hide a refusal in another.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rcf.certification.models import Application, Audit, Certificate
from rcf.certification.services import audit as audit_services
from rcf.certification.services import dossier as app_services
from rcf.certification.services.decision import application_decide
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "applicant",
    "other_applicant",
    "afrc",
    "certifier",
    "auditor",
    "certifier_auditor",
]
OK_ITEMS = [{"requirement": f"RCF-A{i}", "result": "conforme"} for i in range(1, 6)]


def draft(cast: Cast) -> Application:
    return app_services.application_create(
        actor=cast.applicant.user, declaration=example_declaration()
    )


def submitted(cast: Cast) -> Application:
    return app_services.application_submit(actor=cast.applicant.user, application=draft(cast))


def admissible(cast: Cast) -> Application:
    return app_services.application_admissibility(
        actor=cast.afrc.user, application=submitted(cast), admissible=True, comment=""
    )


def planned(cast: Cast) -> Audit:
    return audit_services.audit_plan(
        actor=cast.certifier.user,
        application=admissible(cast),
        auditor_username="alice",
        planned_on=dt.date(2026, 12, 10),
        kind="initial",
    )


def filled(cast: Cast) -> Audit:
    audit = planned(cast)
    return audit_services.audit_checklist_update(
        actor=cast.auditor.user, audit=audit, items=OK_ITEMS
    )


def audited(cast: Cast) -> Application:
    audit = audit_services.audit_close(actor=cast.auditor.user, audit=filled(cast))
    return audit.application


def certified(cast: Cast) -> Certificate:
    application = application_decide(
        actor=cast.certifier.user, application=audited(cast), decision="certify", motivation="OK"
    )
    return Certificate.objects.get(application=application)


def renewed(
    cast: Cast, certificate: Certificate, *, brands: list[str] | None = None
) -> Certificate:
    """``certificate`` renewed through the whole workflow (start, submission, admissibility,
    a closed renewal audit, the decision), today; ``brands`` replace the declaration's."""
    renewal = app_services.application_start_renewal(
        actor=cast.applicant.user, certificate_number=certificate.number
    )
    if brands is not None:
        renewal.declaration["applicant"]["brands"] = brands
        renewal.save(update_fields=["declaration"])
    renewal = app_services.application_submit(actor=cast.applicant.user, application=renewal)
    renewal = app_services.application_admissibility(
        actor=cast.afrc.user, application=renewal, admissible=True, comment=""
    )
    audit = audit_services.audit_plan(
        actor=cast.certifier.user,
        application=renewal,
        auditor_username="alice",
        planned_on=timezone.localdate(),
        kind="renewal",
    )
    audit_services.audit_checklist_update(actor=cast.auditor.user, audit=audit, items=OK_ITEMS)
    audit_services.audit_close(actor=cast.auditor.user, audit=audit)
    renewal.refresh_from_db()
    application_decide(
        actor=cast.certifier.user, application=renewal, decision="certify", motivation="OK"
    )
    return Certificate.objects.get(pk=certificate.pk)


Case = Callable[[Cast], tuple[str, str, Any]]

CASES: dict[str, tuple[Case, dict[str, int]]] = {
    "create application": (
        lambda c: ("post", "/api/v1/applications", example_declaration()),
        {
            "anonymous": 401,
            "applicant": 201,
            "other_applicant": 422,
            "afrc": 403,
            "certifier": 403,
            "auditor": 403,
            "certifier_auditor": 403,
        },
    ),
    "read a draft": (
        lambda c: ("get", f"/api/v1/applications/{draft(c).pk}", None),
        {
            "anonymous": 401,
            "applicant": 200,
            "other_applicant": 404,
            "afrc": 200,
            "certifier": 404,
            "auditor": 404,
            "certifier_auditor": 404,
        },
    ),
    "read a submitted application": (
        lambda c: ("get", f"/api/v1/applications/{submitted(c).pk}", None),
        {
            "anonymous": 401,
            "applicant": 200,
            "other_applicant": 404,
            "afrc": 200,
            "certifier": 200,
            "auditor": 404,
            "certifier_auditor": 200,
        },
    ),
    "read an application being audited": (
        lambda c: ("get", f"/api/v1/applications/{planned(c).application_id}", None),
        {
            "anonymous": 401,
            "applicant": 200,
            "other_applicant": 404,
            "afrc": 200,
            "certifier": 200,
            "auditor": 200,
            "certifier_auditor": 200,
        },
    ),
    "replace the declaration": (
        lambda c: ("put", f"/api/v1/applications/{draft(c).pk}/declaration", example_declaration()),
        {
            "anonymous": 401,
            "applicant": 200,
            "other_applicant": 404,
            "afrc": 403,
            "certifier": 404,
            "auditor": 404,
            "certifier_auditor": 404,
        },
    ),
    "submit": (
        lambda c: ("post", f"/api/v1/applications/{draft(c).pk}/submit", None),
        {
            "anonymous": 401,
            "applicant": 200,
            "other_applicant": 404,
            "afrc": 403,
            "certifier": 404,
            "auditor": 404,
            "certifier_auditor": 404,
        },
    ),
    "judge admissibility": (
        lambda c: (
            "post",
            f"/api/v1/applications/{submitted(c).pk}/admissibility",
            {"admissible": True, "comment": ""},
        ),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 404,
            "afrc": 200,
            "certifier": 403,
            "auditor": 404,
            "certifier_auditor": 403,
        },
    ),
    "plan an audit": (
        lambda c: (
            "post",
            f"/api/v1/applications/{admissible(c).pk}/audits",
            {"auditor": "alice", "planned_on": "2026-12-10", "kind": "initial"},
        ),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 404,
            "afrc": 403,
            "certifier": 201,
            "auditor": 404,
            "certifier_auditor": 201,
        },
    ),
    "fill the checklist": (
        lambda c: ("put", f"/api/v1/audits/{planned(c).pk}/checklist", {"items": OK_ITEMS}),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 404,
            "afrc": 403,
            "certifier": 403,
            "auditor": 200,
            "certifier_auditor": 403,
        },
    ),
    "close the audit": (
        lambda c: ("post", f"/api/v1/audits/{filled(c).pk}/close", None),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 404,
            "afrc": 403,
            "certifier": 403,
            "auditor": 200,
            "certifier_auditor": 403,
        },
    ),
    "decide": (
        lambda c: (
            "post",
            f"/api/v1/applications/{audited(c).pk}/decision",
            {"decision": "certify", "motivation": "OK"},
        ),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 404,
            "afrc": 403,
            "certifier": 200,
            "auditor": 403,
            "certifier_auditor": 200,
        },
    ),
    "suspend": (
        lambda c: (
            "post",
            f"/api/v1/certificates/{certified(c).number}/suspend",
            {"reason": "Test"},
        ),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 403,
            "afrc": 403,
            "certifier": 200,
            "auditor": 403,
            "certifier_auditor": 200,
        },
    ),
    "withdraw": (
        lambda c: (
            "post",
            f"/api/v1/certificates/{certified(c).number}/withdraw",
            {"reason": "Test"},
        ),
        {
            "anonymous": 401,
            "applicant": 403,
            "other_applicant": 403,
            "afrc": 403,
            "certifier": 200,
            "auditor": 403,
            "certifier_auditor": 200,
        },
    ),
    "read a certificate": (
        lambda c: ("get", f"/api/v1/certificates/{certified(c).number}", None),
        dict.fromkeys(ROLES, 200),
    ),
    "search the registry": (
        lambda c: ("get", "/api/v1/registry?q=mutuelle", None),
        dict.fromkeys(ROLES, 200),
    ),
}


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("case", list(CASES))
def test_it_answers_each_role_as_the_matrix_says(cast: Cast, case: str, role: str) -> None:
    build, expected = CASES[case]
    method, path, body = build(cast)
    if role == "anonymous":
        kwargs: dict[str, Any] = {}
        if body is not None:
            kwargs = {"data": body, "content_type": "application/json"}
        response = getattr(Client(), method)(path, **kwargs)
    else:
        response = getattr(cast, role).call(method, path, body)
    assert response.status_code == expected[role], response.content


def test_a_session_without_csrf_token_cannot_change_anything(cast: Cast) -> None:
    """A logged-in browser must send its CSRF token to the API's unsafe methods."""
    application = draft(cast)
    client = Client(enforce_csrf_checks=True)
    client.force_login(cast.applicant.user)
    response = client.post(f"/api/v1/applications/{application.pk}/submit")
    assert response.status_code == 403
    application.refresh_from_db()
    assert application.status == "draft"
