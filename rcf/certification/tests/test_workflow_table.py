"""The workflow table (rcf/certification/workflow.py) is complete and consistent, and the
public-status rule is one queryset method."""

from __future__ import annotations

import datetime as dt

import pytest

from rcf.certification import workflow
from rcf.certification.choices import (
    ApplicationStatus,
    AuditStatus,
    CertificateStatus,
    FindingStatus,
)
from rcf.certification.models import Certificate
from rcf.certification.permissions import (
    application_abilities,
    audit_abilities,
    certificate_abilities,
)
from rcf.certification.tests import test_api_authorization as states
from rcf.journal.models import JournalEntry
from tests.support.cast import Cast
from tests.support.factories import make_certificate, make_organisation

STATES = {
    "application": set(ApplicationStatus.values),
    "audit": set(AuditStatus.values),
    "finding": set(FindingStatus.values),
    "certificate": set(CertificateStatus.values),
}


@pytest.mark.parametrize("transition", workflow.TRANSITIONS, ids=lambda t: t.journal_action)
def test_every_transition_goes_between_known_states(transition: workflow.Transition) -> None:
    known = STATES[transition.machine.name] | {workflow.NEW}
    assert transition.sources and transition.sources <= known
    assert transition.targets and transition.targets <= known


def test_every_state_is_reached_by_some_transition() -> None:
    for machine, known in STATES.items():
        transitions = [t for t in workflow.TRANSITIONS if t.machine.name == machine]
        assert known <= {state for t in transitions for state in t.targets}, machine


@pytest.mark.django_db
def test_every_ability_a_transition_needs_is_one_the_object_answers(cast: Cast) -> None:
    audit = states.planned(cast)
    keys = {
        "application": set(application_abilities(cast.applicant.user, audit.application)),
        "audit": set(audit_abilities(cast.auditor.user, audit)),
        "certificate": set(
            certificate_abilities(cast.certifier.user, make_certificate(make_organisation()))
        ),
    }
    keys["finding"] = keys["audit"]
    for transition in workflow.TRANSITIONS:
        if transition.ability is not None:
            assert transition.ability in keys[transition.machine.name], transition
            assert str(transition.forbidden), transition
        if transition.sources != {workflow.NEW}:
            assert str(transition.refused), transition


def test_only_the_platform_steps_accept_no_actor() -> None:
    system = {t.journal_action for t in workflow.TRANSITIONS if t.system}
    assert system == {
        "rcf.application.refused_overdue",
        "rcf.certificate.suspended",
        "rcf.certificate.withdrawn",
        "rcf.certificate.expired",
    }


@pytest.mark.django_db
def test_a_refusal_changes_nothing_and_writes_no_journal(cast: Cast) -> None:
    """403 before 409: the ability is checked first, then the state; neither leaves a trace."""
    application = states.submitted(cast)
    entries = JournalEntry.objects.count()
    with pytest.raises(workflow.ActionForbidden):
        workflow.begin(workflow.APPLICATION_SUBMIT, application, actor=cast.certifier.user)
    with pytest.raises(workflow.TransitionNotAllowed) as refused:
        workflow.begin(workflow.APPLICATION_SUBMIT, application, actor=cast.applicant.user)
    assert "Déposé" in refused.value.message
    application.refresh_from_db()
    assert application.status == "submitted"
    assert JournalEntry.objects.count() == entries


@pytest.mark.django_db
def test_a_step_writes_one_journal_entry_with_before_and_after(cast: Cast) -> None:
    application = states.draft(cast)
    entries = JournalEntry.objects.count()
    workflow.begin(workflow.APPLICATION_SUBMIT, application, actor=cast.applicant.user).finish()
    assert JournalEntry.objects.count() == entries + 1
    entry = JournalEntry.objects.order_by("-sequence").first()
    assert entry is not None
    assert (entry.action, entry.before, entry.after) == (
        "rcf.application.submitted",
        "draft",
        "submitted",
    )


@pytest.mark.django_db
def test_an_active_certificate_past_its_last_day_reads_as_expired() -> None:
    """Before ``rcf tick`` records it: the public status is computed by the database."""
    certificate = make_certificate(make_organisation(), valid_from=dt.date(2020, 1, 1))
    assert certificate.status == "active"
    read = Certificate.objects.with_public_status(dt.date(2024, 1, 1)).get(pk=certificate.pk)
    assert read.public_status == "expired"
    assert not Certificate.objects.publicly_valid(dt.date(2024, 1, 1)).exists()
    on_its_last_day = Certificate.objects.with_public_status(certificate.valid_until)
    assert on_its_last_day.get(pk=certificate.pk).public_status == "active"
    assert Certificate.objects.live().filter(pk=certificate.pk).exists()
