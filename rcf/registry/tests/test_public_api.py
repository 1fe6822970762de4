"""The public JSON API: ``GET /api/v1/certificates/{number}`` and ``GET /api/v1/registry``
(platform-v1.md §3), without authentication."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.test import Client

from rcf.certification.services import certificate as services
from rcf.referentiel.tests.builders import siren_with_key
from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def test_it_gives_a_certificate_with_the_promised_keys(
    client: Client, certifier: Any, telecom: Any
) -> None:
    services.certificate_suspend(actor=certifier, certificate=telecom, reason="x")
    response = client.get("/api/v1/certificates/RCF-2026-0002")
    assert response.status_code == 200
    body = response.json()
    assert {
        "number",
        "status",
        "organisation",
        "scheme_version",
        "valid_from",
        "valid_until",
        "last_audit_on",
        "sites",
        "contributors",
        "history",
    } <= set(body)
    assert body["status"] == "suspended"
    assert body["organisation"] == {
        "siren": "804072387",
        "name": "Télécom Exemple SA",
        "brands": ["TelEx", "TelEx Mobile"],
    }
    assert body["sites"]["count"] == 4
    assert body["sites"]["territories"] == ["metropole", "outside"]
    assert body["contributors"] == 771
    assert [entry["status"] for entry in body["history"]] == ["active", "suspended"]
    assert all(set(entry) == {"on", "status"} for entry in body["history"])


def test_it_shows_an_unrecorded_expiry(client: Client) -> None:
    make_certificate(make_organisation(), number="RCF-2022-0004", valid_from=dt.date(2022, 1, 3))
    body = client.get("/api/v1/certificates/RCF-2022-0004").json()
    assert body["status"] == "expired"
    assert body["history"][-1] == {
        "on": "2025-01-03",
        "status": "expired",
    }


def test_it_answers_404_for_an_unknown_certificate(client: Client) -> None:
    response = client.get("/api/v1/certificates/RCF-2099-0001")
    assert response.status_code == 404
    assert "detail" in response.json()


def test_the_registry_searches_ignoring_case_and_accents(
    client: Client, mutuelle: Any, telecom: Any
) -> None:
    body = client.get("/api/v1/registry", {"q": "TELECOM"}).json()
    assert body["count"] == 1
    (entry,) = body["results"]
    assert entry["number"] == "RCF-2026-0002"
    assert entry["status"] == "active"
    assert entry["organisation"]["name"] == "Télécom Exemple SA"
    everything = client.get("/api/v1/registry").json()
    assert [e["number"] for e in everything["results"]] == ["RCF-2026-0001", "RCF-2026-0002"]
    assert client.get("/api/v1/registry", {"status": "suspended"}).json()["count"] == 0


def _audits(application: Any, auditor: Any, *, closed: dt.date, planned: dt.date) -> None:
    """A closed audit of ``application`` on ``closed`` and one still planned on ``planned``."""
    from rcf.certification.models import Audit

    for day, status in ((closed, "closed"), (planned, "planned")):
        Audit.objects.create(
            application=application,
            kind="initial",
            status=status,
            auditor=auditor,
            planned_on=day,
            performed_on=day,
            sample_size=1,
            planned_by=auditor,
        )


def test_it_gives_the_day_of_the_last_closed_audit(
    client: Client, certifier: Any, mutuelle: Any
) -> None:
    """The last *closed* audit of the company; a planned one does not count."""
    from tests.support.factories import make_user

    auditor = make_user("auditeur", "auditor")
    # Read before any audit: the answer kept for the certificate must not hide the next one.
    assert client.get("/api/v1/certificates/RCF-2026-0001").json()["last_audit_on"] is None
    _audits(mutuelle.application, auditor, closed=dt.date(2025, 11, 4), planned=dt.date(2026, 9, 1))
    assert client.get("/api/v1/certificates/RCF-2026-0001").json()["last_audit_on"] == "2025-11-04"
    html = client.get("/verifier/RCF-2026-0001/").content.decode()
    assert "4 novembre 2025" in html


def test_the_hand_written_history_query_names_the_table_of_the_model() -> None:
    """The public history is plain SQL: a renamed table must fail here."""
    from rcf.certification.models import CertificateEvent
    from rcf.certification.selectors.certificate import EVENTS_SQL

    assert f" {CertificateEvent._meta.db_table}\n" in EVENTS_SQL


def test_the_registry_answers_in_pages(client: Client) -> None:
    """20 results a page by default, `page_size` up to 100, `count` the whole match."""
    # One live certificate per company: 25 companies.
    for index in range(1, 26):
        organisation = make_organisation(siren_with_key(f"{index:08d}"), f"Entreprise {index}")
        make_certificate(organisation, number=f"RCF-2026-{index:04d}", status_index=index)
    first = client.get("/api/v1/registry").json()
    assert (first["count"], first["page_size"], len(first["results"])) == (25, 20, 20)
    second = client.get("/api/v1/registry?page=2").json()
    assert len(second["results"]) == 5
    wide = client.get("/api/v1/registry?page_size=500").json()
    assert (wide["page_size"], len(wide["results"])) == (100, 25)


def test_the_hand_written_certificate_queries_name_the_tables_of_the_models() -> None:
    """The certificate, its contact points and the phone check are plain SQL too."""
    from rcf.accounts.models import Organisation
    from rcf.certification.models import Application, Audit, Certificate, ContactPoint
    from rcf.certification.selectors.certificate import (
        CERTIFICATE_SQL,
        CONTACT_POINTS_SQL,
        PHONE_CHECK_SQL,
    )

    for sql, models in (
        (CERTIFICATE_SQL, [Certificate, Organisation, Audit, Application]),
        (CONTACT_POINTS_SQL, [ContactPoint]),
        (PHONE_CHECK_SQL, [ContactPoint, Certificate, Organisation]),
    ):
        for model in models:
            assert f" {model._meta.db_table} " in sql.replace("\n", " "), (model, sql)


@pytest.mark.parametrize(
    ("status", "valid_from", "public"),
    [
        ("active", dt.date(2026, 1, 15), "active"),
        ("active", dt.date(2022, 1, 3), "expired"),  # its end passed, not yet recorded
        ("suspended", dt.date(2026, 1, 15), "suspended"),
        ("suspended", dt.date(2022, 1, 3), "suspended"),
        ("withdrawn", dt.date(2026, 1, 15), "withdrawn"),
        ("expired", dt.date(2022, 1, 3), "expired"),
    ],
)
def test_certificate_get_reads_what_the_public_status_queryset_reads(
    status: str, valid_from: dt.date, public: str
) -> None:
    """The hand-written query gives the model instance the ORM gives: every field with its
    type, the public status of ``with_public_status`` (the one rule), the company, the day of
    the last closed audit."""
    from rcf.certification.models import Certificate
    from rcf.certification.selectors.certificate import (
        certificate_get,
        last_audit_on,
        with_last_audit,
    )
    from tests.support.factories import make_user

    certificate = make_certificate(
        make_organisation(), number="RCF-2026-0007", status=status, valid_from=valid_from
    )
    auditor = make_user("auditeur", "auditor")
    _audits(
        certificate.application, auditor, closed=dt.date(2025, 3, 2), planned=dt.date(2025, 9, 1)
    )
    expected = (
        with_last_audit(Certificate.objects.with_public_status())
        .select_related("organisation")
        .get(number="RCF-2026-0007")
    )
    got = certificate_get("RCF-2026-0007")
    assert (got.public_status, expected.public_status) == (public, public)
    last = (last_audit_on(got), last_audit_on(expected))  # the annotation, not a query
    assert last == (dt.date(2025, 3, 2), dt.date(2025, 3, 2))
    for field in Certificate._meta.concrete_fields:
        mine, theirs = getattr(got, field.attname), getattr(expected, field.attname)
        assert (mine, type(mine)) == (theirs, type(theirs)), field.name
    for name in ("id", "siren", "name", "created_at"):
        mine, theirs = getattr(got.organisation, name), getattr(expected.organisation, name)
        assert (mine, type(mine)) == (theirs, type(theirs)), name
