"""The life of a certificate: issue, renewal, suspension, reinstatement, withdrawal, expiry.

Each function is one transition (platform-v1.md §2): it locks the certificate, checks the
state (``TransitionNotAllowed`` → 409), changes it, records the public history event and the
journal entry, and queues the e-mails — all in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.certification.choices import CertificateStatus
from rcf.certification.models import Application, Certificate, CertificateEvent, CertificateSequence
from rcf.certification.scope import certificate_scope
from rcf.core.dates import validity_end
from rcf.core.errors import ActionForbidden, InputError, InvalidInput, TransitionNotAllowed
from rcf.credentials.statuslist import random_free_index
from rcf.journal.services import journal_record
from rcf.notifications.services import email_queue, organisation_addresses, role_addresses
from rcf.referentiel.scheme import load_scheme


def certificate_number_next(year: int) -> str:
    """The next number ``RCF-YYYY-NNNN`` of ``year``; unique even under concurrent decisions.

    The year's row is locked until the caller's transaction ends, so two decisions number
    themselves one after the other.
    """
    try:
        with transaction.atomic():
            CertificateSequence.objects.create(year=year, last=0)
    except IntegrityError:
        pass  # the year's row exists (or a concurrent transaction just created it)
    sequence = CertificateSequence.objects.select_for_update().get(year=year)
    sequence.last += 1
    sequence.save(update_fields=["last"])
    template: str = load_scheme().section("cycle")["certificate_number_format"]
    return template.format(year=year, sequence=sequence.last)


def _status_index_free() -> int:
    """A random free position in the status lists: positions reveal nothing about order."""
    return random_free_index(set(Certificate.objects.values_list("status_index", flat=True)))


def _record(
    certificate: Certificate,
    *,
    actor: User | None,
    action: str,
    before: str,
    reason: str = "",
    data: dict[str, object] | None = None,
) -> None:
    now = timezone.now()
    CertificateEvent.objects.create(
        certificate=certificate,
        on=now,
        action=action,
        status=certificate.status,
        reason=reason,
        data=data or {},
        actor=actor,
    )
    journal_record(
        actor=actor,
        action=f"rcf.certificate.{action}",
        obj_type="certificate",
        obj_id=certificate.number,
        before=before,
        after=certificate.status,
        data={"reason": reason, **(data or {})} if reason or data else None,
    )


def _notify(certificate: Certificate, subject: str, body: str) -> None:
    email_queue(
        to=organisation_addresses(certificate.organisation_id) + role_addresses(Role.CERTIFIER),
        subject=f"[Relation Client France] {certificate.number} : {subject}",
        body=body,
    )


def certificate_issue(*, application: Application, actor: User, today: dt.date) -> Certificate:
    """Issue the certificate of a certify decision (called by the decision service).

    A renewal keeps the number of the certificate it renews and starts a new validity period;
    an initial certification takes the next number of the year.
    """
    cycle = load_scheme().section("cycle")
    scheme_version = application.evaluation.get("scheme_version", load_scheme().version)
    valid_until = validity_end(today, int(cycle["validity_years"]))
    scope = certificate_scope(application.declaration)
    if application.renews_id is not None:
        certificate = Certificate.objects.select_for_update().get(pk=application.renews_id)
        before = certificate.status
        if before not in {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED}:
            raise TransitionNotAllowed(
                f"Le certificat {certificate.number} est {certificate.get_status_display()} : "
                "il ne peut plus être renouvelé."
            )
        previous = {
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "application": certificate.application_id,
        }
        certificate.application = application
        certificate.status = CertificateStatus.ACTIVE
        certificate.valid_from, certificate.valid_until = today, valid_until
        certificate.scheme_version, certificate.scope = scheme_version, scope
        certificate.status_changed_at = timezone.now()
        certificate.reindex()
        certificate.save()
        _record(
            certificate,
            actor=actor,
            action="renewed",
            before=before,
            data={"previous": previous, "application": application.pk},
        )
        _notify(
            certificate,
            "certificat renouvelé",
            f"Le certificat {certificate.number} est renouvelé jusqu'au {valid_until:%d/%m/%Y}.",
        )
        return certificate
    certificate = Certificate(
        number=certificate_number_next(today.year),
        organisation=application.organisation,
        application=application,
        status=CertificateStatus.ACTIVE,
        scheme_version=scheme_version,
        first_issued_on=today,
        valid_from=today,
        valid_until=valid_until,
        status_changed_at=timezone.now(),
        scope=scope,
        status_index=_status_index_free(),
    )
    certificate.reindex()
    certificate.save(force_insert=True)
    _record(
        certificate, actor=actor, action="issued", before="", data={"application": application.pk}
    )
    _notify(
        certificate,
        "certificat délivré",
        f"Le certificat {certificate.number} est délivré, valide du {today:%d/%m/%Y} "
        f"au {valid_until:%d/%m/%Y}.",
    )
    return certificate


def _require_certifier(actor: User) -> None:
    if not actor.has_role(Role.CERTIFIER):
        raise ActionForbidden("Seul un responsable de certification peut faire cela.")


def _locked(certificate: Certificate) -> Certificate:
    return Certificate.objects.select_for_update().get(pk=certificate.pk)


def _change(
    certificate: Certificate,
    *,
    actor: User | None,
    allowed: set[str],
    after: str,
    action: str,
    reason: str,
    refusal: str,
) -> Certificate:
    certificate = _locked(certificate)
    if certificate.status not in allowed:
        raise TransitionNotAllowed(refusal.format(status=certificate.get_status_display()))
    before = certificate.status
    certificate.status = after
    certificate.status_changed_at = timezone.now()
    certificate.save(update_fields=["status", "status_changed_at"])
    _record(certificate, actor=actor, action=action, before=before, reason=reason)
    return certificate


def _need_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput([InputError("/reason", "Le motif est obligatoire.")])
    return reason


@transaction.atomic
def certificate_suspend(
    *, actor: User | None, certificate: Certificate, reason: str
) -> Certificate:
    """active → suspended, by a certifier (``actor``) or by ``rcf tick`` (``actor=None``)."""
    if actor is not None:
        _require_certifier(actor)
    reason = _need_reason(reason)
    certificate = _change(
        certificate,
        actor=actor,
        allowed={CertificateStatus.ACTIVE},
        after=CertificateStatus.SUSPENDED,
        action="suspended",
        reason=reason,
        refusal="Seul un certificat valide peut être suspendu (il est {status}).",
    )
    _notify(
        certificate,
        "certificat suspendu",
        f"Le certificat {certificate.number} est suspendu. Motif : {reason}\n"
        f"Sans rétablissement dans les {load_scheme().section('cycle')['suspension_max_months']} "
        "mois, il sera retiré.",
    )
    return certificate


@transaction.atomic
def certificate_reinstate(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """suspended → active, by a certifier, while the validity has not ended."""
    _require_certifier(actor)
    reason = _need_reason(reason)
    if certificate.valid_until < timezone.localdate():
        raise TransitionNotAllowed("La validité du certificat est échue : il ne peut être rétabli.")
    certificate = _change(
        certificate,
        actor=actor,
        allowed={CertificateStatus.SUSPENDED},
        after=CertificateStatus.ACTIVE,
        action="reinstated",
        reason=reason,
        refusal="Seul un certificat suspendu peut être rétabli (il est {status}).",
    )
    _notify(
        certificate,
        "certificat rétabli",
        f"Le certificat {certificate.number} est rétabli. Motif : {reason}",
    )
    return certificate


@transaction.atomic
def certificate_withdraw(
    *, actor: User | None, certificate: Certificate, reason: str
) -> Certificate:
    """active or suspended → withdrawn, by a certifier or by ``rcf tick`` after 6 months."""
    if actor is not None:
        _require_certifier(actor)
    reason = _need_reason(reason)
    certificate = _change(
        certificate,
        actor=actor,
        allowed={CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED},
        after=CertificateStatus.WITHDRAWN,
        action="withdrawn",
        reason=reason,
        refusal="Seul un certificat valide ou suspendu peut être retiré (il est {status}).",
    )
    _notify(
        certificate,
        "certificat retiré",
        f"Le certificat {certificate.number} est retiré. Motif : {reason}",
    )
    return certificate


@transaction.atomic
def certificate_expire(*, certificate: Certificate, today: dt.date) -> Certificate:
    """active → expired when the validity has ended (``rcf tick``)."""
    if certificate.valid_until >= today:
        raise TransitionNotAllowed("Le certificat est encore dans sa période de validité.")
    certificate = _change(
        certificate,
        actor=None,
        allowed={CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED},
        after=CertificateStatus.EXPIRED,
        action="expired",
        reason=f"Fin de validité le {certificate.valid_until:%d/%m/%Y}.",
        refusal="Seul un certificat valide ou suspendu peut expirer (il est {status}).",
    )
    _notify(
        certificate,
        "certificat expiré",
        f"Le certificat {certificate.number} a expiré le {certificate.valid_until:%d/%m/%Y}.",
    )
    return certificate
