"""Rules added after the security review of the first version."""

from __future__ import annotations

from typing import Any

import pytest
from django.core import mail
from django.test import Client, RequestFactory

from rcf.accounts.services import user_create
from rcf.certification.tests import test_api_authorization as states
from rcf.core.errors import InvalidInput
from rcf.notifications.services import email_queue, emails_deliver
from rcf.referentiel.declaration import DeclarationError, parse_declaration_json
from tests.support.cast import Cast
from tests.support.factories import make_organisation

pytestmark = pytest.mark.django_db


def test_an_applicant_holds_no_other_role() -> None:
    """A company's employee never judges, audits or decides: applicant excludes other roles."""
    organisation = make_organisation()
    with pytest.raises(InvalidInput) as refused:
        user_create("mix", ["applicant", "certifier"], organisation_siren=organisation.siren)
    assert "aucun autre rôle" in str(refused.value)


def test_the_public_api_gives_dates_and_statuses_only(cast: Cast) -> None:
    """Suspension reasons are internal: GET /api/v1/certificates/{n} history is on + status."""
    from rcf.certification.services.certificate import certificate_suspend

    certificate = states.certified(cast)
    certificate_suspend(
        actor=cast.certifier.user,
        certificate=certificate,
        reason="Fraude présumée signalée par M. Dupont",
    )
    body = Client().get(f"/api/v1/certificates/{certificate.number}").content.decode()
    assert "Dupont" not in body
    history = Client().get(f"/api/v1/certificates/{certificate.number}").json()["history"]
    assert [set(entry) for entry in history] == [{"on", "status"}, {"on", "status"}]


def test_the_admin_signs_in_through_the_throttled_login(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")
    assert response.status_code == 302
    assert response["Location"] == "/compte/connexion/?next=/admin/"


def test_each_recipient_gets_their_own_message(db: None) -> None:
    """Nobody sees the other recipients' addresses."""
    email_queue(to=["a@example.test", "b@example.test"], subject="Objet", body="Texte")
    emails_deliver()
    assert [m.to for m in mail.outbox] == [["a@example.test"], ["b@example.test"]]


def test_deeply_nested_json_is_an_input_error() -> None:
    with pytest.raises(DeclarationError) as refused:
        parse_declaration_json(b"[" * 200_000)
    assert refused.value.errors[0].message.startswith("JSON trop profondément imbriqué")


def test_private_pages_are_never_cached(cast: Cast) -> None:
    client = Client()
    client.force_login(cast.applicant.user)
    response = client.get("/espace/")
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"] and "private" in response["Cache-Control"]


def test_the_login_throttle_reads_the_proxy_header_when_told(
    settings: Any, rf: RequestFactory
) -> None:
    from rcf.core.http import client_address

    request = rf.get("/", REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9, 198.51.100.7")
    assert client_address(request) == "10.0.0.1"
    settings.RCF_CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"
    assert client_address(request) == "198.51.100.7"


def test_a_dsn_over_the_size_limit_is_refused(cast: Cast, settings: Any) -> None:
    import io

    from rcf.certification.models import PayrollEvidence
    from rcf.certification.services.dossier import application_add_dsn

    settings.RCF_UPLOAD_MAX_BYTES = 100
    application = states.draft(cast)
    with pytest.raises(InvalidInput) as refused:
        application_add_dsn(
            actor=cast.applicant.user,
            application=application,
            files=[("gros.dsn", io.BytesIO(b"S10.G00.00.001,'x'\n" * 20))],
        )
    assert "gros.dsn : fichier trop volumineux" in refused.value.errors[0].message
    assert not PayrollEvidence.objects.exists()


def test_a_surveillance_audit_needs_a_live_certificate(cast: Cast) -> None:
    """No surveillance audit on the file of a withdrawn certificate (409)."""
    from rcf.certification.services.certificate import certificate_withdraw

    certificate = states.certified(cast)
    certificate_withdraw(actor=cast.certifier.user, certificate=certificate, reason="Test")
    response = cast.certifier.call(
        "post",
        f"/api/v1/applications/{certificate.application_id}/audits",
        {"auditor": "alice", "planned_on": "2027-01-10", "kind": "surveillance"},
    )
    assert response.status_code == 409


def test_body_errors_are_located_and_in_french(cast: Cast) -> None:
    """422 from a malformed body: JSON Pointer of the field and a French message."""
    application = states.admissible(cast)
    response = cast.certifier.call(
        "post",
        f"/api/v1/applications/{application.pk}/audits",
        {"auditor": "alice", "planned_on": "2026-13-10", "kind": "initial"},
    )
    assert response.status_code == 422
    assert response.json()["errors"] == [
        {"pointer": "/planned_on", "message": "Date AAAA-MM-JJ attendue."}
    ]
    missing = cast.applicant.client.post(
        f"/api/v1/applications/{application.pk}/dsn",
        HTTP_AUTHORIZATION=f"Bearer {cast.applicant.token}",
    )
    assert missing.status_code == 422
    assert missing.json()["errors"] == [
        {"pointer": "/file", "message": "Valeur obligatoire manquante."}
    ]
