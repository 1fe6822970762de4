"""The decision (ISO/IEC 17065 §7.6) and the birth of the certificate it gives.

Certify or refuse an audited dossier; a certification issues the certificate, or gives the
certificate a renewal dossier renews its new period (same number).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rcf.accounts.models import User
from rcf.certification import refusals, workflow
from rcf.certification.choices import ApplicationStatus, CertificateStatus, Decision
from rcf.certification.models import Application, Certificate, ContactPoint, Finding
from rcf.certification.permissions import application_abilities
from rcf.certification.scope import certificate_scope, certified_contact_points
from rcf.certification.services.audit import open_major_count
from rcf.certification.services.certificate import (
    certificate_notify,
    certificate_number_next,
    status_index_free,
)
from rcf.certification.services.mail import day, email_in_languages
from rcf.core.dates import validity_end
from rcf.core.errors import ActionForbidden, InputError, InvalidInput, TransitionNotAllowed
from rcf.notifications.services import organisation_addresses
from rcf.referentiel.versions import load_scheme


@transaction.atomic
def application_decide(
    *, actor: User, application: Application, decision: str, motivation: str
) -> Application:
    """audited → certified (with its certificate) or refused.

    Impartiality (ISO/IEC 17065 §7.6): a certifier who audited the application may not decide
    on it (403). The application row is locked first, so two concurrent decisions give one
    certificate: the second finds the application no longer ``audited`` (409).
    """
    if not application_abilities(actor, application)["plan_audit"]:
        raise ActionForbidden(refusals.DECIDE)
    step = workflow.begin(workflow.APPLICATION_DECIDE, application, actor=actor)
    application = step.obj
    if decision not in Decision.values:
        raise InvalidInput([InputError("/decision", _("« certify » ou « refuse » attendu."))])
    if not motivation.strip():
        raise InvalidInput([InputError("/motivation", _("La décision doit être motivée."))])
    findings = list(Finding.objects.filter(audit__application=application))
    if decision == Decision.CERTIFY and open_major_count(findings, application.scheme_version):
        raise TransitionNotAllowed(_("Une non-conformité majeure est encore ouverte."))
    certify = decision == Decision.CERTIFY
    after = ApplicationStatus.CERTIFIED if certify else ApplicationStatus.REFUSED
    application.status = after  # the certificate's scope and history read the new status
    certificate = (
        certificate_issue(application=application, actor=actor, today=timezone.localdate())
        if certify
        else None
    )
    step.finish(
        after,
        data={
            "decision": decision,
            "motivation": motivation.strip(),
            "certificate": certificate.number if certificate else None,
        },
    )
    if certificate is None:
        email_in_languages(
            to=organisation_addresses(application.organisation_id),
            subject=lambda: _("Dossier n° %(id)s : décision") % {"id": application.pk},
            body=lambda: (
                _("La certification est refusée. Motivation :\n%(motivation)s")
                % {"motivation": motivation.strip()}
            ),
        )
    return application


def _record_contact_points(certificate: Certificate, declaration: dict[str, Any]) -> None:
    """The certificate's contact points become those of the declaration in force (the phone
    check reads them by their indexed E.164 number)."""
    ContactPoint.objects.filter(certificate=certificate).delete()
    ContactPoint.objects.bulk_create(
        ContactPoint(certificate=certificate, position=position, **point)
        for position, point in enumerate(certified_contact_points(declaration))
    )


def certificate_issue(*, application: Application, actor: User, today: dt.date) -> Certificate:
    """Issue the certificate of a certify decision (called by the decision service).

    A renewal keeps the number of the certificate it renews and starts a new validity period;
    an initial certification takes the next number of the year.
    """
    scheme = load_scheme(application.scheme_version)
    cycle = scheme.section("cycle")
    valid_until = validity_end(today, int(cycle["validity_years"]))
    scope = certificate_scope(application.declaration)
    if application.renews_id is not None:
        assert application.renews is not None
        step = workflow.begin(workflow.CERTIFICATE_RENEW, application.renews, actor=actor)
        certificate = step.obj
        previous = {
            "valid_from": certificate.valid_from.isoformat(),
            "valid_until": certificate.valid_until.isoformat(),
            "application": certificate.application_id,
        }
        certificate.application = application
        certificate.valid_from, certificate.valid_until = today, valid_until
        certificate.scheme_version, certificate.scope = scheme.version, scope
        certificate.status_changed_at = timezone.now()
        certificate.reindex()
        _record_contact_points(certificate, application.declaration)
        step.finish(
            data={"previous": previous, "application": application.pk},
            fields=(
                "application",
                "valid_from",
                "valid_until",
                "scheme_version",
                "scope",
                "search_text",
                "search_filters",
            ),
        )
        certificate_notify(
            certificate,
            lambda: _("certificat renouvelé"),
            lambda: (
                _("Le certificat %(number)s est renouvelé jusqu'au %(day)s.")
                % {"number": certificate.number, "day": day(valid_until)}
            ),
        )
        return certificate
    held = Certificate.objects.live().filter(
        organisation_id=application.organisation_id, scheme=scheme.scheme
    )
    if held.exists():
        # The database refuses it too (one live certificate per company and scheme).
        raise TransitionNotAllowed(
            _("L'entreprise détient déjà le certificat %(number)s : c'est un renouvellement.")
            % {"number": held.values_list("number", flat=True)[0]}
        )
    certificate = Certificate(
        number=certificate_number_next(today.year, scheme.version),
        organisation=application.organisation,
        application=application,
        status=CertificateStatus.ACTIVE,
        scheme=scheme.scheme,
        scheme_version=scheme.version,
        first_issued_on=today,
        valid_from=today,
        valid_until=valid_until,
        status_changed_at=timezone.now(),
        scope=scope,
        status_index=status_index_free(),
    )
    certificate.reindex()
    workflow.begin(workflow.CERTIFICATE_ISSUE, certificate, actor=actor).finish(
        data={"application": application.pk}
    )
    _record_contact_points(certificate, application.declaration)
    certificate_notify(
        certificate,
        lambda: _("certificat délivré"),
        lambda: (
            _("Le certificat %(number)s est délivré, valide du %(start)s au %(end)s.")
            % {"number": certificate.number, "start": day(today), "end": day(valid_until)}
        ),
    )
    return certificate
