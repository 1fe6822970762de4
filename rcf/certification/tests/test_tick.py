"""`rcf tick`: deadlines applied and reminders sent, each exactly once (référentiel §5)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from rcf.certification.models import Application, Audit, Certificate, Finding
from rcf.certification.services.tick import tick
from rcf.core.dates import add_months
from rcf.journal.models import JournalEntry
from rcf.notifications.models import OutgoingEmail
from tests.support.commands import run_rcf
from tests.support.factories import make_certificate, make_organisation, make_user

pytestmark = pytest.mark.django_db

ISSUED = dt.date(2026, 1, 15)  # valid until 2029-01-14


@pytest.fixture
def certificate() -> Certificate:
    organisation = make_organisation()
    make_user("claire", "applicant", organisation=organisation)
    make_user("cedric", "certifier")
    make_user("anne", "afrc")
    return make_certificate(organisation, valid_from=ISSUED)


def add_surveillance(certificate: Certificate, performed_on: dt.date) -> None:
    auditor = make_user(f"auditor-{performed_on}", "auditor")
    Audit.objects.create(
        application=certificate.application,
        kind="surveillance",
        status="closed",
        auditor=auditor,
        planned_on=performed_on,
        performed_on=performed_on,
        closed_at=timezone.now(),
        sample_size=1,
        planned_by=auditor,
    )


def test_it_expires_a_certificate_after_its_validity_once(certificate: Certificate) -> None:
    """The day after the last valid day the certificate is expired; a second tick does nothing."""
    add_surveillance(certificate, dt.date(2027, 1, 20))
    add_surveillance(certificate, dt.date(2028, 1, 20))
    assert tick(dt.date(2029, 1, 14)).expired == []
    assert tick(dt.date(2029, 1, 15)).expired == [certificate.number]
    certificate.refresh_from_db()
    assert certificate.status == "expired"
    assert tick(dt.date(2029, 1, 16)).expired == []
    assert JournalEntry.objects.filter(action="rcf.certificate.expired").count() == 1


def test_it_sends_each_renewal_reminder_once(certificate: Certificate) -> None:
    """Reminders 8 months, 90 days and 30 days before expiry, each once however often it runs."""
    add_surveillance(certificate, dt.date(2027, 1, 20))
    add_surveillance(certificate, dt.date(2028, 1, 20))
    keys = []
    for day in [
        "2028-05-13",
        "2028-05-14",
        "2028-05-14",
        "2028-10-16",
        "2028-10-17",
        "2028-12-15",
        "2028-12-16",
        "2028-12-20",
    ]:
        keys += tick(dt.date.fromisoformat(day)).reminders
    assert keys == [
        f"renewal:{certificate.number}:2029-01-14:8m",
        f"renewal:{certificate.number}:2029-01-14:90d",
        f"renewal:{certificate.number}:2029-01-14:30d",
    ]
    renewal_mails = [m for m in mail.outbox if "expire le 14/01/2029" in m.subject]
    # Three reminders, each sent to the company and the AFRC, one message per recipient.
    assert len(renewal_mails) == 6
    assert sorted(m.to[0] for m in renewal_mails[:2]) == [
        "anne@example.test",
        "claire@example.test",
    ]


def test_it_sends_only_the_nearest_reminder_when_it_first_runs_late(
    certificate: Certificate,
) -> None:
    """A tick that first runs 20 days before expiry sends the 30-day reminder only."""
    add_surveillance(certificate, dt.date(2027, 1, 20))
    add_surveillance(certificate, dt.date(2028, 1, 20))
    assert tick(dt.date(2028, 12, 25)).reminders == [f"renewal:{certificate.number}:2029-01-14:30d"]
    assert tick(dt.date(2028, 12, 26)).reminders == []


def test_it_suspends_after_a_missed_surveillance_audit_then_withdraws(
    certificate: Certificate,
) -> None:
    """No surveillance audit in the 12-month window (± 3 months): suspended; 6 months later,
    still suspended: withdrawn."""
    assert tick(dt.date(2027, 4, 15)).suspended == []  # window closes on 2027-04-15
    report = tick(dt.date(2027, 4, 16))
    assert report.suspended == [certificate.number]
    certificate.refresh_from_db()
    assert certificate.status == "suspended"
    assert "12 mois" in certificate.events.last().reason  # type: ignore[union-attr]
    assert tick(dt.date(2027, 4, 17)).suspended == []
    since = timezone.localdate()
    six_months = add_months(since, 6)
    assert tick(six_months - dt.timedelta(days=1)).withdrawn == []
    report = tick(six_months)
    assert report.withdrawn == [certificate.number]
    certificate.refresh_from_db()
    assert certificate.status == "withdrawn"


def test_a_surveillance_audit_in_its_window_keeps_the_certificate(
    certificate: Certificate,
) -> None:
    add_surveillance(certificate, dt.date(2026, 11, 20))  # 10 months: inside 12 ± 3
    assert tick(dt.date(2027, 6, 1)).suspended == []


def test_it_suspends_for_an_overdue_major_nonconformity(certificate: Certificate) -> None:
    """A major finding not closed by its due date suspends the certificate."""
    add_surveillance(certificate, dt.date(2027, 1, 10))
    audit = Audit.objects.get()
    Finding.objects.create(
        audit=audit,
        requirement="RCF-A3",
        severity="major",
        description="Clause absente",
        due_on=dt.date(2027, 4, 10),
    )
    assert tick(dt.date(2027, 4, 10)).suspended == []
    assert tick(dt.date(2027, 4, 11)).suspended == [certificate.number]


def test_it_refuses_an_initial_application_whose_major_is_overdue(db: None) -> None:
    """Initial certification: a major not closed within 3 months means refusal."""
    organisation = make_organisation()
    applicant = make_user("claire", "applicant", organisation=organisation)
    auditor = make_user("alice", "auditor")
    application = Application.objects.create(
        organisation=organisation,
        status="corrective_actions",
        declaration={},
        evaluation={},
        verdict="eligible",
        scheme_version="1",
        created_by=applicant,
    )
    audit = Audit.objects.create(
        application=application,
        kind="initial",
        status="closed",
        auditor=auditor,
        planned_on=dt.date(2027, 1, 5),
        performed_on=dt.date(2027, 1, 5),
        sample_size=1,
        planned_by=auditor,
    )
    Finding.objects.create(
        audit=audit,
        requirement="RCF-A2",
        severity="major",
        description="Contrats étrangers",
        due_on=dt.date(2027, 4, 5),
    )
    assert tick(dt.date(2027, 4, 5)).refused == []
    assert tick(dt.date(2027, 4, 6)).refused == [application.pk]
    application.refresh_from_db()
    assert application.status == "refused"
    assert tick(dt.date(2027, 4, 7)).refused == []


def test_it_reminds_certifiers_of_a_surveillance_audit_to_plan_once(
    certificate: Certificate,
) -> None:
    first = tick(dt.date(2026, 10, 15)).reminders
    assert first == [f"surveillance:{certificate.number}:2026-01-15:12"]
    assert tick(dt.date(2026, 10, 16)).reminders == []
    email = OutgoingEmail.objects.get(key=first[0])
    assert email.to == ["cedric@example.test"]


def test_the_command_runs_twice_and_sends_nothing_twice(certificate: Certificate) -> None:
    """`rcf tick --today` twice: the second run changes and sends nothing."""
    first = run_rcf("tick", "--today", "2029-01-20")
    assert first.status == 0, first.stderr
    assert f"Certificats expirés : {certificate.number}" in first.stdout
    sent = len(mail.outbox)
    assert sent > 0
    second = run_rcf("tick", "--today", "2029-01-20")
    assert "Certificats expirés : aucun" in second.stdout
    assert "E-mails envoyés : 0" in second.stdout
    assert len(mail.outbox) == sent


def test_the_command_refuses_a_bad_date(db: None) -> None:
    run = run_rcf("tick", "--today", "20/01/2029")
    assert run.status == 2
    assert "AAAA-MM-JJ" in run.stderr
