"""What the public pages read: a company's certificates, the verification of one certificate.
The registry search itself is
:func:`rcf.certification.selectors.certificate.registry_search`, shared with the JSON API."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Max
from django.utils import timezone

from rcf.certification.choices import AuditStatus, CertificateStatus
from rcf.certification.models import Audit, Certificate
from rcf.certification.selectors.certificate import (
    certificate_get,
    certificate_history,
    last_audit_on,
    last_valid_day,
    status_since,
    with_last_audit,
)
from rcf.core.errors import NotFound
from rcf.referentiel.versions import scheme_in_effect


@dataclass(frozen=True)
class Cycle:
    """The certification cycle as the pages tell it (scheme parameters, referentiel §5)."""

    validity_years: int
    surveillance_months: tuple[int, ...]


def scheme_cycle() -> Cycle:
    cycle = scheme_in_effect(timezone.localdate()).section("cycle")
    return Cycle(
        validity_years=int(cycle["validity_years"]),
        surveillance_months=tuple(int(m) for m in cycle["surveillance_months"]),
    )


@dataclass(frozen=True)
class CertificateView:
    """A certificate as a public page shows it, with its status as of ``today``."""

    certificate: Certificate
    status: str
    last_audit_on: dt.date | None
    history: list[dict[str, Any]]

    @property
    def scope(self) -> dict[str, Any]:
        return self.certificate.scope

    @property
    def is_valid(self) -> bool:
        return self.status == CertificateStatus.ACTIVE

    @property
    def status_since(self) -> dt.date | None:
        """The day a certificate stopped being valid: suspended or withdrawn on the day its
        status changed, expired the day after its last valid day; ``None`` while valid."""
        return status_since(self.certificate, self.status)

    @property
    def valid_until_in_fact(self) -> dt.date:
        """The last day it was valid, as history (``était valide du … au …``): its planned last
        day for an expired certificate, the day of its suspension or withdrawal otherwise."""
        return last_valid_day(self.certificate, self.status)


def _history(certificate: Certificate, today: dt.date) -> list[dict[str, Any]]:
    """The public history with real dates (the API's gives ISO strings)."""
    return [
        {**entry, "on": dt.date.fromisoformat(entry["on"])}
        for entry in certificate_history(certificate)
    ]


def verification_get(number: str, today: dt.date | None = None) -> CertificateView:
    """The certificate a QR code points to, in one query (company and last audit joined);
    :class:`NotFound` for an unknown number. The page shows no history: none is read."""
    today = today or timezone.localdate()
    certificate = certificate_get(number, today)
    return CertificateView(
        certificate=certificate,
        status=certificate.public_status,
        last_audit_on=last_audit_on(certificate),
        history=[],
    )


def company_certificates(siren: str, today: dt.date | None = None) -> list[CertificateView]:
    """Every certificate ever issued to the company ``siren``, valid ones first, then the most
    recent, each with its history; :class:`NotFound` when it never held one."""
    today = today or timezone.localdate()
    certificates = list(
        with_last_audit(Certificate.objects.with_public_status(today))
        .select_related("organisation")
        .prefetch_related("events")
        .filter(organisation__siren=siren)
        .order_by("-valid_from", "-number")
    )
    if not certificates:
        raise NotFound(f"Aucun certificat pour le SIREN {siren}.")
    views = [
        CertificateView(
            certificate=certificate,
            status=certificate.public_status,
            last_audit_on=last_audit_on(certificate),
            history=_history(certificate, today),
        )
        for certificate in certificates
    ]
    views.sort(key=lambda view: not view.is_valid)  # stable: keeps the recent-first order
    return views


def last_audits_by_organisation() -> dict[int, dt.date]:
    """The date of the last closed audit of every company, in one query (for open data)."""
    rows = (
        Audit.objects.filter(status=AuditStatus.CLOSED, performed_on__isnull=False)
        .values("application__organisation_id")
        .annotate(last=Max("performed_on"))
    )
    return {row["application__organisation_id"]: row["last"] for row in rows}


def certified_cities(certificate: Certificate) -> list[str]:
    """The cities of the certified establishments (the company's and its subcontractors'), in
    alphabetical order ignoring accents. Teleworkers' homes are never listed: a home town is
    personal data, and the declaration gives only their department anyway."""
    from rcf.core.text import fold

    sites = certificate.application.declaration.get("sites", [])
    cities = {
        str(site["location"]["city"]).strip()
        for site in sites
        if site.get("kind") == "establishment" and site.get("location", {}).get("city")
    }
    return sorted(cities, key=fold)


def registry_updated_at() -> dt.datetime | None:
    """When the registry last changed: the latest change of status of any certificate (an
    issue, renewal, suspension, reinstatement, withdrawal or recorded expiry)."""
    latest: dt.datetime | None = Certificate.objects.aggregate(latest=Max("status_changed_at"))[
        "latest"
    ]
    return latest
