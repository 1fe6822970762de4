"""The steps of an application's workflow (platform-v1.md §2), one function each.

Every function is used alike by the web pages, the API and the command line. It runs in one
transaction, locks the application, checks the user's ability (``ActionForbidden`` → 403) and
the state (``TransitionNotAllowed`` → 409), writes exactly one journal entry and queues the
e-mails for the people concerned.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterable, Mapping
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.certification.choices import ApplicationKind, ApplicationStatus
from rcf.certification.models import Application, PayrollEvidence
from rcf.certification.permissions import application_abilities
from rcf.core.errors import ActionForbidden, InputError, InvalidInput, TransitionNotAllowed
from rcf.journal.services import journal_record
from rcf.notifications.services import email_queue, organisation_addresses, role_addresses
from rcf.precheck.choices import Verdict
from rcf.referentiel.evidence import PayrollDeclaration, WorkplaceCount

S = ApplicationStatus


def _require(actor: User, application: Application, ability: str, message: str) -> None:
    if not application_abilities(actor, application)[ability]:
        raise ActionForbidden(message)


def _lock(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _require_status(application: Application, allowed: set[str], message: str) -> None:
    if application.status not in allowed:
        raise TransitionNotAllowed(
            f"{message} (le dossier est au statut « {application.get_status_display()} »)."
        )


def _journal(
    actor: User | None,
    application: Application,
    action: str,
    before: str,
    data: dict[str, Any] | None = None,
) -> None:
    journal_record(
        actor=actor,
        action=f"rcf.application.{action}",
        obj_type="application",
        obj_id=str(application.pk),
        before=before,
        after=application.status,
        data=data,
    )


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
) -> dict[str, Any]:
    """Validate and evaluate; refuse a declaration made for another company."""
    from rcf.precheck.services import declaration_evaluate
    from rcf.referentiel.declaration import DeclarationError

    try:
        evaluation = declaration_evaluate(declaration=declaration, payroll=payroll)
    except DeclarationError as exc:
        raise InvalidInput(
            [InputError(error.pointer, error.message) for error in exc.errors],
            "La déclaration n'est pas un document rcf-declaration/1 valide.",
        ) from None
    siren = declaration["applicant"]["siren"]
    if siren != organisation_siren:
        raise InvalidInput(
            [
                InputError(
                    "/applicant/siren",
                    f"Le SIREN {siren} n'est pas celui de votre organisation "
                    f"({organisation_siren}).",
                )
            ]
        )
    return evaluation


@transaction.atomic
def application_create(*, actor: User, declaration: Mapping[str, Any]) -> Application:
    """A new draft application of the actor's organisation, with its first pre-check."""
    if not actor.has_role(Role.APPLICANT) or actor.organisation_id is None:
        raise ActionForbidden("Seul un demandeur rattaché à une entreprise peut créer un dossier.")
    assert actor.organisation is not None
    evaluation = _evaluate(declaration, [], actor.organisation.siren)
    application = Application.objects.create(
        organisation=actor.organisation,
        kind=ApplicationKind.INITIAL,
        status=S.DRAFT,
        declaration=dict(declaration),
        evaluation=evaluation,
        verdict=evaluation["verdict"],
        created_by=actor,
    )
    _journal(actor, application, "created", "", {"verdict": application.verdict})
    return application


