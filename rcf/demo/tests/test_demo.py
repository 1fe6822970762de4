"""`rcf demo`'s data: one company in each state, real evidence, idempotent."""

from __future__ import annotations

import pytest
from django.contrib.auth import authenticate

from rcf.certification.models import Application, Certificate, PayrollEvidence
from rcf.demo.companies import COMPANIES
from rcf.demo.loader import ACCOUNTS, load_demo
from rcf.journal.selectors import journal_verify
from rcf.notifications.models import OutgoingEmail
from tests.support.commands import run_rcf

pytestmark = pytest.mark.django_db

APPLICATION_STATE = {
    "draft": "draft",
    "submitted": "submitted",
    "audit_planned": "audit_planned",
    "corrective_actions": "corrective_actions",
    "audited": "audited",
    "certified": "certified",
    "suspended": "certified",
    "withdrawn": "certified",
    "expired": "certified",
}
CERTIFICATE_STATE = {
    "certified": "active",
    "suspended": "suspended",
    "withdrawn": "withdrawn",
    "expired": "expired",
}


def test_it_puts_one_company_in_each_state() -> None:
    """Each fictional company reaches its state through the real services."""
    created = load_demo()
    assert created == [company.name for company in COMPANIES]
    for company in COMPANIES:
        application = Application.objects.get(organisation__siren=company.siren)
        assert application.status == APPLICATION_STATE[company.state], company.name
        # Generated DSNs cover every in-house establishment: the pre-check is eligible, except
        # for the draft whose customer-service number is surcharged (RCF-09, version 2).
        if company.key == "brouillon":
            assert application.verdict == "not_eligible"
            found = [
                (f["code"], f.get("contact_point"), f.get("number"))
                for r in application.evaluation["requirements"]
                for f in r["findings"]
            ]
            assert found == [("surcharged_customer_service_number", "sc-tel", "+33899234567")]
        else:
            assert application.verdict == "eligible", (company.name, application.evaluation)
        assert PayrollEvidence.objects.filter(application=application).count() == len(company.sites)
        if company.state in CERTIFICATE_STATE:
            certificate = Certificate.objects.get(application=application)
            assert certificate.status == CERTIFICATE_STATE[company.state], company.name
    assert {c.state for c in COMPANIES} >= set(APPLICATION_STATE)
    verification = journal_verify()
    assert verification.intact and verification.count > 50


def test_it_is_idempotent() -> None:
    """A second load adds nothing and sends nothing."""
    load_demo()
    counts = (
        Application.objects.count(),
        Certificate.objects.count(),
        OutgoingEmail.objects.count(),
    )
    assert load_demo() == []
    assert (
        Application.objects.count(),
        Certificate.objects.count(),
        OutgoingEmail.objects.count(),
    ) == counts
    assert not OutgoingEmail.objects.filter(sent_at__isnull=True).exists()


def test_its_accounts_log_in_with_the_printed_password() -> None:
    load_demo()
    for account in ACCOUNTS:
        user = authenticate(username=account.username, password=account.password)
        assert user is not None, account.username
        assert {r.role for r in user.roles.all()} == set(account.role.split(","))


def test_the_command_prints_the_accounts_without_serving() -> None:
    run = run_rcf("demo", "--no-serve")
    assert run.status == 0, run.stderr
    for account in ACCOUNTS:
        assert account.username in run.stdout
    assert "Label-RCF-2026" in run.stdout


def test_a_dossier_waits_for_the_certifiers_decision() -> None:
    """The demo shows a decision to take: an audited dossier the certifier did not audit."""
    load_demo()
    from rcf.accounts.models import User
    from rcf.certification.selectors.workspace import applications_to_decide

    certifier = User.objects.get(username="certification")
    names = [a.applicant_name for a in applications_to_decide(certifier)]
    assert names == ["Centre de Contacts Val de Loire"]


def test_it_certifies_one_company_under_each_version() -> None:
    """Mutuelle des Marais: version 2, found by its customer-service number; Électricité des
    Îles: version 1, still valid, without contact points."""
    from django.test import Client

    load_demo()
    marais = Certificate.objects.get(organisation__name="Mutuelle des Marais")
    iles = Certificate.objects.get(organisation__name="Électricité des Îles")
    assert (marais.scheme_version, iles.scheme_version) == ("2", "1")
    assert iles.contact_points.count() == 0 and marais.contact_points.count() == 5
    answer = Client().get("/api/v1/phone-check", {"number": "05 49 77 12 34"}).json()
    assert [(m["certificate"], m["status"]) for m in answer["matches"]] == [
        (marais.number, "active")
    ]
