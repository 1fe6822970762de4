"""A page refused to someone who may see it but not act answers in the service's words.

A POST goes to the service, which checks the ability and words the refusal; the page shows that
refusal (403) and changes nothing. The page only refuses, itself, to *show* a form to someone
who may not send it, and then in the same words as the service. Each case below is one person
who may see the page but not use it; ``refuse`` asks the service directly, as that person, to
do what the POST asks.
"""

from __future__ import annotations

import datetime as dt
import io
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation
from django.utils.html import escape

from rcf.accounts.models import User
from rcf.certification.models import Application, CorrectiveAction, Finding
from rcf.certification.services import audit as audit_services
from rcf.certification.services import certificate as certificate_services
from rcf.certification.services import decision as decision_services
from rcf.certification.services import dossier as dossier_services
from rcf.core.errors import ActionForbidden
from rcf.journal.models import JournalEntry
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
CHECKLIST = {
    f"RCF-A{i}-{field}": value
    for i in range(1, 6)
    for field, value in (("result", "conforme"), ("notes", ""))
}


@dataclass
class Case:
    role: str
    url: str
    data: dict[str, Any]
    refuse: Callable[[User], object]


def _create(cast: Cast) -> Case:
    return Case(
        "afrc",
        reverse("applications:create"),
        {"reference_date": "2026-01-15"},
        lambda user: dossier_services.application_create(
            actor=user, declaration=example_declaration()
        ),
    )


def _section(cast: Cast) -> Case:
    application = pages.draft(cast)
    return Case(
        "afrc",
        reverse("applications:section", args=[application.pk, "entreprise"]),
        pages.browser_data(application, "entreprise"),
        lambda user: dossier_services.application_update_declaration(
            actor=user, application=application, declaration=application.declaration
        ),
    )


def _admissibility(cast: Cast) -> Case:
    application = pages.submitted(cast)
    return Case(
        "certifier",
        reverse("applications:admissibility", args=[application.pk]),
        {"admissible": "yes", "comment": ""},
        lambda user: dossier_services.application_admissibility(
            actor=user, application=application, admissible=True, comment=""
        ),
    )


def _decision(cast: Cast) -> Case:
    """Impartiality: « bruno » audited the application."""
    application = pages.audited(cast, auditor="bruno")
    return Case(
        "certifier_auditor",
        reverse("applications:decision", args=[application.pk]),
        {"decision": "certify", "motivation": "Conforme."},
        lambda user: decision_services.application_decide(
            actor=user, application=application, decision="certify", motivation="Conforme."
        ),
    )


def _plan(cast: Cast) -> Case:
    application = pages.admissible(cast)
    return Case(
        "afrc",
        reverse("audits:plan", args=[application.pk]),
        {"auditor": "alice", "planned_on": "2026-12-10", "kind": "initial", "sites": ["brest"]},
        lambda user: audit_services.audit_plan(
            actor=user,
            application=application,
            auditor_username="alice",
            planned_on=dt.date(2026, 12, 10),
            kind="initial",
        ),
    )


def _checklist(cast: Cast) -> Case:
    audit = pages.planned(cast)
    return Case(
        "certifier",
        reverse("audits:checklist", args=[audit.pk]),
        CHECKLIST,
        lambda user: audit_services.audit_checklist_update(
            actor=user, audit=audit, items=pages.OK_ITEMS
        ),
    )


def _finding(cast: Cast) -> Case:
    audit = pages.planned(cast)
    return Case(
        "certifier",
        reverse("audits:finding_new", args=[audit.pk]),
        {"requirement": "RCF-A2", "severity": "minor", "description": "3 contrats sans clause."},
        lambda user: audit_services.finding_record(
            actor=user,
            audit=audit,
            requirement="RCF-A2",
            severity="minor",
            description="3 contrats sans clause.",
        ),
    )


def _sample(cast: Cast) -> Case:
    audit = pages.planned(cast)
    return Case(
        "afrc",
        reverse("audits:sample", args=[audit.pk]),
        {"sites": ["brest"]},
        lambda user: audit_services.audit_update_sample(
            actor=user, audit=audit, sites=[{"site": "brest", "reason": ""}]
        ),
    )


def _evidence(cast: Cast) -> Case:
    audit = pages.planned(cast)

    def upload() -> io.BytesIO:
        handle = io.BytesIO(PDF)
        handle.name = "contrat.pdf"
        return handle

    return Case(
        "applicant",
        reverse("audits:evidence", args=[audit.pk]),
        {"requirement": "RCF-A2", "file": upload()},
        lambda user: audit_services.evidence_add(
            actor=user,
            audit=audit,
            requirement="RCF-A2",
            name="contrat.pdf",
            handle=upload(),
            size=len(PDF),
        ),
    )


