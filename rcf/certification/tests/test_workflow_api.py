"""An application carried from the first declaration to a certificate through the API,
and the certificate through suspension, reinstatement and withdrawal (platform-v1.md §2–3)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from rcf.certification.models import Application, Certificate
from rcf.journal.models import JournalEntry
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

CHECKLIST_OK = [
    {"requirement": f"RCF-A{i}", "result": "conforme", "notes": ""} for i in range(1, 6)
]


def to_audited(cast: Cast, *, auditor: str = "alice") -> int:
    """Create, submit, admit, plan and close a clean audit; returns the application id."""
    created = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    assert created.status_code == 201, created.content
    app_id = created.json()["id"]
    assert cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit").status_code == 200
    admitted = cast.afrc.call(
        "post", f"/api/v1/applications/{app_id}/admissibility", {"admissible": True, "comment": ""}
    )
    assert admitted.json()["status"] == "admissible"
    planned = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/audits",
        {"auditor": auditor, "planned_on": "2026-12-10", "kind": "initial"},
    )
    assert planned.status_code == 201, planned.content
    actor = cast.auditor if auditor == "alice" else cast.certifier_auditor
    audit_id = planned.json()["id"]
    assert (
        actor.call(
            "put", f"/api/v1/audits/{audit_id}/checklist", {"items": CHECKLIST_OK}
        ).status_code
        == 200
    )
    closed = actor.call("post", f"/api/v1/audits/{audit_id}/close")
    assert closed.json()["status"] == "closed"
    return app_id


def test_it_carries_an_application_to_a_certificate(cast: Cast) -> None:
    """Every step of the workflow through the API, each one journaled."""
    created = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    assert created.status_code == 201
    body = created.json()
    assert body["status"] == "draft"
    assert body["evaluation"]["format"] == "rcf-evaluation/1"
    assert body["evaluation"]["verdict"] == "to_verify"
    app_id = body["id"]

    submitted = cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit")
    assert submitted.json() == {"id": app_id, "status": "submitted"}
    admitted = cast.afrc.call(
        "post",
        f"/api/v1/applications/{app_id}/admissibility",
        {"admissible": True, "comment": "Dossier complet."},
    )
    assert admitted.json()["status"] == "admissible"

    planned = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/audits",
        {"auditor": "alice", "planned_on": "2026-12-10", "kind": "initial"},
    )
    assert planned.status_code == 201
    audit = planned.json()
    assert audit["status"] == "planned"
    # Two establishments (niort in-house, brest subcontracted): ⌈√2⌉ = 2, largest first.
    assert audit["sampled_sites"] == ["niort", "brest"]
    assert Application.objects.get(pk=app_id).status == "audit_planned"

    items = [dict(item) for item in CHECKLIST_OK]
    items[2] = {
        "requirement": "RCF-A3",
        "result": "nc_majeure",
        "notes": "Clause France absente du contrat Brest Contact.",
    }
    items[4] = {"requirement": "RCF-A5", "result": "nc_mineure", "notes": "Processus oral."}
    assert (
        cast.auditor.call(
            "put", f"/api/v1/audits/{audit['id']}/checklist", {"items": items}
        ).status_code
        == 200
    )
    closed = cast.auditor.call("post", f"/api/v1/audits/{audit['id']}/close")
    assert closed.status_code == 200
    assert (closed.json()["status"], closed.json()["major"], closed.json()["minor"]) == (
        "closed",
        1,
        1,
    )
    assert closed.json()["application_status"] == "corrective_actions"
    assert Application.objects.get(pk=app_id).status == "corrective_actions"

    refused = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/decision",
        {"decision": "certify", "motivation": "Audit conforme."},
    )
    assert refused.status_code == 409

    audit_body = cast.auditor.call("get", f"/api/v1/audits/{audit['id']}").json()
    major = next(f for f in audit_body["findings"] if f["severity"] == "major")
    assert major["due_on"] is not None
    proposed = cast.applicant.call(
        "post",
        f"/api/v1/findings/{major['id']}/actions",
        {"description": "Avenant signé le 2026-12-20."},
    )
    assert proposed.status_code == 201
    action_id = proposed.json()["actions"][0]["id"]
    verified = cast.auditor.call(
        "post",
        f"/api/v1/actions/{action_id}/verification",
        {"accepted": True, "comment": "Avenant vu."},
    )
    assert verified.json()["status"] == "closed"
    assert verified.json()["application_status"] == "audited"

    decided = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/decision",
        {"decision": "certify", "motivation": "Audit conforme."},
    )
    assert decided.status_code == 200, decided.content
    certificate = decided.json()["certificate"]
    year = timezone.localdate().year
    assert decided.json()["status"] == "certified"
    assert certificate["number"] == f"RCF-{year}-0001"
    assert certificate["valid_from"] == timezone.localdate().isoformat()

    public = cast.applicant.client.get(f"/api/v1/certificates/{certificate['number']}")
    assert public.status_code == 200
    assert public.json()["status"] == "active"
    assert public.json()["organisation"]["siren"] == "845333145"

    got = cast.applicant.call("get", f"/api/v1/applications/{app_id}").json()
    assert got["certificate"] == {"number": certificate["number"]}
    assert [a["status"] for a in got["audits"]] == ["closed"]

    actions = list(
        JournalEntry.objects.filter(obj_type="application", obj_id=str(app_id)).values_list(
            "action", flat=True
        )
    )
    assert actions == [
        "rcf.application.created",
        "rcf.application.submitted",
        "rcf.application.admissible",
        "rcf.application.audit_planned",
        "rcf.application.audit_closed",
        "rcf.application.decided",
    ]


def test_it_gives_the_certificate_its_validity_of_three_years(cast: Cast) -> None:
    """Validity 3 years (référentiel §5): the last valid day is the eve of the anniversary."""
    app_id = to_audited(cast)
    decided = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/decision",
        {"decision": "certify", "motivation": "OK"},
    ).json()
    valid_from = dt.date.fromisoformat(decided["certificate"]["valid_from"])
    valid_until = dt.date.fromisoformat(decided["certificate"]["valid_until"])
    assert valid_until == valid_from.replace(year=valid_from.year + 3) - dt.timedelta(days=1)


def test_it_refuses_a_decision_by_who_audited(cast: Cast) -> None:
    """Impartiality (ISO/IEC 17065 §7.6): 403 for a certifier who audited the application."""
    app_id = to_audited(cast, auditor="bruno")
    response = cast.certifier_auditor.call(
        "post",
        f"/api/v1/applications/{app_id}/decision",
        {"decision": "certify", "motivation": "OK"},
    )
    assert response.status_code == 403
    assert Application.objects.get(pk=app_id).status == "audited"
    assert not Certificate.objects.exists()


def test_it_suspends_reinstates_and_withdraws(cast: Cast) -> None:
    """The certificate's life through the API, with the public status following each step."""
    app_id = to_audited(cast)
    number = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/decision",
        {"decision": "certify", "motivation": "OK"},
    ).json()["certificate"]["number"]

    def public_status() -> str:
        return str(cast.applicant.client.get(f"/api/v1/certificates/{number}").json()["status"])

    path = f"/api/v1/certificates/{number}"
    assert cast.certifier.call("post", f"{path}/reinstate", {"reason": "x"}).status_code == 409
    suspended = cast.certifier.call("post", f"{path}/suspend", {"reason": "Audit manqué"})
    assert suspended.json() == {"number": number, "status": "suspended"}
    assert public_status() == "suspended"
    assert cast.certifier.call("post", f"{path}/suspend", {"reason": "x"}).status_code == 409
    assert (
        cast.certifier.call("post", f"{path}/reinstate", {"reason": "Audit réalisé"}).json()[
            "status"
        ]
        == "active"
    )
    assert public_status() == "active"
    assert (
        cast.certifier.call("post", f"{path}/withdraw", {"reason": "Délocalisation"}).json()[
            "status"
        ]
        == "withdrawn"
    )
    assert public_status() == "withdrawn"
    assert cast.certifier.call("post", f"{path}/reinstate", {"reason": "x"}).status_code == 409
    history = cast.applicant.client.get(path).json()["history"]
    assert [h["status"] for h in history] == ["active", "suspended", "active", "withdrawn"]


