"""The audit pages: planning by a certifier, the checklist, findings, evidence, sample and
closing by the assigned auditor, corrective actions proposed by the company and verified by
the auditor. Each role × anonymous, and what each POST changes — nothing when refused."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from django.urls import reverse

from rcf.certification.models import (
    Application,
    Audit,
    ChecklistItem,
    CorrectiveAction,
    EvidenceFile,
    Finding,
)
from rcf.journal.models import JournalEntry
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def uploads(settings: Any, tmp_path: Path) -> Path:
    settings.RCF_UPLOAD_DIR = tmp_path / "uploads"
    return Path(settings.RCF_UPLOAD_DIR)


def url(name: str, *args: Any) -> str:
    return reverse(f"audits:{name}", args=args)


def snapshot(audit: Audit) -> tuple[Any, ...]:
    audit.refresh_from_db()
    return (
        audit.status,
        audit.sampled_sites,
        Application.objects.get(pk=audit.application_id).status,
        sorted(
            ChecklistItem.objects.filter(audit=audit).values_list("requirement", "result", "notes")
        ),
        Finding.objects.count(),
        EvidenceFile.objects.count(),
        CorrectiveAction.objects.count(),
        JournalEntry.objects.count(),
    )


def upload(content: bytes, name: str) -> io.BytesIO:
    handle = io.BytesIO(content)
    handle.name = name
    return handle


# --- who sees what ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "list",
        "plan_queue",
        "plan",
        "detail",
        "checklist",
        "finding_new",
        "evidence",
        "sample",
        "close",
    ],
)
def test_it_sends_anonymous_visitors_to_the_login_page(cast: Cast, name: str) -> None:
    audit = pages.planned(cast)
    args = (
        []
        if name in {"list", "plan_queue"}
        else [audit.application_id if name == "plan" else audit.pk]
    )
    response = pages.browser(cast, "anonymous").get(url(name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Audit of « claire »'s application assigned to « alice ».
MATRIX = {
    "detail": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 200,
        "auditor": 200,
        "certifier_auditor": 200,
    },
    "checklist": {
        "applicant": 403,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 403,
        "auditor": 200,
        "certifier_auditor": 403,
    },
    "finding_new": {
        "applicant": 403,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 403,
        "auditor": 200,
        "certifier_auditor": 403,
    },
    "evidence": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 200,
        "auditor": 200,
        "certifier_auditor": 200,
    },
    "sample": {
        "applicant": 403,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 200,
        "auditor": 200,
        "certifier_auditor": 200,
    },
    "close": {
        "applicant": 403,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 403,
        "auditor": 200,
        "certifier_auditor": 403,
    },
}


@pytest.mark.parametrize("name", sorted(MATRIX))
@pytest.mark.parametrize("role", pages.ROLES)
def test_it_answers_each_role_on_an_audit_as_the_rules_say(
    cast: Cast, name: str, role: str
) -> None:
    """404 for who may not see the audit's application, 403 for who may not fill it in."""
    audit = pages.planned(cast)
    assert pages.browser(cast, role).get(url(name, audit.pk)).status_code == MATRIX[name][role]


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("plan_queue", {"applicant": 403, "afrc": 403, "certifier": 200, "auditor": 403}),
        ("list", {"applicant": 403, "afrc": 403, "certifier": 200, "auditor": 200}),
    ],
)
def test_it_reserves_the_lists_to_their_roles(
    cast: Cast, name: str, expected: dict[str, int]
) -> None:
    for role, status in expected.items():
        assert pages.browser(cast, role).get(url(name)).status_code == status, role


def test_it_lists_the_auditors_own_audits(cast: Cast) -> None:
    audit = pages.planned(cast)
    assert (
        url("detail", audit.pk) in pages.browser(cast, "auditor").get(url("list")).content.decode()
    )
    bruno = pages.browser(cast, "certifier_auditor").get(url("list")).content.decode()
    assert url("detail", audit.pk) in bruno  # as a certifier, bruno sees every audit


# --- planning --------------------------------------------------------------------------------


def test_it_proposes_the_sample_with_its_reasons(cast: Cast) -> None:
    """The planning page shows the IAF MD 1 proposal, each site with its reason, checked."""
    application = pages.admissible(cast)
    client = pages.browser(cast, "certifier")
    assert url("plan", application.pk) in client.get(url("plan_queue")).content.decode()
    body = client.get(url("plan", application.pk)).content.decode()
    assert "Plus grand site de l&#x27;entreprise (67 contributeurs)" in body
    assert 'value="niort" id="id_sites_0" checked' in body
    assert 'value="brest" id="id_sites_1" checked' in body  # ⌈√2⌉ = 2 establishments


def test_it_plans_an_audit_with_the_sites_checked(cast: Cast) -> None:
    """Planning creates the audit with the checked sites; the application is « audit
    planifié »."""
    application = pages.admissible(cast)
    response = pages.browser(cast, "certifier").post(
        url("plan", application.pk),
        {
            "auditor": "alice",
            "planned_on": "2026-12-10",
            "kind": "initial",
            "sites": ["brest"],
        },
    )
    audit = Audit.objects.get()
    application.refresh_from_db()
    assert response.status_code == 302
    assert response["Location"] == url("detail", audit.pk)
    assert audit.auditor.username == "alice"
    assert [s["site"] for s in audit.sampled_sites] == ["brest"]
    assert application.status == "audit_planned"


