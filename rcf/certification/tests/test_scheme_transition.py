"""Both versions side by side (referentiel-v2.md §3): version 1 applications until 2027-11-30,
then a 409 saying how to upgrade; renewals judged under the version in effect; the audit
checklist of each dossier's version."""

from __future__ import annotations

import datetime as dt
from typing import Any
from unittest import mock

import pytest

from rcf.certification.forms.audit import ChecklistForm, checklist_texts
from rcf.certification.models import Application
from rcf.certification.services.dossier import application_start_renewal
from rcf.core.errors import TransitionNotAllowed
from tests.support.cast import Cast
from tests.support.factories import example_declaration, make_certificate

pytestmark = pytest.mark.django_db

LAST_DAY = dt.date(2027, 11, 30)


def on(day: dt.date) -> Any:
    """Move the platform's clock to that day (the services read timezone.localdate())."""
    return mock.patch("django.utils.timezone.localdate", return_value=day)


def lawful_v2() -> dict[str, Any]:
    document = example_declaration("mutuelle-v2-numero-surtaxe.json")
    document["contact_points"] = [
        cp for cp in document["contact_points"] if cp["id"] != "reclamations"
    ]
    return document


def test_a_version_2_application_is_created_and_submitted_under_version_2(cast: Cast) -> None:
    created = cast.applicant.call("post", "/api/v1/applications", lawful_v2())
    assert created.status_code == 201, created.content
    assert created.json()["evaluation"]["scheme_version"] == "2"
    app_id = created.json()["id"]
    assert Application.objects.get(pk=app_id).scheme_version == "2"
    assert cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit").status_code == 200


def test_version_1_is_accepted_on_the_last_day_of_the_transition(cast: Cast) -> None:
    with on(LAST_DAY):
        created = cast.applicant.call("post", "/api/v1/applications", example_declaration())
        assert created.status_code == 201, created.content
        app_id = created.json()["id"]
        submitted = cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit")
    assert submitted.status_code == 200


def test_after_the_transition_a_version_1_application_is_not_created(cast: Cast) -> None:
    with on(LAST_DAY + dt.timedelta(days=1)):
        refused = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    assert refused.status_code == 409
    assert "rcf-declaration/2" in refused.content.decode()
    assert "30/11/2027" in refused.content.decode()
    assert not Application.objects.exists()


def test_after_the_transition_a_version_1_draft_is_not_submitted(cast: Cast) -> None:
    created = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    app_id = created.json()["id"]
    with on(LAST_DAY + dt.timedelta(days=1)):
        refused = cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit")
        assert refused.status_code == 409
        assert "contact_points" in refused.content.decode()
        assert Application.objects.get(pk=app_id).status == "draft"
        # Upgrading the draft (format 2, its contact points) lets it through.
        upgraded = cast.applicant.call(
            "put", f"/api/v1/applications/{app_id}/declaration", lawful_v2()
        )
        assert upgraded.status_code == 200, upgraded.content
        submitted = cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit")
    assert submitted.status_code == 200
    assert Application.objects.get(pk=app_id).scheme_version == "2"


def test_a_version_2_application_is_refused_before_version_2_takes_effect(cast: Cast) -> None:
    with on(dt.date(2026, 11, 30)):
        refused = cast.applicant.call("post", "/api/v1/applications", lawful_v2())
    assert refused.status_code == 409
    assert not Application.objects.exists()


def test_a_renewal_is_upgraded_to_the_version_in_effect(cast: Cast) -> None:
    """A version 1 certificate renewed once version 1 is closed: the draft is in version 2,
    with empty contact points that RCF-09 asks to fill."""
    organisation = cast.applicant.user.organisation
    certificate = make_certificate(organisation)
    with on(LAST_DAY + dt.timedelta(days=1)):
        renewal = application_start_renewal(
            actor=cast.applicant.user, certificate_number=certificate.number
        )
    assert renewal.declaration["format"] == "rcf-declaration/2"
    assert renewal.declaration["contact_points"] == []
    assert renewal.scheme_version == "2"
    rcf09 = renewal.evaluation["requirements"][-1]
    assert rcf09["id"] == "RCF-09" and rcf09["status"] == "non_conforme"
    assert certificate.application.declaration["format"] == "rcf-declaration/1"


def test_a_renewal_during_the_transition_keeps_version_1(cast: Cast) -> None:
    """While version 1 still accepts applications, the renewal starts in the certificate's
    version; the company may upgrade it."""
    certificate = make_certificate(cast.applicant.user.organisation)
    with on(LAST_DAY):
        renewal = application_start_renewal(
            actor=cast.applicant.user, certificate_number=certificate.number
        )
    assert (renewal.scheme_version, renewal.declaration["format"]) == ("1", "rcf-declaration/1")


def test_the_audit_checklist_has_rcf_a6_in_version_2_only() -> None:
    assert list(checklist_texts("1")) == [f"RCF-A{i}" for i in range(1, 6)]
    assert list(checklist_texts("2")) == [f"RCF-A{i}" for i in range(1, 7)]
    assert "RCF-A6-result" in ChecklistForm(scheme_version="2").fields
    assert "RCF-A6-result" not in ChecklistForm(scheme_version="1").fields


def test_with_a_transition_error_nothing_is_half_written(cast: Cast) -> None:
    with on(LAST_DAY + dt.timedelta(days=1)), pytest.raises(TransitionNotAllowed):
        from rcf.certification.services.dossier import application_create

        application_create(actor=cast.applicant.user, declaration=example_declaration())
    assert not Application.objects.exists()


def test_the_refusal_gives_the_last_day_from_the_scheme_calendar(cast: Cast) -> None:
    """The 409 after the transition names the calendar's last day, not a written-in one."""
    import dataclasses

    from rcf.referentiel import versions
    from rcf.referentiel.versions import SchemeVersions, load_scheme

    one, two = load_scheme("1"), load_scheme("2")
    moved = dataclasses.replace(two, previous_accepted_until=dt.date(2028, 3, 31))
    with (
        mock.patch.object(versions, "shipped_versions", lambda: SchemeVersions([one, moved])),
        on(dt.date(2028, 4, 1)),
    ):
        refused = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    assert refused.status_code == 409
    assert "n'accepte plus de dossiers après le 31/03/2028" in refused.json()["detail"]
    assert not Application.objects.exists()