@transaction.atomic
def application_update_declaration(
    *, actor: User, application: Application, declaration: Mapping[str, Any]
) -> Application:
    """Replace the declaration of a draft and run the pre-check again."""
    application = _lock(application)
    _require(actor, application, "edit", "Seule l'entreprise peut modifier sa déclaration.")
    _require_status(application, {S.DRAFT}, "La déclaration ne se modifie qu'en brouillon")
    evaluation = _evaluate(declaration, payroll_of(application), application.organisation.siren)
    before_verdict = application.verdict
    application.declaration = dict(declaration)
    application.evaluation, application.verdict = evaluation, evaluation["verdict"]
    application.save(update_fields=["declaration", "evaluation", "verdict", "updated_at"])
    _journal(
        actor,
        application,
        "declaration_updated",
        application.status,
        {"verdict": [before_verdict, application.verdict]},
    )
    return application


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

    application = _lock(application)
    _require(actor, application, "edit", "Seule l'entreprise peut déposer ses DSN.")
    _require_status(application, {S.DRAFT}, "Les DSN se déposent en brouillon")
    try:
        declarations = read_uploaded_dsn(files, max_bytes=settings.RCF_UPLOAD_MAX_BYTES)
    except UploadRefused as exc:
        raise InvalidInput([InputError("/file", error) for error in exc.errors]) from None
    except DsnFileError as exc:
        raise InvalidInput(
            [InputError("/file", error) for error in exc.errors],
            "DSN refusée : fichier mal formé.",
        ) from None
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
    application.save(update_fields=["evaluation", "verdict", "updated_at"])
    _journal(
        actor,
        application,
        "dsn_added",
        application.status,
        {"declarations": len(declarations), "verdict": application.verdict},
    )
    return application


@transaction.atomic
def application_submit(*, actor: User, application: Application) -> Application:
    """draft → submitted, when the pre-check does not say ``not_eligible``."""
    application = _lock(application)
    _require(actor, application, "submit", "Seule l'entreprise peut déposer son dossier.")
    _require_status(application, {S.DRAFT}, "Seul un brouillon peut être déposé")
    if application.verdict == Verdict.NOT_ELIGIBLE:
        raise TransitionNotAllowed(
            "Le pré-contrôle conclut « non éligible » : corrigez la déclaration avant de déposer."
        )
    before = application.status
    application.status, application.submitted_at = S.SUBMITTED, timezone.now()
    application.save(update_fields=["status", "submitted_at", "updated_at"])
    _journal(actor, application, "submitted", before, {"verdict": application.verdict})
    email_queue(
        to=role_addresses(Role.AFRC),
        subject=f"[Relation Client France] Dossier n° {application.pk} déposé",
        body=f"{application.applicant_name} a déposé son dossier n° {application.pk}. "
        "Sa recevabilité est à examiner.",
    )
    return application


@transaction.atomic
def application_admissibility(
    *, actor: User, application: Application, admissible: bool, comment: str
) -> Application:
    """submitted → admissible, or back to draft with the AFRC's comments."""
    application = _lock(application)
    _require(
        actor, application, "judge_admissibility", "Seule l'AFRC juge la recevabilité d'un dossier."
    )
    _require_status(application, {S.SUBMITTED}, "Seul un dossier déposé est examiné")
    comment = comment.strip()
    if not admissible and not comment:
        raise InvalidInput([InputError("/comment", "Dites à l'entreprise ce qui manque.")])
    before = application.status
    application.status = S.ADMISSIBLE if admissible else S.DRAFT
    application.admissibility_comment = comment
    application.save(update_fields=["status", "admissibility_comment", "updated_at"])
    _journal(
        actor,
        application,
        "admissible" if admissible else "returned",
        before,
        {"comment": comment} if comment else None,
    )
    if admissible:
        recipients = organisation_addresses(application.organisation_id) + role_addresses(
            Role.CERTIFIER
        )
        body = f"Le dossier n° {application.pk} est recevable. L'audit peut être planifié."
    else:
        recipients = organisation_addresses(application.organisation_id)
        body = (
            f"Le dossier n° {application.pk} vous est renvoyé. Commentaire de l'AFRC :\n{comment}"
        )
    email_queue(
        to=recipients,
        subject=f"[Relation Client France] Dossier n° {application.pk} : "
        f"{application.get_status_display().lower()}",
        body=body,
    )
    return application


