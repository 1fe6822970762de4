"""``/api/v1/…audits…``: planning, checklist, findings, closing, corrective actions."""

from __future__ import annotations

import datetime as dt
from typing import Any

from ninja import Router, Schema, Status

from rcf.accounts.api_auth import AuthedRequest, api_auth
from rcf.certification.api.body import Text
from rcf.certification.api.schemas import (
    AuditClosed,
    AuditOut,
    FindingOut,
    FindingVerified,
    responses,
)
from rcf.certification.models import Application, Audit, Finding
from rcf.certification.selectors.audit import action_for, audit_for, finding_for
from rcf.certification.selectors.dossier import application_for
from rcf.certification.services import audit as services

router = Router(auth=api_auth, tags=["audits"])


class SampledSiteIn(Schema):
    site: Text
    reason: Text = ""


class AuditIn(Schema):
    auditor: Text
    planned_on: dt.date
    kind: Text = "initial"
    sampled_sites: list[SampledSiteIn] | None = None


class ChecklistItemIn(Schema):
    requirement: Text
    result: Text | None = None
    notes: Text = ""


class ChecklistIn(Schema):
    items: list[ChecklistItemIn]


class SampleIn(Schema):
    sampled_sites: list[SampledSiteIn]


class FindingIn(Schema):
    requirement: Text
    severity: Text
    description: Text


class ActionIn(Schema):
    description: Text


class VerificationIn(Schema):
    accepted: bool
    comment: Text = ""


def audit_out(audit: Audit) -> dict[str, Any]:
    return {
        "id": audit.pk,
        "application": audit.application_id,
        "kind": audit.kind,
        "status": audit.status,
        "auditor": audit.auditor.username,
        "planned_on": audit.planned_on.isoformat(),
        "sampled_sites": [s["site"] for s in audit.sampled_sites],
        "sample": audit.sampled_sites,
        "checklist": [
            {"requirement": i.requirement, "result": i.result or None, "notes": i.notes}
            for i in audit.checklist.all()
        ],
        "findings": [finding_out(f) for f in audit.findings.all()],
    }


def finding_out(finding: Finding) -> dict[str, Any]:
    return {
        "id": finding.pk,
        "requirement": finding.requirement,
        "severity": finding.severity,
        "status": finding.status,
        "description": finding.description,
        "due_on": finding.due_on.isoformat() if finding.due_on else None,
        "actions": [
            {"id": a.pk, "description": a.description, "verdict": a.verdict, "comment": a.comment}
            for a in finding.actions.all()
        ],
    }


@router.post(
    "/applications/{id}/audits",
    response=responses({201: AuditOut}, 401, 403, 404, 409, 413, 422),
    summary="Planifier un audit (responsable de certification)",
)
def plan_audit(request: AuthedRequest, id: int, body: AuditIn) -> Status[dict[str, Any]]:
    application = application_for(request.auth, id)
    audit = services.audit_plan(
        actor=request.auth,
        application=application,
        auditor_username=body.auditor,
        planned_on=body.planned_on,
        kind=body.kind,
        sampled_sites=[s.dict() for s in body.sampled_sites] if body.sampled_sites else None,
    )
    return Status(201, audit_out(audit))


@router.get(
    "/audits/{id}", response=responses({200: AuditOut}, 401, 404, 422), summary="Lire un audit"
)
def get_audit(request: AuthedRequest, id: int) -> dict[str, Any]:
    return audit_out(audit_for(request.auth, id))


@router.put(
    "/audits/{id}/sample",
    response=responses({200: AuditOut}, 401, 403, 404, 409, 413, 422),
    summary="Modifier les sites à visiter",
)
def put_sample(request: AuthedRequest, id: int, body: SampleIn) -> dict[str, Any]:
    audit = services.audit_update_sample(
        actor=request.auth,
        audit=audit_for(request.auth, id),
        sites=[s.dict() for s in body.sampled_sites],
    )
    return audit_out(audit)


@router.put(
    "/audits/{id}/checklist",
    response=responses({200: AuditOut}, 401, 403, 404, 409, 413, 422),
    summary="Renseigner la grille d'audit (auditeur désigné)",
)
def put_checklist(request: AuthedRequest, id: int, body: ChecklistIn) -> dict[str, Any]:
    audit = services.audit_checklist_update(
        actor=request.auth,
        audit=audit_for(request.auth, id),
        items=[item.dict() for item in body.items],
    )
    return audit_out(audit)


@router.post(
    "/audits/{id}/findings",
    response=responses({201: FindingOut}, 401, 403, 404, 409, 413, 422),
    summary="Consigner un constat (auditeur désigné)",
)
def post_finding(request: AuthedRequest, id: int, body: FindingIn) -> Status[dict[str, Any]]:
    finding = services.finding_record(
        actor=request.auth,
        audit=audit_for(request.auth, id),
        requirement=body.requirement,
        severity=body.severity,
        description=body.description,
    )
    return Status(201, finding_out(finding))


@router.post(
    "/audits/{id}/close",
    response=responses({200: AuditClosed}, 401, 403, 404, 409, 413, 422),
    summary="Clôturer l'audit (auditeur désigné)",
)
def close_audit(request: AuthedRequest, id: int) -> dict[str, Any]:
    audit = services.audit_close(actor=request.auth, audit=audit_for(request.auth, id))
    findings = list(audit.findings.all())
    return {
        "id": audit.pk,
        "status": audit.status,
        "major": sum(1 for f in findings if f.severity == "major"),
        "minor": sum(1 for f in findings if f.severity == "minor"),
        "application_status": Application.objects.values_list("status", flat=True).get(
            pk=audit.application_id
        ),
    }


@router.post(
    "/findings/{id}/actions",
    response=responses({201: FindingOut}, 401, 403, 404, 409, 413, 422),
    summary="Proposer une action corrective (demandeur)",
)
def propose_action(request: AuthedRequest, id: int, body: ActionIn) -> Status[dict[str, Any]]:
    action = services.corrective_action_propose(
        actor=request.auth,
        finding=finding_for(request.auth, id),
        description=body.description,
    )
    return Status(201, finding_out(action.finding))


@router.post(
    "/actions/{id}/verification",
    response=responses({200: FindingVerified}, 401, 403, 404, 409, 413, 422),
    summary="Vérifier une action corrective (auditeur)",
)
def verify_action(request: AuthedRequest, id: int, body: VerificationIn) -> dict[str, Any]:
    action = services.corrective_action_verify(
        actor=request.auth,
        action=action_for(request.auth, id),
        accepted=body.accepted,
        comment=body.comment,
    )
    finding = Finding.objects.get(pk=action.finding_id)
    return {**finding_out(finding), "application_status": finding.audit.application.status}
