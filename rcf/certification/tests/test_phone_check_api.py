"""« Whose number is this? » (referentiel-v2.md §4): a version 2 company certified through the
workflow is found by its customer-service number; the certificate lists its contact points."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from rcf.certification.models import Certificate, ContactPoint
from rcf.certification.services.certificate import (
    certificate_suspend,
    certificate_withdraw,
)
from rcf.certification.services.decision import _record_contact_points
from tests.support.cast import Cast
from tests.support.factories import example_declaration, make_certificate, make_organisation

pytestmark = pytest.mark.django_db

CHECKLIST_V2 = [
    {"requirement": f"RCF-A{i}", "result": "conforme", "notes": ""} for i in range(1, 7)
]


def lawful_v2() -> dict[str, Any]:
    document = example_declaration("mutuelle-v2-numero-surtaxe.json")
    document["contact_points"][1]["value"] = "09 69 32 00 00"  # no longer surcharged
    return document


def certify_v2(cast: Cast) -> Certificate:
    created = cast.applicant.call("post", "/api/v1/applications", lawful_v2())
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit").status_code == 200
    cast.afrc.call(
        "post", f"/api/v1/applications/{app_id}/admissibility", {"admissible": True, "comment": ""}
    )
    planned = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/audits",
        {"auditor": "alice", "planned_on": "2026-12-10", "kind": "initial"},
    )
    audit_id = planned.json()["id"]
    # A version 2 audit has RCF-A6: it does not close on the items of version 1 alone.
    cast.auditor.call("put", f"/api/v1/audits/{audit_id}/checklist", {"items": CHECKLIST_V2[:5]})
    assert cast.auditor.call("post", f"/api/v1/audits/{audit_id}/close").status_code == 409
    cast.auditor.call("put", f"/api/v1/audits/{audit_id}/checklist", {"items": CHECKLIST_V2})
    assert cast.auditor.call("post", f"/api/v1/audits/{audit_id}/close").status_code == 200
    decided = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/decision",
        {"decision": "certify", "motivation": "Audit conforme."},
    )
    assert decided.status_code == 200, decided.content
    return Certificate.objects.get(application_id=app_id)


def check(number: str) -> Any:
    return Client().get("/api/v1/phone-check", {"number": number})


def test_a_certified_version_2_company_is_found_by_its_number(cast: Cast) -> None:
    certificate = certify_v2(cast)
    assert certificate.scheme_version == "2"
    assert list(
        ContactPoint.objects.filter(certificate=certificate).values_list("channel", "number")
    ) == [
        ("telephone", "+33549123456"),
        ("telephone", "+33969320000"),
        ("email", ""),
    ]
    response = check("09.69.32.00.00")
    assert response.status_code == 200
    assert response.json() == {
        "number": "+33969320000",
        "national": "09 69 32 00 00",
        "french": True,
        "surcharged": False,
        "telemarketing_range": False,
        "matches": [
            {
                "certificate": certificate.number,
                "status": "active",
                "organisation": {"siren": "845333145", "name": certificate.organisation.name},
                "brands": ["Mutuelle Exemple"],
                "purpose": "customer_service",
            }
        ],
    }
    assert check("+33 9 69 32 00 00").json() == response.json()
    public = Client().get(f"/api/v1/certificates/{certificate.number}").json()
    shown = [
        (cp["channel"], cp["value"], cp["purpose"], cp["brands"]) for cp in public["contact_points"]
    ]
    assert shown == [
        ("telephone", "+33549123456", "customer_service", []),
        ("telephone", "+33969320000", "customer_service", ["Mutuelle Exemple"]),
        ("email", "contact@mutuelle-exemple.fr", "customer_service", []),
    ]


def test_suspended_says_so_withdrawn_no_longer_matches(cast: Cast) -> None:
    certificate = certify_v2(cast)
    certificate_suspend(actor=cast.certifier.user, certificate=certificate, reason="Écart majeur.")
    assert [m["status"] for m in check("0969320000").json()["matches"]] == ["suspended"]
    certificate_withdraw(
        actor=cast.certifier.user,
        certificate=Certificate.objects.get(pk=certificate.pk),
        reason="Retrait.",
    )
    assert check("0969320000").json()["matches"] == []


def test_an_expired_certificate_no_longer_matches() -> None:
    organisation = make_organisation()
    declaration = lawful_v2()
    certificate = make_certificate(organisation, declaration=declaration)
    _record_contact_points(certificate, declaration)
    assert len(check("0969320000").json()["matches"]) == 1
    Certificate.objects.filter(pk=certificate.pk).update(valid_until="2020-01-01")
    assert check("0969320000").json()["matches"] == []


def test_it_says_what_the_numbering_plan_says_of_an_unknown_number() -> None:
    surcharged = check("0892 68 12 34").json()
    assert (surcharged["surcharged"], surcharged["telemarketing_range"]) == (True, False)
    assert surcharged["matches"] == [] and surcharged["national"] == "0 892 68 12 34"
    telemarketing = check("01 62 12 34 56").json()
    assert (telemarketing["surcharged"], telemarketing["telemarketing_range"]) == (False, True)
    foreign = check("+44 20 7946 0958").json()
    assert (foreign["number"], foreign["french"]) == ("+442079460958", False)
    assert check("+262 262 12 34 56").json()["french"] is True


@pytest.mark.parametrize("bad", ["3949", "0969", "pizza", ""])
def test_it_answers_422_when_it_is_not_a_valid_number(bad: str) -> None:
    response = check(bad)
    assert response.status_code == 422
    assert response["Content-Type"].startswith("application/json")


def test_the_lookup_is_one_indexed_query_whatever_the_registry() -> None:
    organisation = make_organisation()
    declaration = lawful_v2()
    certificate = make_certificate(organisation, declaration=declaration)
    _record_contact_points(certificate, declaration)
    with CaptureQueriesContext(connection) as queries:
        assert check("0969320000").status_code == 200
    lookups = [q["sql"] for q in queries.captured_queries if "contactpoint" in q["sql"].lower()]
    assert len(lookups) == 1
    if connection.vendor == "sqlite":  # the plan SQLite chose: the index first, no scan
        with connection.cursor() as cursor:
            cursor.execute("EXPLAIN QUERY PLAN " + lookups[0])
            plan = [row[3] for row in cursor.fetchall()]
        assert plan[0].startswith("SEARCH p USING INDEX certification_contactpoint_number"), plan
        assert not any(step.startswith("SCAN") for step in plan), plan
    else:
        assert "p.number = " in lookups[0], lookups[0]


def test_a_version_1_certificate_has_no_contact_points() -> None:
    certificate = make_certificate(make_organisation())
    public = Client().get(f"/api/v1/certificates/{certificate.number}").json()
    assert public["contact_points"] == []


def test_an_answer_is_remembered_until_the_certificates_change() -> None:
    """A phone app asks for the same numbers again and again: while no certificate changes,
    the answer is served again without the lookup; a change is seen on the next request."""
    organisation = make_organisation()
    declaration = lawful_v2()
    certificate = make_certificate(organisation, declaration=declaration)
    _record_contact_points(certificate, declaration)
    first = check("09 69 32 00 00").json()
    with CaptureQueriesContext(connection) as queries:
        assert check("+33 9 69 32 00 00").json() == first  # the same number, written otherwise
    assert not [q for q in queries.captured_queries if "contactpoint" in q["sql"].lower()]
    Certificate.objects.filter(pk=certificate.pk).update(status="withdrawn")
    assert check("0969320000").json()["matches"] == []