def _close(cast: Cast) -> Case:
    audit = pages.filled(cast)
    return Case(
        "certifier",
        reverse("audits:close", args=[audit.pk]),
        {},
        lambda user: audit_services.audit_close(actor=user, audit=audit),
    )


def _propose_action(cast: Cast) -> Case:
    finding = Finding.objects.get(audit=pages.closed_with_major(cast))
    return Case(
        "auditor",
        reverse("audits:propose_action", args=[finding.pk]),
        {"description": "Avenants signés avec la clause."},
        lambda user: audit_services.corrective_action_propose(
            actor=user, finding=finding, description="Avenants signés avec la clause."
        ),
    )


def _verify_action(cast: Cast) -> Case:
    finding = Finding.objects.get(audit=pages.closed_with_major(cast))
    action: CorrectiveAction = audit_services.corrective_action_propose(
        actor=cast.applicant.user, finding=finding, description="Avenants signés."
    )
    return Case(
        "certifier",
        reverse("audits:verify_action", args=[action.pk]),
        {"accepted": "yes", "comment": ""},
        lambda user: audit_services.corrective_action_verify(
            actor=user, action=action, accepted=True, comment=""
        ),
    )


def _suspend(cast: Cast) -> Case:
    certificate = pages.certified(cast)
    return Case(
        "applicant",
        reverse("certificates:change", args=[certificate.number, "suspendre"]),
        {"reason": "Plainte."},
        lambda user: certificate_services.certificate_suspend(
            actor=user, certificate=certificate, reason="Plainte."
        ),
    )


CASES = {
    "section": _section,
    "admissibility": _admissibility,
    "decision": _decision,
    "plan": _plan,
    "checklist": _checklist,
    "finding_new": _finding,
    "sample": _sample,
    "evidence": _evidence,
    "close": _close,
    "propose_action": _propose_action,
    "verify_action": _verify_action,
    "suspend": _suspend,
}


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> None:
    settings.RCF_UPLOAD_DIR = tmp_path / "uploads"


@pytest.fixture(autouse=True)
def language() -> Iterator[None]:
    """A page under /en/ switches the test's thread to English: switch it back."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def refusal_message(response: Any) -> str:
    """The sentence of the refusal page that says why."""
    found = re.search(
        r'<div class="msg msg-error" role="alert">\s*<p>(.*?)</p>', response.content.decode(), re.S
    )
    assert found, response.content.decode()
    return found.group(1)


def service_refusal(case: Case, user: User, language: str) -> str:
    """What the service says to ``user``, in ``language``, as the page escapes it."""
    with translation.override(language), pytest.raises(ActionForbidden) as refused:
        case.refuse(user)
    with translation.override(language):
        return str(escape(str(refused.value.message)))


def snapshot() -> tuple[Any, ...]:
    return (
        sorted(Application.objects.values_list("id", "status", "verdict")),
        JournalEntry.objects.count(),
    )


# The creation page refuses a POST itself (the empty declaration is made from the
# organisation); the evidence page shows its files to everyone and its form to the auditor only.
POSTS = dict(CASES)
FORMS = {"create": _create, **{name: case for name, case in CASES.items() if name != "evidence"}}


@pytest.mark.parametrize("name", POSTS)
def test_a_refused_post_shows_the_services_message(cast: Cast, name: str) -> None:
    """The POST reaches the service, whose refusal is the page's answer — in English under
    /en/ as the service words it, not in a wording of the page — and nothing changes."""
    case = POSTS[name](cast)
    user = getattr(cast, case.role).user
    expected = service_refusal(case, user, "en")
    before = snapshot()
    response = pages.browser(cast, case.role).post(f"/en{case.url}", case.data)
    assert response.status_code == 403
    assert refusal_message(response) == expected
    assert snapshot() == before


@pytest.mark.parametrize("name", FORMS)
def test_a_refused_form_says_what_the_service_says(cast: Cast, name: str) -> None:
    """The form is not shown to someone who may not send it, and the refusal is worded as the
    service words the refusal of the POST."""
    case = FORMS[name](cast)
    user = getattr(cast, case.role).user
    response = pages.browser(cast, case.role).get(case.url)
    assert response.status_code == 403
    assert refusal_message(response) == service_refusal(case, user, "fr")


@pytest.mark.parametrize("name", [name for name in POSTS if name != "close"])
def test_an_incomplete_post_is_refused_not_shown_back(cast: Cast, name: str) -> None:
    """An empty form from someone who may not send it never reaches the service; the page
    does not show it back with its errors but refuses it (403), and nothing changes."""
    case = POSTS[name](cast)
    before = snapshot()
    response = pages.browser(cast, case.role).post(case.url, {})
    assert response.status_code == 403
    assert refusal_message(response) == service_refusal(case, getattr(cast, case.role).user, "fr")
    assert snapshot() == before
