"""Invariants held by the database, not only by the services: one open initial dossier per
company, one open renewal per certificate, one live certificate per company and scheme, one
certificate per dossier; the draft an applicant may delete to start again."""

from __future__ import annotations

import io

import pytest
from django.core.management.base import CommandError
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.recorder import MigrationRecorder

from rcf.certification.models import Application, Certificate
from rcf.certification.services import certificate as certificate_services
from rcf.certification.services import dossier as services
from rcf.certification.tests import test_api_authorization as states
from rcf.core.errors import ActionForbidden, TransitionNotAllowed
from rcf.journal.models import JournalEntry
from tests.support.cast import Cast
from tests.support.factories import example_declaration, make_certificate, make_organisation


def _row_copy(application: Application, **changes: object) -> Application:
    """The same dossier as a new row, written straight to the table (no service)."""
    fields = {
        f.attname: getattr(application, f.attname)
        for f in Application._meta.concrete_fields
        if not f.primary_key
    }
    return Application.objects.create(**{**fields, **changes})


def test_a_second_initial_application_is_refused_with_the_way_to_the_first(cast: Cast) -> None:
    first = states.draft(cast)
    with pytest.raises(services.SecondApplication) as refused:
        services.application_create(actor=cast.applicant.user, declaration=example_declaration())
    assert refused.value.application_id == first.pk
    assert f"n° {first.pk}" in refused.value.message
    assert Application.objects.filter(organisation=first.organisation).count() == 1


def test_the_api_answers_409_to_a_second_initial_application(cast: Cast) -> None:
    states.submitted(cast)
    response = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    assert response.status_code == 409
    assert "dossier en cours" in response.json()["detail"]
    assert Application.objects.count() == 1


def test_a_company_holding_a_live_certificate_files_a_renewal_not_a_new_dossier(
    cast: Cast,
) -> None:
    certificate = states.certified(cast)
    with pytest.raises(services.SecondApplication) as refused:
        services.application_create(actor=cast.applicant.user, declaration=example_declaration())
    assert refused.value.certificate_number == certificate.number
    certificate_services.certificate_suspend(
        actor=cast.certifier.user, certificate=certificate, reason="Contrôle."
    )
    with pytest.raises(services.SecondApplication):
        services.application_create(actor=cast.applicant.user, declaration=example_declaration())
    certificate_services.certificate_withdraw(
        actor=cast.certifier.user, certificate=certificate, reason="Retrait."
    )
    # Withdrawn: a new initial certification is the way back.
    again = services.application_create(
        actor=cast.applicant.user, declaration=example_declaration()
    )
    assert again.kind == "initial"


def test_the_database_refuses_a_second_open_initial_application(cast: Cast) -> None:
    first = states.submitted(cast)
    with pytest.raises(IntegrityError), transaction.atomic():
        _row_copy(first, status="draft")
    # A decided dossier is no longer open: a copy marked refused is accepted.
    _row_copy(first, status="refused")


def test_the_database_refuses_a_second_live_certificate(cast: Cast) -> None:
    certificate = states.certified(cast)
    organisation = certificate.organisation
    with pytest.raises(IntegrityError), transaction.atomic():
        make_certificate(organisation, number="RCF-2026-0900", status_index=900)
    # A withdrawn certificate beside the live one breaks nothing.
    make_certificate(
        organisation, number="RCF-2026-0901", status_index=901, status="withdrawn"
    ).refresh_from_db()


def test_suspending_the_only_live_certificate_leaves_nothing_listed_as_valid(cast: Cast) -> None:
    certificate = states.certified(cast)
    certificate_services.certificate_suspend(
        actor=cast.certifier.user, certificate=certificate, reason="Contrôle."
    )
    valid = Certificate.objects.publicly_valid().filter(organisation=certificate.organisation)
    assert list(valid) == []


def test_the_database_refuses_two_certificates_for_one_application(cast: Cast) -> None:
    certificate = states.certified(cast)
    other = make_organisation("804072387", "Télécom Exemple SA")
    with pytest.raises(IntegrityError), transaction.atomic():
        Certificate.objects.filter(pk=certificate.pk).update(status="withdrawn")
        make_certificate(other, number="RCF-2026-0902", status_index=902)
        Certificate.objects.filter(number="RCF-2026-0902").update(
            application=certificate.application
        )


def test_the_applicant_deletes_its_draft_and_may_start_again(cast: Cast) -> None:
    draft = states.draft(cast)
    services.application_delete(actor=cast.applicant.user, application=draft)
    assert not Application.objects.filter(pk=draft.pk).exists()
    entry = JournalEntry.objects.filter(action="rcf.application.deleted").get()
    assert (entry.obj_id, entry.before, entry.after) == (str(draft.pk), "draft", "")
    services.application_create(actor=cast.applicant.user, declaration=example_declaration())


@pytest.mark.parametrize("who", ["other_applicant", "afrc", "certifier"])
def test_only_the_company_deletes_its_draft(cast: Cast, who: str) -> None:
    draft = states.draft(cast)
    with pytest.raises(ActionForbidden):
        services.application_delete(actor=getattr(cast, who).user, application=draft)
    assert Application.objects.filter(pk=draft.pk).exists()


