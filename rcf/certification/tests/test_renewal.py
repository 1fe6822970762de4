"""Renewal: the new decision replaces the old one under the same number, history kept."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rcf.certification.models import Certificate
from rcf.certification.selectors.certificate import certificate_history, certificate_public
from rcf.certification.services import audit as audits
from rcf.certification.services import dossier as app
from rcf.certification.services.decision import application_decide
from rcf.certification.tests import test_api_authorization as states
from rcf.core.dates import validity_end
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db


def test_a_renewal_keeps_the_number_and_starts_a_new_period(cast: Cast) -> None:
    certificate = states.certified(cast)
    first_application = certificate.application
    # The first period started long ago; the renewal comes before its end.
    Certificate.objects.filter(pk=certificate.pk).update(
        valid_from=dt.date(2024, 2, 1),
        first_issued_on=dt.date(2024, 2, 1),
        valid_until=dt.date(2027, 1, 31),
    )
    renewal = app.application_start_renewal(
        actor=cast.applicant.user, certificate_number=certificate.number
    )
    assert (renewal.kind, renewal.status, renewal.renews_id) == ("renewal", "draft", certificate.pk)
    renewal = app.application_submit(actor=cast.applicant.user, application=renewal)
    renewal = app.application_admissibility(
        actor=cast.afrc.user, application=renewal, admissible=True, comment=""
    )
    audit = audits.audit_plan(
        actor=cast.certifier.user,
        application=renewal,
        auditor_username="alice",
        planned_on=dt.date(2026, 12, 1),
        kind="renewal",
    )
    audits.audit_checklist_update(actor=cast.auditor.user, audit=audit, items=states.OK_ITEMS)
    audits.audit_close(actor=cast.auditor.user, audit=audit)
    renewal.refresh_from_db()
    application_decide(
        actor=cast.certifier.user,
        application=renewal,
        decision="certify",
        motivation="Renouvellement conforme.",
    )

    renewed = Certificate.objects.with_public_status().get(pk=certificate.pk)
    today = timezone.localdate()
    assert renewed.number == certificate.number
    assert Certificate.objects.count() == 1
    assert renewed.application_id == renewal.pk != first_application.pk
    assert (renewed.valid_from, renewed.valid_until) == (today, validity_end(today, 3))
    assert renewed.first_issued_on == dt.date(2024, 2, 1)
    events = [h["event"] for h in certificate_history(renewed)]
    assert events == ["issued", "renewed"]
    previous = renewed.events.get(action="renewed").data["previous"]
    assert previous["valid_until"] == "2027-01-31"
    assert certificate_public(renewed)["status"] == "active"


def test_a_renewal_audit_plans_on_the_renewal_application_only(cast: Cast) -> None:
    """A renewal application takes a renewal audit; an initial audit is refused (422)."""
    from rcf.core.errors import InvalidInput

    certificate = states.certified(cast)
    renewal = app.application_start_renewal(
        actor=cast.applicant.user, certificate_number=certificate.number
    )
    renewal = app.application_submit(actor=cast.applicant.user, application=renewal)
    renewal = app.application_admissibility(
        actor=cast.afrc.user, application=renewal, admissible=True, comment=""
    )
    with pytest.raises(InvalidInput):
        audits.audit_plan(
            actor=cast.certifier.user,
            application=renewal,
            auditor_username="alice",
            planned_on=dt.date(2026, 12, 1),
            kind="initial",
        )
