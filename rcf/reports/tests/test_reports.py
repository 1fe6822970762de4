"""``/signaler/``: anyone reports a logo used without a valid certificate; the report lands in
the AFRC's queue, and the AFRC's handling (new → in progress → closed with an outcome) is
written to the journal. A honeypot and a rate limit keep robots out without a CAPTCHA."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rcf.journal.models import JournalEntry
from rcf.reports.models import LogoReport
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db

REPORT = {
    "company": "Boutique Douteuse",
    "where_seen": "https://boutique.example/contact",
    "description": "Le logo du label est en bas de chaque page.",
    "email": "temoin@example.org",
    "website": "",
}


def test_the_form_is_public_and_needs_no_javascript(client: Client) -> None:
    html = client.get("/signaler/").content.decode()
    assert '<form method="post" action="/signaler/"' in html
    assert "<script" not in html
    for name in ("company", "where_seen", "description", "email"):
        assert f'name="{name}"' in html


def test_a_report_lands_in_the_queue_and_the_journal(client: Client) -> None:
    response = client.post("/signaler/", REPORT)
    assert response.status_code == 302 and response["Location"] == "/signaler/merci/"
    report = LogoReport.objects.get()
    assert (report.company, report.status, report.email) == (
        "Boutique Douteuse",
        "new",
        "temoin@example.org",
    )
    entry = JournalEntry.objects.get(obj_type="logo_report")
    assert (entry.action, entry.obj_id, entry.after) == (
        "rcf.report.received",
        str(report.pk),
        "new",
    )
    assert "temoin@example.org" not in str(entry.data)


def test_missing_fields_are_said_field_by_field_and_nothing_is_kept(client: Client) -> None:
    response = client.post("/signaler/", {**REPORT, "company": "", "email": "pas-une-adresse"})
    html = response.content.decode()
    assert response.status_code == 422
    assert 'href="#id_company"' in html and 'href="#id_email"' in html
    assert LogoReport.objects.count() == 0 and JournalEntry.objects.count() == 0


def test_a_robot_that_fills_the_honeypot_is_thanked_and_ignored(client: Client) -> None:
    response = client.post("/signaler/", {**REPORT, "website": "http://spam.example"})
    assert response.status_code == 302
    assert LogoReport.objects.count() == 0


def test_reports_are_rate_limited_per_address(client: Client, settings: Any) -> None:
    settings.RCF_RATE_LIMITS = {**settings.RCF_RATE_LIMITS, "report": (2, 3600)}
    assert client.post("/signaler/", REPORT).status_code == 302
    assert client.post("/signaler/", REPORT).status_code == 302
    refused = client.post("/signaler/", REPORT)
    assert refused.status_code == 429 and int(refused["Retry-After"]) > 0
    assert LogoReport.objects.count() == 2


def _report() -> LogoReport:
    from rcf.reports.services import report_receive

    return report_receive(company="Boutique", where_seen="vitrine", description="logo", email="")


@pytest.mark.parametrize(
    ("role", "status"),
    [("anonymous", 302), ("applicant", 403), ("certifier", 403), ("auditor", 403), ("afrc", 200)],
)
def test_only_the_afrc_sees_the_queue(cast: Cast, role: str, status: int) -> None:
    _report()
    assert pages.browser(cast, role).get("/espace/signalements/").status_code == status


@pytest.mark.parametrize("role", ["applicant", "certifier", "auditor"])
def test_a_report_is_not_found_for_other_roles(cast: Cast, role: str) -> None:
    report = _report()
    assert pages.browser(cast, role).get(f"/espace/signalements/{report.pk}/").status_code == 404


def test_the_afrc_takes_a_report_in_hand_then_closes_it_with_its_outcome(cast: Cast) -> None:
    report = _report()
    afrc = pages.browser(cast, "afrc")
    address = f"/espace/signalements/{report.pk}/"
    assert "Boutique" in afrc.get("/espace/signalements/").content.decode()

    afrc.post(address, {"status": "in_progress", "outcome": "", "answer": "Courriel envoyé."})
    refused = afrc.post(address, {"status": "closed", "outcome": "", "answer": ""})
    assert refused.status_code == 422
    assert "dites quelle suite" in refused.content.decode()
    afrc.post(address, {"status": "closed", "outcome": "misuse_stopped", "answer": "Retiré."})

    report.refresh_from_db()
    assert (report.status, report.outcome, report.answer) == ("closed", "misuse_stopped", "Retiré.")
    actions = list(
        JournalEntry.objects.filter(obj_type="logo_report").values_list("action", "before", "after")
    )
    assert actions == [
        ("rcf.report.received", "", "new"),
        ("rcf.report.in_progress", "new", "in_progress"),
        ("rcf.report.closed", "in_progress", "closed"),
    ]
    again = afrc.post(address, {"status": "in_progress", "outcome": "", "answer": ""})
    assert again.status_code == 409
    assert JournalEntry.objects.filter(obj_type="logo_report").count() == 3