def test_it_refuses_a_plan_without_an_auditor_and_plans_nothing(cast: Cast) -> None:
    application = pages.admissible(cast)
    response = pages.browser(cast, "certifier").post(
        url("plan", application.pk),
        {
            "auditor": "",
            "planned_on": "2026-12-10",
            "kind": "initial",
            "sites": ["niort"],
        },
    )
    assert response.status_code == 200
    assert 'id="id_auditor_error"' in response.content.decode()
    assert not Audit.objects.exists()


@pytest.mark.parametrize(("role", "status"), [("afrc", 403), ("applicant", 403)])
def test_it_refuses_planning_to_other_roles(cast: Cast, role: str, status: int) -> None:
    application = pages.admissible(cast)
    response = pages.browser(cast, role).post(
        url("plan", application.pk),
        {
            "auditor": "alice",
            "planned_on": "2026-12-10",
            "kind": "initial",
            "sites": ["niort"],
        },
    )
    assert response.status_code == status
    assert not Audit.objects.exists()


def test_it_refuses_to_plan_an_application_that_is_not_admissible(cast: Cast) -> None:
    """409 on a submitted application; no audit."""
    application = pages.submitted(cast)
    response = pages.browser(cast, "certifier").post(
        url("plan", application.pk),
        {
            "auditor": "alice",
            "planned_on": "2026-12-10",
            "kind": "initial",
            "sites": ["niort"],
        },
    )
    assert response.status_code == 409
    assert not Audit.objects.exists()


# --- checklist, findings, evidence, sample ---------------------------------------------------


def checklist_data(**results: str) -> dict[str, str]:
    data = {}
    for i in range(1, 6):
        rid = f"RCF-A{i}"
        data[f"{rid}-result"] = results.get(rid.replace("-", "_"), "conforme")
        data[f"{rid}-notes"] = f"notes {rid}"
    return data


def test_it_saves_the_checklist(cast: Cast) -> None:
    """Each requirement's result and notes are saved."""
    audit = pages.planned(cast)
    data = checklist_data(RCF_A3="nc_mineure")
    response = pages.browser(cast, "auditor").post(url("checklist", audit.pk), data)
    assert response.status_code == 302
    item = ChecklistItem.objects.get(audit=audit, requirement="RCF-A3")
    assert (item.result, item.notes) == ("nc_mineure", "notes RCF-A3")


def test_it_refuses_the_checklist_to_another_user(cast: Cast) -> None:
    """A certifier who is not the assigned auditor may not fill it in (403, unchanged)."""
    audit = pages.planned(cast)
    before = snapshot(audit)
    response = pages.browser(cast, "certifier").post(url("checklist", audit.pk), checklist_data())
    assert response.status_code == 403
    assert snapshot(audit) == before


def test_it_records_a_finding(cast: Cast) -> None:
    """A finding needs a description (error at the field); then it is recorded."""
    audit = pages.planned(cast)
    client = pages.browser(cast, "auditor")
    response = client.post(
        url("finding_new", audit.pk),
        {"requirement": "RCF-A2", "severity": "minor", "description": " "},
    )
    assert response.status_code == 200
    assert 'id="id_description_error"' in response.content.decode()
    assert not Finding.objects.exists()
    response = client.post(
        url("finding_new", audit.pk),
        {"requirement": "RCF-A2", "severity": "minor", "description": "3 contrats sans clause."},
    )
    assert response.status_code == 302
    finding = Finding.objects.get()
    assert (finding.requirement, finding.severity) == ("RCF-A2", "minor")


def test_it_stores_evidence_and_serves_it_as_an_attachment(cast: Cast, uploads: Path) -> None:
    """A PDF is stored under a random name; it downloads as an attachment with nosniff, for
    whoever may see the audit, and is a 404 for another company."""
    audit = pages.planned(cast)
    response = pages.browser(cast, "auditor").post(
        url("evidence", audit.pk), {"requirement": "RCF-A2", "file": upload(PDF, "contrat.pdf")}
    )
    assert response.status_code == 302
    evidence = EvidenceFile.objects.get()
    assert (uploads / evidence.stored_name).read_bytes() == PDF
    download = pages.browser(cast, "applicant").get(url("evidence_download", evidence.pk))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"
    assert download["Content-Disposition"].startswith('attachment; filename="contrat.pdf"')
    assert download["X-Content-Type-Options"] == "nosniff"
    assert download.getvalue() == PDF
    other = pages.browser(cast, "other_applicant").get(url("evidence_download", evidence.pk))
    assert other.status_code == 404


