"""The dossier's steps (platform-v1.md §2): create, edit, add payroll evidence, submit, the
AFRC's admissibility, delete a draft, start a renewal. One function each.

Every function is used alike by the web pages, the API and the command line. It runs in one
transaction and makes its change through the workflow table (:mod:`rcf.certification.workflow`):
lock, ability (403), state (409), one journal entry; then queues the e-mails.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.accounts.services import organisation_name_fill
from rcf.certification import refusals, workflow
from rcf.certification.choices import ApplicationKind, ApplicationStatus
from rcf.certification.models import Application, Certificate, PayrollEvidence
from rcf.certification.services.mail import day, email_in_languages
from rcf.core.errors import (
    ActionForbidden,
    InputError,
    InvalidInput,
    NotFound,
    TransitionNotAllowed,
)
from rcf.notifications.services import organisation_addresses, role_addresses
from rcf.precheck.choices import Verdict
from rcf.referentiel.evaluation import Evaluation
from rcf.referentiel.evidence import PayrollDeclaration, WorkplaceCount
from rcf.referentiel.versions import (
    accepted_until,
    accepts_new_applications,
    scheme_in_effect,
    upgrade_declaration,
)

S = ApplicationStatus
OPEN = [s for s in S.values if s not in {S.CERTIFIED, S.REFUSED}]
"""A dossier is open until its decision."""


def payroll_of(application: Application) -> list[PayrollDeclaration]:
    """The stored DSN summaries of an application, as the engine takes them."""
    evidence = []
    for row in application.payroll_evidence.all():
        data = dict(row.summary)
        data["workplaces"] = tuple(WorkplaceCount(**w) for w in data["workplaces"])
        evidence.append(PayrollDeclaration(**data))
    return evidence


def _evaluate(
    declaration: Mapping[str, Any],
    payroll: list[PayrollDeclaration],
    organisation_siren: str,
) -> Evaluation:
    """Validate and evaluate; refuse a declaration made for another company."""
    from rcf.precheck.services import declaration_evaluate
    from rcf.referentiel.declaration import DeclarationError

    try:
        evaluation = declaration_evaluate(declaration=declaration, payroll=payroll)
    except DeclarationError as exc:
        raise InvalidInput(
            [InputError(error.pointer, error.message) for error in exc.errors],
            _("La déclaration n'est pas un document rcf-declaration valide."),
        ) from None
    siren = declaration["applicant"]["siren"]
    if siren != organisation_siren:
        raise InvalidInput(
            [
                InputError(
                    "/applicant/siren",
                    _("Le SIREN %(siren)s n'est pas celui de votre organisation (%(own)s).")
                    % {"siren": siren, "own": organisation_siren},
                )
            ]
        )
    return evaluation


def _refuse_second_initial(organisation_id: int, scheme: str) -> None:
    """409 when the company already has an open initial dossier or a live certificate.

    The database holds the same rule (a unique index on open initial dossiers, another on live
    certificates); this check only gives the applicant the words and the way to the dossier.
    """
    existing = (
        Application.objects.filter(
            organisation_id=organisation_id, kind=ApplicationKind.INITIAL, status__in=OPEN
        )
        .order_by("pk")
        .first()
    )
    if existing is not None:
        raise SecondApplication(
            _(
                "Votre entreprise a déjà un dossier en cours (n° %(id)s) : complétez-le, ou "
                "supprimez-le s'il est encore en brouillon."
            )
            % {"id": existing.pk},
            application_id=existing.pk,
        )
    live = Certificate.objects.filter(
        organisation_id=organisation_id, scheme=scheme, status__in=workflow.LIVE
    ).first()
    if live is not None:
        raise SecondApplication(
            _(
                "Votre entreprise détient déjà le certificat %(number)s : demandez son "
                "renouvellement plutôt qu'une nouvelle certification."
            )
            % {"number": live.number},
            certificate_number=live.number,
        )


def _refuse_closed_version(version: str) -> None:
    """409 when no new application may be made or submitted under that version today
    (``referentiel-v2.md`` §3: version 1 until 2027-11-30), saying how to upgrade."""
    today = timezone.localdate()
    if accepts_new_applications(version, today):
        return
    until = accepted_until(version)
    if until is not None and today > until:
        latest = scheme_in_effect(today).version
        raise TransitionNotAllowed(
            _(
                "La version %(version)s du référentiel n'accepte plus de dossiers après le "
                "%(until)s. Passez la déclaration à la version %(latest)s : « format » = "
                "« rcf-declaration/%(latest)s » et ses points de contact « contact_points » "
                "(une liste, vide au départ, que le pré-contrôle demande de remplir)."
            )
            % {"version": version, "until": day(until), "latest": latest}
        )
    raise TransitionNotAllowed(
        _("La version %(version)s du référentiel n'est pas encore en vigueur.")
        % {"version": version}
    )


class SecondApplication(TransitionNotAllowed):
    """A second open initial dossier (or one beside a live certificate): 409, with the way to
    what already exists."""

    def __init__(
        self, message: Any, *, application_id: int | None = None, certificate_number: str = ""
    ) -> None:
        super().__init__(message)
        self.application_id = application_id
        self.certificate_number = certificate_number


@transaction.atomic
def application_create(*, actor: User, declaration: Mapping[str, Any]) -> Application:
    """A new draft application of the actor's organisation, with its first pre-check."""
    if not actor.has_role(Role.APPLICANT) or actor.organisation_id is None:
        raise ActionForbidden(refusals.CREATE_APPLICATION)
    assert actor.organisation is not None
    evaluation = _evaluate(declaration, [], actor.organisation.siren)
    _refuse_closed_version(evaluation["scheme_version"])
    # Serialise creations per company: the row lock makes a concurrent second request wait,
    # then see the first dossier (409) instead of tripping over the unique index.
    type(actor.organisation).objects.select_for_update().get(pk=actor.organisation_id)
    _refuse_second_initial(actor.organisation_id, evaluation["scheme"])
    # An organisation created from its SIREN alone is named by its first declaration.
    organisation_name_fill(siren=actor.organisation.siren, name=declaration["applicant"]["name"])
    application = Application(
        organisation=actor.organisation,
        kind=ApplicationKind.INITIAL,
        declaration=dict(declaration),
        evaluation=evaluation,
        verdict=evaluation["verdict"],
        scheme_version=evaluation["scheme_version"],
        created_by=actor,
    )
    step = workflow.begin(workflow.APPLICATION_CREATE, application, actor=actor)
    try:
        with transaction.atomic():
            return step.finish(data={"verdict": application.verdict})
    except IntegrityError:
        # Only a race past the lock above can get here (another engine, raw SQL).
        raise TransitionNotAllowed(_("Votre entreprise a déjà un dossier en cours.")) from None


