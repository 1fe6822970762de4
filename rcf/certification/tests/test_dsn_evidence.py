"""DSN evidence belongs to the applicant's company: another company's DSN is refused, and an
uploaded summary can be removed from a draft (a service, a workflow transition, one journal
entry), which runs the pre-check again."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.urls import reverse

from rcf.certification.models import PayrollEvidence
from rcf.journal.models import JournalEntry
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db


def dsn_of(siren: str, nic: str = "00017", people: int = 65) -> io.BytesIO:
    from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, fake_nir, generate_dsn

    employees = [
        Employee(nir=fake_nir(i), contracts=(Contract(start=dt.date(2024, 1, 1)),))
        for i in range(1, people + 1)
    ]
    out = io.BytesIO()
    generate_dsn(DsnSpec((Declaration(siren, nic, "2026-06", employees=employees),)), out)
    out.seek(0)
    out.name = f"dsn-{siren}.dsn"
    return out


def test_another_companys_dsn_is_refused_by_its_file_name(cast: Cast) -> None:
    application = pages.draft(cast)
    entries = JournalEntry.objects.count()
    response = pages.browser(cast, "applicant").post(
        reverse("applications:dsn", args=[application.pk]), {"file": [dsn_of("804072387")]}
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert "dsn-804072387.dsn : cette DSN est celle du SIREN 804072387" in html
    assert "msg-success" not in html
    assert not PayrollEvidence.objects.exists()
    assert JournalEntry.objects.count() == entries


def test_the_applicant_removes_a_dsn_from_a_draft(cast: Cast) -> None:
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    client.post(reverse("applications:dsn", args=[application.pk]), {"file": [dsn_of("845333145")]})
    application.refresh_from_db()
    assert application.verdict == "eligible"
    evidence = application.payroll_evidence.get()
    page = client.get(reverse("applications:dsn", args=[application.pk])).content.decode()
    remove = reverse("applications:dsn_remove", args=[application.pk, evidence.pk])
    assert f'action="{remove}"' in page

    response = client.post(remove)
    assert response.status_code == 302
    application.refresh_from_db()
    assert not application.payroll_evidence.exists()
    assert application.verdict != "eligible"  # RCF-07 lost its evidence
    entry = JournalEntry.objects.order_by("-sequence").first()
    assert entry is not None and entry.action == "rcf.application.dsn_removed"


@pytest.mark.parametrize(
    ("role", "status"), [("afrc", 403), ("certifier", 404), ("other_applicant", 404)]
)
def test_only_the_applicant_removes_its_dsn(cast: Cast, role: str, status: int) -> None:
    application = pages.draft(cast)
    pages.browser(cast, "applicant").post(
        reverse("applications:dsn", args=[application.pk]), {"file": [dsn_of("845333145")]}
    )
    evidence = application.payroll_evidence.get()
    # The AFRC sees every dossier but may not act for the company; the others do not see it.
    response = pages.browser(cast, role).post(
        reverse("applications:dsn_remove", args=[application.pk, evidence.pk])
    )
    assert response.status_code == status
    assert application.payroll_evidence.count() == 1


def test_a_dsn_cannot_be_removed_after_the_draft(cast: Cast) -> None:
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    client.post(reverse("applications:dsn", args=[application.pk]), {"file": [dsn_of("845333145")]})
    from rcf.certification.services import dossier

    application.refresh_from_db()
    dossier.application_submit(actor=cast.applicant.user, application=application)
    evidence = application.payroll_evidence.get()
    response = client.post(reverse("applications:dsn_remove", args=[application.pk, evidence.pk]))
    assert response.status_code == 409
    assert application.payroll_evidence.count() == 1