def test_it_refuses_submission_when_not_eligible(cast: Cast) -> None:
    """409 on submit while the pre-check says not_eligible; the draft stays a draft."""
    declaration = example_declaration()
    declaration["commitments"]["accept_audits"] = False
    created = cast.applicant.call("post", "/api/v1/applications", declaration)
    assert created.json()["evaluation"]["verdict"] == "not_eligible"
    app_id = created.json()["id"]
    response = cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit")
    assert response.status_code == 409
    assert Application.objects.get(pk=app_id).status == "draft"


def test_it_reports_every_input_error_with_its_pointer(cast: Cast) -> None:
    """422 lists every error of the declaration with its JSON Pointer; nothing is created."""
    response = cast.applicant.call(
        "post", "/api/v1/applications", example_declaration("erreurs-de-saisie.json")
    )
    assert response.status_code == 422
    pointers = [e["pointer"] for e in response.json()["errors"]]
    assert pointers == [
        "/operators/0",
        "/sites/0/location",
        "/workforce/1/headcount",
        "/workforce/2/site",
    ]
    assert not Application.objects.exists()


def test_it_refuses_a_declaration_for_another_company(cast: Cast) -> None:
    """An applicant declares for its own organisation only."""
    response = cast.applicant.call(
        "post", "/api/v1/applications", example_declaration("telecom-offshore.json")
    )
    assert response.status_code == 422
    assert response.json()["errors"][0]["pointer"] == "/applicant/siren"