@transaction.atomic
def application_update_declaration(
    *, actor: User, application: Application, declaration: Mapping[str, Any]
) -> Application:
    """Replace the declaration of a draft and run the pre-check again."""
    step = workflow.begin(workflow.APPLICATION_UPDATE, application, actor=actor)
    application = step.obj
    evaluation = _evaluate(declaration, payroll_of(application), application.organisation.siren)
    before_verdict = application.verdict
    application.declaration = dict(declaration)
    application.evaluation, application.verdict = evaluation, evaluation["verdict"]
    application.scheme_version = evaluation["scheme_version"]
    return step.finish(
        data={"verdict": [before_verdict, application.verdict]},
        fields=("declaration", "evaluation", "verdict", "scheme_version"),
    )


@transaction.atomic
def application_add_dsn(
    *, actor: User, application: Application, files: Iterable[tuple[str, IO[bytes]]]
) -> Application:
    """Read DSN files as payroll evidence, keep their counts, and run the pre-check again.

    The files are spooled to a private temporary directory only for the reader and deleted
    before this function returns: a DSN holds every employee's NIR and is never stored. A
    malformed file is refused with its ``FILE:LINE`` errors and nothing is kept.
    """
    from rcf.dsn.reader import DsnFileError
    from rcf.dsn.uploads import UploadRefused, read_uploaded_dsn

    step = workflow.begin(workflow.APPLICATION_ADD_DSN, application, actor=actor)
    application = step.obj
    try:
        declarations = read_uploaded_dsn(files, max_bytes=settings.RCF_UPLOAD_MAX_BYTES)
    except UploadRefused as exc:
        raise InvalidInput([InputError("/file", error) for error in exc.errors]) from None
    except DsnFileError as exc:
        raise InvalidInput(
            [InputError("/file", error) for error in exc.errors],
            _("DSN refusée : fichier mal formé."),
        ) from None
    # Evidence of another company proves nothing about this one: refused, named by its file.
    siren = application.organisation.siren
    foreign = [d for d in declarations if d.siren != siren]
    if foreign:
        raise InvalidInput(
            [
                InputError(
                    "/file",
                    _(
                        "%(file)s : cette DSN est celle du SIREN %(found)s, pas de votre "
                        "entreprise (SIREN %(siren)s)."
                    )
                    % {"file": d.source, "found": d.siren, "siren": siren},
                )
                for d in foreign
            ],
            _("DSN refusée : elle n'est pas celle de votre entreprise."),
        )
    for declaration in declarations:
        PayrollEvidence.objects.create(
            application=application,
            file_name=declaration.source,
            siren=declaration.siren,
            siret=declaration.siret,
            month=declaration.month,
            summary=dataclasses.asdict(declaration),
            uploaded_by=actor,
        )
    evaluation = _evaluate(
        application.declaration,
        payroll_of(application),
        application.organisation.siren,
    )
    application.evaluation, application.verdict = evaluation, evaluation["verdict"]
    return step.finish(
        data={"declarations": len(declarations), "verdict": application.verdict},
        fields=("evaluation", "verdict"),
    )