@transaction.atomic
def application_decide(
    *, actor: User, application: Application, decision: str, motivation: str
) -> Application:
    """audited → certified (with its certificate) or refused.

    Impartiality (ISO/IEC 17065 §7.6): a certifier who audited the application may not decide
    on it (403). The application row is locked first, so two concurrent decisions give one
    certificate: the second finds the application no longer ``audited`` (409).
    """
    from rcf.certification.choices import ApplicationStatus as AS
    from rcf.certification.choices import Decision
    from rcf.certification.models import Audit
    from rcf.certification.services.audit import open_major_count
    from rcf.certification.services.certificate import certificate_issue

    application = _lock(application)
    abilities = application_abilities(actor, application)
    if not abilities["plan_audit"]:
        raise ActionForbidden("Seul un responsable de certification prend les décisions.")
    if not abilities["decide"]:
        raise ActionForbidden(
            "Vous avez audité ce dossier : la décision revient à une autre personne "
            "(impartialité, ISO/IEC 17065 §7.6)."
        )
    if decision not in Decision.values:
        raise InvalidInput([InputError("/decision", "« certify » ou « refuse » attendu.")])
    if not motivation.strip():
        raise InvalidInput([InputError("/motivation", "La décision doit être motivée.")])
    if application.status == AS.CORRECTIVE_ACTIONS:
        raise TransitionNotAllowed("Une non-conformité majeure est encore ouverte")
    _require_status(application, {AS.AUDITED}, "La décision suit la clôture de l'audit")
    findings = [
        f for audit in Audit.objects.filter(application=application) for f in audit.findings.all()
    ]
    if decision == Decision.CERTIFY and open_major_count(findings):
        raise TransitionNotAllowed("Une non-conformité majeure est encore ouverte")
    before = application.status
    application.status = AS.CERTIFIED if decision == Decision.CERTIFY else AS.REFUSED
    application.save(update_fields=["status", "updated_at"])
    certificate = None
    if decision == Decision.CERTIFY:
        certificate = certificate_issue(
            application=application, actor=actor, today=timezone.localdate()
        )
    _journal(
        actor,
        application,
        "decided",
        before,
        {
            "decision": decision,
            "motivation": motivation.strip(),
            "certificate": certificate.number if certificate else None,
        },
    )
    if certificate is None:
        email_queue(
            to=organisation_addresses(application.organisation_id),
            subject=f"[Relation Client France] Dossier n° {application.pk} : décision",
            body=f"La certification est refusée. Motivation :\n{motivation.strip()}",
        )
    return application


@transaction.atomic
def application_start_renewal(*, actor: User, certificate_number: str) -> Application:
    """A renewal application in draft, starting from the certified declaration."""
    from rcf.certification.choices import CertificateStatus
    from rcf.certification.models import Certificate

    if actor.organisation_id is None or not actor.has_role(Role.APPLICANT):
        raise ActionForbidden("Seule l'entreprise certifiée peut demander le renouvellement.")
    certificate = (
        Certificate.objects.select_for_update()
        .select_related("application")
        .filter(number=certificate_number, organisation_id=actor.organisation_id)
        .first()
    )
    if certificate is None or not actor.has_role(Role.APPLICANT):
        raise ActionForbidden("Seule l'entreprise certifiée peut demander le renouvellement.")
    if certificate.status not in {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED}:
        raise TransitionNotAllowed(
            f"Le certificat est « {certificate.get_status_display()} » : une nouvelle "
            "certification initiale est nécessaire."
        )
    if (
        Application.objects.filter(renews=certificate)
        .exclude(status__in=[S.CERTIFIED, S.REFUSED])
        .exists()
    ):
        raise TransitionNotAllowed("Un renouvellement est déjà en cours pour ce certificat.")
    # The certified declaration is the starting point; the pre-check runs again because the
    # membership registry may have changed since, and new DSNs are needed anyway.
    declaration = certificate.application.declaration
    evaluation = _evaluate(declaration, [], certificate.organisation.siren)
    application = Application.objects.create(
        organisation=certificate.organisation,
        kind=ApplicationKind.RENEWAL,
        status=S.DRAFT,
        declaration=declaration,
        evaluation=evaluation,
        verdict=evaluation["verdict"],
        renews=certificate,
        created_by=actor,
    )
    _journal(actor, application, "created", "", {"renews": certificate.number})
    return application