def test_it_refuses_a_file_that_is_not_a_pdf_or_an_image(cast: Cast, uploads: Path) -> None:
    """An HTML file named .pdf is refused by its content: nothing stored."""
    audit = pages.planned(cast)
    response = pages.browser(cast, "auditor").post(
        url("evidence", audit.pk), {"requirement": "", "file": upload(b"<html>", "x.pdf")}
    )
    assert response.status_code == 200
    assert 'id="id_file_error"' in response.content.decode()
    assert not EvidenceFile.objects.exists()
    assert not uploads.exists() or not any(uploads.iterdir())


def test_it_refuses_evidence_from_someone_else(cast: Cast) -> None:
    audit = pages.planned(cast)
    response = pages.browser(cast, "applicant").post(
        url("evidence", audit.pk), {"requirement": "", "file": upload(PDF, "x.pdf")}
    )
    assert response.status_code == 403
    assert not EvidenceFile.objects.exists()


def test_it_changes_the_sample(cast: Cast) -> None:
    """The certifier changes the sites to visit; an empty sample is refused."""
    audit = pages.planned(cast)
    client = pages.browser(cast, "certifier")
    before = snapshot(audit)
    response = client.post(url("sample", audit.pk), {})
    assert response.status_code == 200
    assert snapshot(audit) == before
    response = client.post(url("sample", audit.pk), {"sites": ["brest"]})
    audit.refresh_from_db()
    assert response.status_code == 302
    assert [s["site"] for s in audit.sampled_sites] == ["brest"]


# --- closing ---------------------------------------------------------------------------------


def test_it_refuses_to_close_while_a_result_is_missing(cast: Cast) -> None:
    """The confirmation page says what is missing; the POST answers 409 and changes nothing."""
    audit = pages.planned(cast)
    client = pages.browser(cast, "auditor")
    assert "RCF-A1" in client.get(url("close", audit.pk)).content.decode()
    before = snapshot(audit)
    response = client.post(url("close", audit.pk))
    assert response.status_code == 409
    assert "RCF-A1" in response.content.decode()
    assert snapshot(audit) == before


def test_it_closes_the_audit(cast: Cast) -> None:
    """Closing a complete checklist moves the application to « audité »."""
    audit = pages.filled(cast)
    response = pages.browser(cast, "auditor").post(url("close", audit.pk))
    audit.refresh_from_db()
    assert response.status_code == 302
    assert audit.status == "closed"
    assert Application.objects.get(pk=audit.application_id).status == "audited"


def test_it_refuses_to_change_a_closed_audit(cast: Cast) -> None:
    """After the closing: checklist and findings answer 409, nothing changes."""
    audit = Audit.objects.get(application=pages.audited(cast))
    before = snapshot(audit)
    client = pages.browser(cast, "auditor")
    assert client.post(url("checklist", audit.pk), checklist_data()).status_code == 409
    response = client.post(
        url("finding_new", audit.pk),
        {"requirement": "RCF-A2", "severity": "minor", "description": "x"},
    )
    assert response.status_code == 409
    assert snapshot(audit) == before


# --- corrective actions ----------------------------------------------------------------------


def test_it_carries_a_major_finding_through_its_corrective_action(cast: Cast) -> None:
    """The company proposes an action on the open major; the auditor must explain a refusal,
    then accepts: the finding is lifted and the application is « audité » again."""
    audit = pages.closed_with_major(cast)
    finding = Finding.objects.get(audit=audit)
    application = Application.objects.get(pk=audit.application_id)
    assert application.status == "corrective_actions"
    detail = (
        pages.browser(cast, "applicant")
        .get(reverse("applications:detail", args=[application.pk]))
        .content.decode()
    )
    assert url("propose_action", finding.pk) in detail

    assert (
        pages.browser(cast, "auditor")
        .post(url("propose_action", finding.pk), {"description": "x"})
        .status_code
        == 403
    )
    response = pages.browser(cast, "applicant").post(
        url("propose_action", finding.pk), {"description": "Avenants signés avec la clause."}
    )
    assert response.status_code == 302
    action = CorrectiveAction.objects.get()

    client = pages.browser(cast, "auditor")
    response = client.post(url("verify_action", action.pk), {"accepted": "no", "comment": ""})
    assert response.status_code == 200
    assert 'id="id_comment_error"' in response.content.decode()
    action.refresh_from_db()
    assert action.verdict == "pending"

    response = client.post(url("verify_action", action.pk), {"accepted": "yes", "comment": ""})
    assert response.status_code == 302
    finding.refresh_from_db()
    application.refresh_from_db()
    assert finding.status == "closed"
    assert application.status == "audited"
    assert (
        client.post(url("verify_action", action.pk), {"accepted": "yes", "comment": ""}).status_code
        == 409
    )


def test_it_refuses_an_action_while_the_audit_is_open(cast: Cast) -> None:
    """Corrective actions answer findings of a closed audit (409 before), nothing stored."""
    audit = pages.planned(cast)
    from rcf.certification.services.audit import finding_record

    finding = finding_record(
        actor=cast.auditor.user,
        audit=audit,
        requirement="RCF-A1",
        severity="major",
        description="Site omis.",
    )
    response = pages.browser(cast, "applicant").post(
        url("propose_action", finding.pk), {"description": "x"}
    )
    assert response.status_code == 409
    assert not CorrectiveAction.objects.exists()