@transaction.atomic
def application_remove_dsn(
    *, actor: User, application: Application, evidence_id: int
) -> Application:
    """Remove one DSN summary from a draft (a wrong file, a month replaced) and run the
    pre-check again; 404 for a summary that is not this application's."""
    step = workflow.begin(workflow.APPLICATION_REMOVE_DSN, application, actor=actor)
    application = step.obj
    evidence = PayrollEvidence.objects.filter(application=application, pk=evidence_id).first()
    if evidence is None:
        raise NotFound(_("Cette DSN n'est pas dans le dossier."))
    removed = {"siret": evidence.siret, "month": evidence.month}
    evidence.delete()
    evaluation = _evaluate(
        application.declaration,
        payroll_of(application),
        application.organisation.siren,
    )
    application.evaluation, application.verdict = evaluation, evaluation["verdict"]
    return step.finish(
        data={"removed": removed, "verdict": application.verdict},
        fields=("evaluation", "verdict"),
    )


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """draft → submitted, when the pre-check does not say ``not_eligible``."""
    step = workflow.begin(workflow.APPLICATION_SUBMIT, application, actor=actor)
    application = step.obj
    _refuse_closed_version(application.scheme_version)
    if application.verdict == Verdict.NOT_ELIGIBLE:
        raise TransitionNotAllowed(
            _(
                "Le pré-contrôle conclut « non éligible » : corrigez la déclaration avant de "
                "déposer."
            )
        )
    application.submitted_at = timezone.now()
    step.finish(data={"verdict": application.verdict}, fields=("submitted_at",))
    email_in_languages(
        to=role_addresses(Role.AFRC),
        subject=lambda: _("Dossier n° %(id)s déposé") % {"id": application.pk},
        body=lambda: (
            _("%(company)s a déposé son dossier n° %(id)s. Sa recevabilité est à examiner.")
            % {"company": application.applicant_name, "id": application.pk}
        ),
    )
    return application


