"""Helpers of the page tests: applications brought to each state through the real services,
and a logged-in browser for each person of the cast."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.test import Client

from rcf.certification.models import Application, Audit, Certificate
from rcf.certification.services import audit as audit_services
from rcf.certification.services import dossier as app_services
from rcf.certification.services.decision import application_decide
from tests.support.cast import Cast
from tests.support.factories import example_declaration

ROLES = ["applicant", "other_applicant", "afrc", "certifier", "auditor", "certifier_auditor"]
OK_ITEMS = [{"requirement": f"RCF-A{i}", "result": "conforme", "notes": ""} for i in range(1, 6)]


def browser(cast: Cast, role: str) -> Client:
    """A client logged in as ``role`` (``anonymous``: not logged in)."""
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, role).user)
    return client


def draft(cast: Cast, declaration: dict[str, Any] | None = None) -> Application:
    return app_services.application_create(
        actor=cast.applicant.user, declaration=declaration or example_declaration()
    )


def telecom_draft(cast: Cast) -> Application:
    """The other company's draft, « non éligible » (telecom-offshore.json)."""
    return app_services.application_create(
        actor=cast.other_applicant.user, declaration=example_declaration("telecom-offshore.json")
    )


def submitted(cast: Cast) -> Application:
    return app_services.application_submit(actor=cast.applicant.user, application=draft(cast))


def admissible(cast: Cast) -> Application:
    return app_services.application_admissibility(
        actor=cast.afrc.user, application=submitted(cast), admissible=True, comment=""
    )


def planned(cast: Cast, auditor: str = "alice") -> Audit:
    return audit_services.audit_plan(
        actor=cast.certifier.user,
        application=admissible(cast),
        auditor_username=auditor,
        planned_on=dt.date(2026, 12, 10),
        kind="initial",
    )


def filled(cast: Cast, auditor: str = "alice") -> Audit:
    audit = planned(cast, auditor)
    actor = cast.auditor if auditor == "alice" else cast.certifier_auditor
    return audit_services.audit_checklist_update(actor=actor.user, audit=audit, items=OK_ITEMS)


def closed_with_major(cast: Cast) -> Audit:
    """A closed audit with one major non-conformity: the application awaits corrective
    actions."""
    audit = audit_services.audit_checklist_update(
        actor=cast.auditor.user,
        audit=planned(cast),
        items=[
            *OK_ITEMS[:2],
            {"requirement": "RCF-A3", "result": "nc_majeure", "notes": "x"},
            *OK_ITEMS[3:],
        ],
    )
    return audit_services.audit_close(actor=cast.auditor.user, audit=audit)


def audited(cast: Cast, auditor: str = "alice") -> Application:
    actor = cast.auditor if auditor == "alice" else cast.certifier_auditor
    audit = audit_services.audit_close(actor=actor.user, audit=filled(cast, auditor))
    return Application.objects.get(pk=audit.application_id)


def certified(cast: Cast) -> Certificate:
    application = application_decide(
        actor=cast.certifier.user, application=audited(cast), decision="certify", motivation="OK"
    )
    return application.certificates.get()


def browser_data(application: Application, slug: str) -> dict[str, Any]:
    """What a browser sends for an editor page saved as it was shown."""
    from django import forms

    from rcf.certification.editor import SECTIONS

    section: Any = SECTIONS[slug](application.declaration, section_url=lambda s: "")
    if hasattr(section, "formset"):
        shown = [section.formset.management_form, *section.formset.forms]
    else:
        shown = [section.form]
    data: dict[str, Any] = {"action": "save"}
    for form in shown:
        for bound in form:
            value = bound.value()
            if isinstance(bound.field, forms.BooleanField):
                if value:
                    data[bound.html_name] = "on"
            elif isinstance(value, list):
                data[bound.html_name] = value
            else:
                data[bound.html_name] = "" if value is None else str(value)
    return data