def test_five_minor_nonconformities_count_as_one_major(cast: Cast) -> None:
    """Référentiel §5: 5 open minors hold the application in corrective actions like a major;
    lifting one of them (4 left open) lets the decision go ahead."""
    created = cast.applicant.call("post", "/api/v1/applications", example_declaration())
    app_id = created.json()["id"]
    cast.applicant.call("post", f"/api/v1/applications/{app_id}/submit")
    cast.afrc.call(
        "post", f"/api/v1/applications/{app_id}/admissibility", {"admissible": True, "comment": ""}
    )
    audit_id = cast.certifier.call(
        "post",
        f"/api/v1/applications/{app_id}/audits",
        {"auditor": "alice", "planned_on": "2026-12-10", "kind": "initial"},
    ).json()["id"]
    minors = [
        {"requirement": f"RCF-A{i}", "result": "nc_mineure", "notes": f"Écart {i}"}
        for i in range(1, 6)
    ]
    cast.auditor.call("put", f"/api/v1/audits/{audit_id}/checklist", {"items": minors})
    closed = cast.auditor.call("post", f"/api/v1/audits/{audit_id}/close").json()
    assert (closed["major"], closed["minor"]) == (0, 5)
    assert Application.objects.get(pk=app_id).status == "corrective_actions"
    finding = cast.auditor.call("get", f"/api/v1/audits/{audit_id}").json()["findings"][0]
    proposed = cast.applicant.call(
        "post", f"/api/v1/findings/{finding['id']}/actions", {"description": "Procédure écrite."}
    ).json()
    verified = cast.auditor.call(
        "post",
        f"/api/v1/actions/{proposed['actions'][0]['id']}/verification",
        {"accepted": True, "comment": ""},
    ).json()
    assert verified["application_status"] == "audited"


def _niort_dsn(people: int) -> bytes:
    import io

    from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, fake_nir, generate_dsn

    employees = [
        Employee(fake_nir(n), contracts=(Contract(start=dt.date(2020, 1, 1)),))
        for n in range(1, people + 1)
    ]
    out = io.BytesIO()
    generate_dsn(
        DsnSpec((Declaration("845333145", "00017", "2026-06", employees, pay_lines=3),)), out
    )
    return out.getvalue()


def test_it_takes_dsn_files_as_evidence_and_keeps_only_counts(cast: Cast) -> None:
    """POST …/dsn with `file` parts: RCF-07 re-evaluated; the summary is kept, not the file."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rcf.certification.models import PayrollEvidence

    app_id = cast.applicant.call("post", "/api/v1/applications", example_declaration()).json()["id"]
    response = cast.applicant.client.post(
        f"/api/v1/applications/{app_id}/dsn",
        {"file": [SimpleUploadedFile("niort-2026-06.dsn", _niort_dsn(65))]},
        HTTP_AUTHORIZATION=f"Bearer {cast.applicant.token}",
    )
    assert response.status_code == 200, response.content
    assert response.json()["evaluation"]["verdict"] == "eligible"
    evidence = PayrollEvidence.objects.get(application_id=app_id)
    assert (evidence.file_name, evidence.siret, evidence.month) == (
        "niort-2026-06.dsn",
        "84533314500017",
        "2026-06",
    )
    assert evidence.summary["workplaces"] == [
        {"workplace": "84533314500017", "headcount": 65, "working_abroad": 0}
    ]


def test_a_malformed_dsn_is_refused_with_file_and_line(cast: Cast) -> None:
    """422 with `FILE:LINE: message` errors; the evaluation and the evidence do not change."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from rcf.certification.models import PayrollEvidence

    app_id = cast.applicant.call("post", "/api/v1/applications", example_declaration()).json()["id"]
    broken = _niort_dsn(2).replace(b"S21.G00.06.001,'845333145'", b"S21.G00.06.001,''")
    response = cast.applicant.client.post(
        f"/api/v1/applications/{app_id}/dsn",
        {"file": [SimpleUploadedFile("cassee.dsn", broken)]},
        HTTP_AUTHORIZATION=f"Bearer {cast.applicant.token}",
    )
    assert response.status_code == 422
    messages = [error["message"] for error in response.json()["errors"]]
    assert messages and all(m.startswith("cassee.dsn:") for m in messages)
    assert not PayrollEvidence.objects.exists()
    assert Application.objects.get(pk=app_id).verdict == "to_verify"