@transaction.atomic
def application_delete(*, actor: User, application: Application) -> None:
    """The applicant deletes its draft (and the counts of its DSNs): a company may start again.
    The journal keeps the fact and the dossier's number."""
    step = workflow.begin(workflow.APPLICATION_DELETE, application, actor=actor)
    application = step.obj
    step.record(data={"kind": application.kind, "verdict": application.verdict})
    application.payroll_evidence.all().delete()
    application.delete()


@transaction.atomic
def application_admissibility(
    *, actor: User, application: Application, admissible: bool, comment: str
) -> Application:
    """submitted → admissible, or back to draft with the AFRC's comments."""
    transition = workflow.APPLICATION_ADMIT if admissible else workflow.APPLICATION_RETURN
    step = workflow.begin(transition, application, actor=actor)
    application = step.obj
    comment = comment.strip()
    if not admissible and not comment:
        raise InvalidInput([InputError("/comment", _("Dites à l'entreprise ce qui manque."))])
    application.admissibility_comment = comment
    step.finish(data={"comment": comment} if comment else None, fields=("admissibility_comment",))
    recipients = organisation_addresses(application.organisation_id)
    if admissible:
        recipients += role_addresses(Role.CERTIFIER)

    def body() -> str:
        if admissible:
            return _("Le dossier n° %(id)s est recevable. L'audit peut être planifié.") % {
                "id": application.pk
            }
        return _("Le dossier n° %(id)s vous est renvoyé. Commentaire de l'AFRC :\n%(comment)s") % {
            "id": application.pk,
            "comment": comment,
        }

    email_in_languages(
        to=recipients,
        subject=lambda: (
            _("Dossier n° %(id)s : %(status)s")
            % {"id": application.pk, "status": application.get_status_display().lower()}
        ),
        body=body,
    )
    return application


@transaction.atomic
def application_start_renewal(*, actor: User, certificate_number: str) -> Application:
    """A renewal application in draft, starting from the certified declaration."""
    refusal = _("Seule l'entreprise certifiée peut demander le renouvellement.")
    if actor.organisation_id is None or not actor.has_role(Role.APPLICANT):
        raise ActionForbidden(refusal)
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("application", "organisation")
        .filter(number=certificate_number, organisation_id=actor.organisation_id)
        .first()
    )
    if certificate is None:
        raise ActionForbidden(refusal)
    if certificate.status not in workflow.LIVE:
        raise TransitionNotAllowed(
            _(
                "Le certificat est « %(status)s » : une nouvelle certification initiale est "
                "nécessaire."
            )
            % {"status": certificate.get_status_display()}
        )
    if Application.objects.filter(renews=certificate, status__in=OPEN).exists():
        raise TransitionNotAllowed(_("Un renouvellement est déjà en cours pour ce certificat."))
    # The certified declaration is the starting point; the pre-check runs again because the
    # membership registry may have changed since, and new DSNs are needed anyway. A renewal is
    # judged under the version in effect (referentiel-v2.md §3). Our reading (docs/referentiel.md):
    # while the certificate's version still accepts applications (the transition, until
    # 2027-11-30) the renewal starts in that version and the company may upgrade its draft;
    # once it no longer does, the draft is upgraded here to the version in effect (version 2:
    # empty contact points, which RCF-09 then asks to fill) instead of being refused.
    declaration = certificate.application.declaration
    today = timezone.localdate()
    if not accepts_new_applications(certificate.scheme_version, today):
        declaration = upgrade_declaration(declaration, scheme_in_effect(today).version)
    evaluation = _evaluate(declaration, [], certificate.organisation.siren)
    application = Application(
        organisation=certificate.organisation,
        kind=ApplicationKind.RENEWAL,
        declaration=declaration,
        evaluation=evaluation,
        verdict=evaluation["verdict"],
        scheme_version=evaluation["scheme_version"],
        renews=certificate,
        created_by=actor,
    )
    step = workflow.begin(workflow.APPLICATION_CREATE, application, actor=actor)
    return step.finish(data={"renews": certificate.number})
