"""Reading certificates for the public: one certificate, the registry search."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db.models import Max, Q, QuerySet
from django.utils import timezone

from rcf.audits.choices import AuditStatus
from rcf.audits.models import Audit
from rcf.certificates.choices import CertificateStatus
from rcf.certificates.models import Certificate
from rcf.core.errors import NotFound
from rcf.core.text import fold


def certificate_get(number: str) -> Certificate:
    certificate = Certificate.objects.select_related("organisation").filter(number=number).first()
    if certificate is None:
        raise NotFound(f"Aucun certificat {number}.")
    return certificate


def last_audit_on(certificate: Certificate) -> dt.date | None:
    """The last audit performed for this certificate's company (any application of it)."""
    value = Audit.objects.filter(
        application__organisation_id=certificate.organisation_id, status=AuditStatus.CLOSED
    ).aggregate(last=Max("performed_on"))["last"]
    return value if isinstance(value, dt.date) else None


def certificate_public(certificate: Certificate, today: dt.date | None = None) -> dict[str, Any]:
    """``GET /api/v1/certificates/{number}`` (platform-v1.md §3)."""
    today = today or timezone.localdate()
    scope = certificate.scope
    last = last_audit_on(certificate)
    return {
        "number": certificate.number,
        "status": certificate.public_status(today),
        "organisation": {
            "siren": certificate.organisation.siren,
            "name": certificate.organisation.name,
            "brands": scope.get("brands", []),
        },
        "scheme_version": certificate.scheme_version,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "first_issued_on": certificate.first_issued_on.isoformat(),
        "last_audit_on": last.isoformat() if last else None,
        "sites": {
            "count": scope["sites"]["count"],
            "departments": scope["sites"]["departments"],
            "territories": scope["sites"]["territories"],
        },
        "channels": scope["channels"],
        "activities": scope["activities"],
        "phases": scope["phases"],
        "contributors": scope["contributors"],
        "history": certificate_history(certificate, today),
    }


def certificate_history(
    certificate: Certificate, today: dt.date | None = None
) -> list[dict[str, Any]]:
    """Each change of status, oldest first; an unrecorded expiry is shown as of its date."""
    today = today or timezone.localdate()
    history = [
        {
            "on": timezone.localtime(event.on).date().isoformat(),
            "status": event.status,
            "event": event.action,
            "reason": event.reason,
        }
        for event in certificate.events.all()
    ]
    if certificate.public_status(today) != certificate.status:
        day_after = certificate.valid_until + dt.timedelta(days=1)
        history.append(
            {
                "on": day_after.isoformat(),
                "status": CertificateStatus.EXPIRED,
                "event": "expired",
                "reason": "",
            }
        )
    return history


def registry_search(
    q: str = "",
    status: str = "",
    territory: str = "",
    department: str = "",
    channel: str = "",
    today: dt.date | None = None,
) -> QuerySet[Certificate]:
    """Certificates matching every word of ``q`` (case and accents ignored) and the filters."""
    today = today or timezone.localdate()
    queryset = Certificate.objects.select_related("organisation").order_by(
        "organisation__name", "number"
    )
    for word in fold(q).split():
        queryset = queryset.filter(search_text__contains=word)
    if status == CertificateStatus.EXPIRED:
        queryset = queryset.filter(
            Q(status=CertificateStatus.EXPIRED)
            | Q(status=CertificateStatus.ACTIVE, valid_until__lt=today)
        )
    elif status == CertificateStatus.ACTIVE:
        queryset = queryset.filter(status=CertificateStatus.ACTIVE, valid_until__gte=today)
    elif status:
        queryset = queryset.filter(status=status)
    # Scope lists are stored as JSON; matching the quoted value keeps it portable.
    if territory:
        queryset = queryset.filter(search_filters__contains=f'"t:{territory}"')
    if department:
        queryset = queryset.filter(search_filters__contains=f'"d:{department}"')
    if channel:
        queryset = queryset.filter(search_filters__contains=f'"c:{channel}"')
    return queryset


def registry_entry(certificate: Certificate, today: dt.date | None = None) -> dict[str, Any]:
    """A certificate summary in the registry's results."""
    scope = certificate.scope
    return {
        "number": certificate.number,
        "status": certificate.public_status(today),
        "organisation": {
            "siren": certificate.organisation.siren,
            "name": certificate.organisation.name,
            "brands": scope.get("brands", []),
        },
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "sites": {"count": scope["sites"]["count"], "territories": scope["sites"]["territories"]},
        "contributors": scope["contributors"],
    }