def test_a_submitted_dossier_cannot_be_deleted(cast: Cast) -> None:
    submitted = states.submitted(cast)
    with pytest.raises(TransitionNotAllowed):
        services.application_delete(actor=cast.applicant.user, application=submitted)
    assert Application.objects.get(pk=submitted.pk).status == "submitted"


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_a_database_that_already_breaks_them(cast: Cast) -> None:
    """Back to before the constraints, two live certificates for one company: the migration
    stops with the list, and changes nothing."""
    certificate = states.certified(cast)
    executor = MigrationExecutor(connection)
    executor.migrate([("certification", "0002_scheme_versions")])
    try:
        # The model of that time: later migrations add columns (certification 0004, sort_name).
        old = executor.loader.project_state(("certification", "0002_scheme_versions")).apps
        then = old.get_model("certification", "Certificate")
        fields = {f.attname: getattr(certificate, f.attname) for f in then._meta.concrete_fields}
        application = certificate.application
        application.pk = None
        application.save()  # its own dossier, as a decision would leave it
        fields.update(
            id=None, number="RCF-2026-0950", status_index=950, application_id=application.pk
        )
        then.objects.create(**fields)
        executor = MigrationExecutor(connection)
        with pytest.raises(CommandError) as refused:
            executor.migrate([("certification", "0003_invariants")])
        assert "live certificates" in str(refused.value)
        assert certificate.number in str(refused.value)
        assert "RCF-2026-0950" in str(refused.value)
        # Put right as the message says (withdraw the extra one); then it migrates.
        Certificate.objects.filter(number="RCF-2026-0950").update(status="withdrawn")
        executor = MigrationExecutor(connection)
        executor.migrate([("certification", "0003_invariants")])
        applied = MigrationRecorder(connection).applied_migrations()
        assert ("certification", "0003_invariants") in applied
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_a_release_1_database_is_adopted_once() -> None:
    """The release-1 tables are this release's 0001: the command records it, once."""
    from django.core.management import call_command

    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("certification", "0001_initial")
    recorder.record_applied("applications", "0002_initial")
    try:
        call_command("adopt_release1", stdout=io.StringIO())
        assert ("certification", "0001_initial") in recorder.applied_migrations()
        out = io.StringIO()
        call_command("adopt_release1", stdout=out)
        assert "Rien à faire" in out.getvalue()
    finally:
        recorder.record_applied("certification", "0001_initial")
        recorder.record_unapplied("applications", "0002_initial")


@pytest.mark.django_db(transaction=True)
def test_adopting_refuses_a_database_that_is_not_release_1() -> None:
    from django.core.management import call_command

    recorder = MigrationRecorder(connection)
    recorder.record_unapplied("certification", "0001_initial")
    try:
        with pytest.raises(CommandError, match="première version"):
            call_command("adopt_release1", stdout=io.StringIO())
    finally:
        recorder.record_applied("certification", "0001_initial")


def test_the_page_leads_a_second_dossier_to_the_first(cast: Cast) -> None:
    first = states.draft(cast)
    cast.applicant.client.force_login(cast.applicant.user)
    response = cast.applicant.client.post(
        "/espace/dossiers/nouveau/", {"action": "empty", "reference_date": "2026-11-30"}
    )
    assert response.status_code == 302
    assert response["Location"] == f"/espace/dossiers/{first.pk}/"
    assert Application.objects.count() == 1
    page = cast.applicant.client.get(response["Location"]).content.decode()
    assert f"dossier en cours (n° {first.pk})" in page


def test_the_first_declaration_names_an_organisation_created_from_its_siren(
    cast: Cast,
) -> None:
    organisation = cast.applicant.user.organisation
    assert organisation is not None
    type(organisation).objects.filter(pk=organisation.pk).update(name="")
    declaration = example_declaration()
    services.application_create(actor=cast.applicant.user, declaration=declaration)
    organisation.refresh_from_db()
    assert organisation.name == declaration["applicant"]["name"]


@pytest.mark.parametrize(
    ("who", "status"),
    [("applicant", 200), ("other_applicant", 404), ("afrc", 403), ("certifier", 404)],
)
def test_the_delete_page_answers_each_role(cast: Cast, who: str, status: int) -> None:
    draft = states.draft(cast)
    client = getattr(cast, who).client
    client.force_login(getattr(cast, who).user)
    assert client.get(f"/espace/dossiers/{draft.pk}/supprimer/").status_code == status
    posted = client.post(f"/espace/dossiers/{draft.pk}/supprimer/")
    assert posted.status_code == (302 if status == 200 else status)
    assert Application.objects.filter(pk=draft.pk).exists() is (status != 200)


def test_the_delete_page_refuses_a_submitted_dossier(cast: Cast) -> None:
    submitted = states.submitted(cast)
    cast.applicant.client.force_login(cast.applicant.user)
    response = cast.applicant.client.post(f"/espace/dossiers/{submitted.pk}/supprimer/")
    assert response.status_code == 409
    assert Application.objects.get(pk=submitted.pk).status == "submitted"
