"""The certificate pages of the workflow: the company's certificate, PDF, badge kit and
renewal; the certifier's suspension, reinstatement and withdrawal (a form page asking the
reason). Each role × anonymous, and what each POST changes — nothing when refused."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse

from rcf.certification.models import Application, Certificate, CertificateEvent
from rcf.journal.models import JournalEntry
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db


def url(name: str, *args: Any) -> str:
    return reverse(f"certificates:{name}", args=args)


def snapshot(certificate: Certificate) -> tuple[Any, ...]:
    certificate.refresh_from_db()
    return (
        certificate.status,
        CertificateEvent.objects.count(),
        Application.objects.count(),
        JournalEntry.objects.count(),
    )


@pytest.mark.parametrize("name", ["list", "detail", "pdf", "change"])
def test_it_sends_anonymous_visitors_to_the_login_page(cast: Cast, name: str) -> None:
    certificate = pages.certified(cast)
    args = {
        "list": [],
        "detail": [certificate.number],
        "pdf": [certificate.number],
        "change": [certificate.number, "suspendre"],
    }[name]
    response = pages.browser(cast, "anonymous").get(url(name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


MATRIX = {
    "list": {
        "applicant": 200,
        "other_applicant": 200,
        "afrc": 200,
        "certifier": 200,
        "auditor": 403,
        "certifier_auditor": 200,
    },
    "detail": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 200,
        "auditor": 404,
        "certifier_auditor": 200,
    },
    "change": {
        "applicant": 403,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 200,
        "auditor": 404,
        "certifier_auditor": 200,
    },
}


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", pages.ROLES)
def test_it_answers_each_role_as_the_rules_say(cast: Cast, name: str, role: str) -> None:
    certificate = pages.certified(cast)
    args = {
        "list": [],
        "detail": [certificate.number],
        "change": [certificate.number, "suspendre"],
    }[name]
    assert pages.browser(cast, role).get(url(name, *args)).status_code == MATRIX[name][role]


def test_it_lists_only_the_companys_own_certificates(cast: Cast) -> None:
    certificate = pages.certified(cast)
    mine = pages.browser(cast, "applicant").get(url("list")).content.decode()
    theirs = pages.browser(cast, "other_applicant").get(url("list")).content.decode()
    assert certificate.number in mine
    assert certificate.number not in theirs


def test_it_gives_the_company_its_badge_kit(cast: Cast, settings: Any) -> None:
    """The badge, the verification URL and the snippet to embed, all on the public paths."""
    settings.RCF_BASE_URL = "https://label.example"
    certificate = pages.certified(cast)
    body = pages.browser(cast, "applicant").get(url("detail", certificate.number)).content.decode()
    number = certificate.number
    assert f"https://label.example/verifier/{number}/" in body
    assert (
        f"&lt;a href=&quot;https://label.example/verifier/{number}/&quot;&gt;&lt;img "
        f"src=&quot;https://label.example/badge/{number}.svg&quot;"
    ) in body
    assert url("pdf", number) in body
    assert url("renew", number) in body


def test_it_downloads_the_certificate_as_a_pdf_attachment(cast: Cast) -> None:
    certificate = pages.certified(cast)
    response = pages.browser(cast, "applicant").get(url("pdf", certificate.number))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="certificat-{certificate.number}.pdf"'
    )
    assert response.content.startswith(b"%PDF-")
    assert (
        pages.browser(cast, "other_applicant").get(url("pdf", certificate.number)).status_code
        == 404
    )


def test_it_suspends_reinstates_and_withdraws_with_a_reason(cast: Cast) -> None:
    """Each change asks a reason (error at the field, nothing changes without one)."""
    certificate = pages.certified(cast)
    client = pages.browser(cast, "certifier")
    before = snapshot(certificate)
    response = client.post(url("change", certificate.number, "suspendre"), {"reason": " "})
    assert response.status_code == 200
    assert 'id="id_reason_error"' in response.content.decode()
    assert snapshot(certificate) == before
    for change, status in (
        ("suspendre", "suspended"),
        ("retablir", "active"),
        ("retirer", "withdrawn"),
    ):
        response = client.post(url("change", certificate.number, change), {"reason": "Motif"})
        assert response.status_code == 302
        certificate.refresh_from_db()
        assert certificate.status == status
    assert CertificateEvent.objects.filter(certificate=certificate).latest("id").reason == "Motif"


def test_it_refuses_a_change_the_status_forbids(cast: Cast) -> None:
    """Reinstating an active certificate answers 409 and changes nothing."""
    certificate = pages.certified(cast)
    before = snapshot(certificate)
    response = pages.browser(cast, "certifier").post(
        url("change", certificate.number, "retablir"), {"reason": "Motif"}
    )
    assert response.status_code == 409
    assert snapshot(certificate) == before


def test_it_refuses_a_suspension_by_the_company(cast: Cast) -> None:
    certificate = pages.certified(cast)
    before = snapshot(certificate)
    response = pages.browser(cast, "applicant").post(
        url("change", certificate.number, "suspendre"), {"reason": "Motif"}
    )
    assert response.status_code == 403
    assert snapshot(certificate) == before


def test_it_starts_a_renewal_once(cast: Cast) -> None:
    """The company starts a renewal from the certified declaration; a second one while it is
    under way answers 409."""
    certificate = pages.certified(cast)
    client = pages.browser(cast, "applicant")
    response = client.post(url("renew", certificate.number))
    renewal = Application.objects.get(renews=certificate)
    assert response.status_code == 302
    assert response["Location"] == reverse("applications:detail", args=[renewal.pk])
    assert (renewal.kind, renewal.status) == ("renewal", "draft")
    assert renewal.declaration == certificate.application.declaration
    before = snapshot(certificate)
    assert client.post(url("renew", certificate.number)).status_code == 409
    assert snapshot(certificate) == before


def test_it_refuses_a_renewal_to_the_certifier(cast: Cast) -> None:
    certificate = pages.certified(cast)
    before = snapshot(certificate)
    assert (
        pages.browser(cast, "certifier").post(url("renew", certificate.number)).status_code == 403
    )
    assert snapshot(certificate) == before
