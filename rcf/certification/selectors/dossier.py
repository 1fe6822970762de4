"""Reading applications as a given user may see them."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rcf.certification.models import Application
from rcf.certification.permissions import visible_applications
from rcf.core.errors import NotFound

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User


def application_for(user: User | AnonymousUser, application_id: int) -> Application:
    """The application if ``user`` may see it; :class:`NotFound` otherwise (no leak)."""
    application = visible_applications(user).filter(pk=application_id).first()
    if application is None:
        raise NotFound(f"Aucun dossier n° {application_id}.")
    return application


def application_summary(application: Application) -> dict[str, Any]:
    """The API's view of an application (``GET /api/v1/applications/{id}``)."""
    audits = [
        {
            "id": audit.pk,
            "kind": audit.kind,
            "status": audit.status,
            "auditor": audit.auditor.username,
            "planned_on": audit.planned_on.isoformat(),
            "sampled_sites": [s["site"] for s in audit.sampled_sites],
        }
        for audit in application.audits.select_related("auditor").order_by("planned_on", "id")
    ]
    certificate = application.certificates.order_by("-id").first()
    return {
        "id": application.pk,
        "status": application.status,
        "kind": application.kind,
        "organisation": {
            "siren": application.organisation.siren,
            "name": application.organisation.name,
        },
        "evaluation": application.evaluation,
        "audits": audits,
        "certificate": {"number": certificate.number} if certificate else None,
    }
