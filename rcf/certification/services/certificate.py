"""The life of a certificate after its birth: suspension, reinstatement, withdrawal, expiry
(référentiel §6), and what the decision needs to issue one (numbers, status-list positions).

Each change goes through the workflow table (:mod:`rcf.certification.workflow`): it locks the
certificate, checks the ability (403) and the state (409), changes it, records the public
history event and the journal entry, and queues the e-mails — all in one transaction.
"""

from __future__ import annotations

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.certification import workflow
from rcf.certification.models import Certificate, CertificateSequence
from rcf.certification.services.mail import Text, day, email_in_languages
from rcf.core.errors import InputError, InvalidInput, TransitionNotAllowed
from rcf.credentials.statuslist import random_free_index
from rcf.notifications.services import organisation_addresses, role_addresses
from rcf.referentiel.versions import load_scheme


def certificate_number_next(year: int, scheme_version: str) -> str:
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
    template: str = load_scheme(scheme_version).section("cycle")["certificate_number_format"]
    return template.format(year=year, sequence=sequence.last)


def status_index_free() -> int:
    """A random free position in the status lists: positions reveal nothing about order."""
    return random_free_index(set(Certificate.objects.values_list("status_index", flat=True)))


def certificate_notify(certificate: Certificate, subject: Text, body: Text) -> None:
    """Tell the company and the certification body what happened to the certificate, each in
    the language of their e-mails."""
    email_in_languages(
        to=organisation_addresses(certificate.organisation_id) + role_addresses(Role.CERTIFIER),
        subject=lambda: (
            _("%(number)s : %(event)s") % {"number": certificate.number, "event": subject()}
        ),
        body=body,
    )


def _need_reason(reason: str) -> str:
    reason = reason.strip()
    if not reason:
        raise InvalidInput([InputError("/reason", _("Le motif est obligatoire."))])
    return reason


@transaction.atomic
def certificate_suspend(
    *, actor: User | None, certificate: Certificate, reason: str
) -> Certificate:
    """active → suspended, by a certifier (``actor``) or by ``rcf tick`` (``actor=None``)."""
    step = workflow.begin(workflow.CERTIFICATE_SUSPEND, certificate, actor=actor)
    reason = _need_reason(reason)
    certificate = step.finish(reason=reason)
    months = load_scheme(certificate.scheme_version).section("cycle")["suspension_max_months"]
    certificate_notify(
        certificate,
        lambda: _("certificat suspendu"),
        lambda: (
            _(
                "Le certificat %(number)s est suspendu. Motif : %(reason)s\n"
                "Sans rétablissement dans les %(months)s mois, il sera retiré."
            )
            % {"number": certificate.number, "reason": reason, "months": months}
        ),
    )
    return certificate


@transaction.atomic
def certificate_reinstate(*, actor: User, certificate: Certificate, reason: str) -> Certificate:
    """suspended → active, by a certifier, while the validity has not ended."""
    step = workflow.begin(workflow.CERTIFICATE_REINSTATE, certificate, actor=actor)
    reason = _need_reason(reason)
    if step.obj.valid_until < timezone.localdate():
        raise TransitionNotAllowed(
            _("La validité du certificat est échue : il ne peut être rétabli.")
        )
    certificate = step.finish(reason=reason)
    certificate_notify(
        certificate,
        lambda: _("certificat rétabli"),
        lambda: (
            _("Le certificat %(number)s est rétabli. Motif : %(reason)s")
            % {"number": certificate.number, "reason": reason}
        ),
    )
    return certificate


@transaction.atomic
def certificate_withdraw(
    *, actor: User | None, certificate: Certificate, reason: str
) -> Certificate:
    """active or suspended → withdrawn, by a certifier or by ``rcf tick`` after 6 months."""
    step = workflow.begin(workflow.CERTIFICATE_WITHDRAW, certificate, actor=actor)
    reason = _need_reason(reason)
    certificate = step.finish(reason=reason)
    certificate_notify(
        certificate,
        lambda: _("certificat retiré"),
        lambda: (
            _("Le certificat %(number)s est retiré. Motif : %(reason)s")
            % {"number": certificate.number, "reason": reason}
        ),
    )
    return certificate


@transaction.atomic
def certificate_expire(*, certificate: Certificate, today: dt.date) -> Certificate:
    """active or suspended → expired when the validity has ended (``rcf tick``)."""
    step = workflow.begin(workflow.CERTIFICATE_EXPIRE, certificate, actor=None)
    if step.obj.valid_until >= today:
        raise TransitionNotAllowed(_("Le certificat est encore dans sa période de validité."))
    certificate = step.finish(reason=f"Fin de validité le {step.obj.valid_until:%d/%m/%Y}.")
    certificate_notify(
        certificate,
        lambda: _("certificat expiré"),
        lambda: (
            _("Le certificat %(number)s a expiré le %(day)s.")
            % {"number": certificate.number, "day": day(certificate.valid_until)}
        ),
    )
    return certificate
