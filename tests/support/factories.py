"""Small factories for tests: explicit objects, built through the real services."""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from rcf.accounts.models import Organisation, User
from rcf.accounts.services import user_create

MUTUELLE_SIREN = "845333145"
TELECOM_SIREN = "804072387"


@cache
def _example(name: str) -> str:
    return resources.files("rcf.referentiel").joinpath("examples", name).read_text("utf-8")


def example_declaration(name: str = "mutuelle-sans-dsn.json") -> dict[str, Any]:
    """A fresh copy of one of the shared example declarations."""
    return copy.deepcopy(json.loads(_example(name)))


def make_user(
    username: str, *roles: str, organisation: Organisation | None = None, email: str = ""
) -> User:
    """A user holding ``roles`` (no usable password: tests log in with ``force_login``)."""
    if organisation is not None:
        user = user_create(
            username,
            roles,
            organisation_siren=organisation.siren,
            organisation_name=organisation.name,
            email=email or f"{username}@example.test",
        )
    else:
        user = user_create(username, roles, email=email or f"{username}@example.test")
    return User.objects.prefetch_related("roles").get(pk=user.pk)


def make_organisation(siren: str = MUTUELLE_SIREN, name: str = "Mutuelle Exemple") -> Organisation:
    organisation, _ = Organisation.objects.get_or_create(siren=siren, defaults={"name": name})
    return organisation


def make_member(siren: str = MUTUELLE_SIREN, number: str = "AFRC-0101") -> None:
    """Register ``siren`` as an AFRC member since 2020, open-ended."""
    import datetime as dt

    from rcf.members.models import Member

    Member.objects.update_or_create(
        member_number=number,
        defaults={
            "siren": siren,
            "name": "Adhérent",
            "valid_from": dt.date(2020, 1, 1),
            "valid_until": None,
        },
    )


def make_certificate(
    organisation: Organisation | None = None,
    *,
    number: str = "RCF-2026-0001",
    status: str = "active",
    valid_from: Any = None,
    declaration: dict[str, Any] | None = None,
    status_index: int | None = None,
) -> Any:
    """A certificate as a decision would leave it, without going through the workflow.

    For tests of what reads certificates (public pages, registry, credentials, badges); the
    workflow tests obtain theirs through the decision service instead.
    """
    import datetime as dt

    from django.utils import timezone

    from rcf.certification.models import Application, Certificate, CertificateEvent
    from rcf.certification.scope import certificate_scope
    from rcf.core.dates import validity_end

    organisation = organisation or make_organisation()
    declaration = declaration or example_declaration()
    declaration["applicant"]["siren"] = organisation.siren
    valid_from = valid_from or dt.date(2026, 1, 15)
    creator = User.objects.filter(organisation=organisation).first() or make_user(
        f"applicant-{organisation.siren}", "applicant", organisation=organisation
    )
    application = Application.objects.create(
        organisation=organisation,
        status="certified",
        declaration=declaration,
        evaluation={"format": "rcf-evaluation/1", "scheme_version": "1", "verdict": "eligible"},
        verdict="eligible",
        scheme_version="1",
        created_by=creator,
    )
    certificate = Certificate(
        number=number,
        organisation=organisation,
        application=application,
        status=status,
        scheme_version="1",
        first_issued_on=valid_from,
        valid_from=valid_from,
        valid_until=validity_end(valid_from, 3),
        status_changed_at=timezone.now(),
        scope=certificate_scope(declaration),
        status_index=status_index if status_index is not None else int(number[-4:]),
    )
    certificate.reindex()
    certificate.save(force_insert=True)
    CertificateEvent.objects.create(
        certificate=certificate, on=timezone.now(), action="issued", status="active"
    )
    if status != "active":
        CertificateEvent.objects.create(
            certificate=certificate, on=timezone.now(), action=status, status=status, reason="test"
        )
    return certificate
