"""Audit steps: plan, adjust the sample, fill the checklist, record findings and evidence,
close, and the corrective-action loop. One function per step, one transaction each."""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.certification.choices import (
    ActionVerdict,
    ApplicationKind,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
    CertificateStatus,
    ChecklistResult,
    FindingSeverity,
    FindingStatus,
)
from rcf.certification.models import (
    Application,
    Audit,
    ChecklistItem,
    CorrectiveAction,
    EvidenceFile,
    Finding,
)
from rcf.certification.permissions import application_abilities, audit_abilities
from rcf.certification.sampling import SampleEntry, propose_sample
from rcf.core.dates import add_months
from rcf.core.errors import ActionForbidden, InputError, InvalidInput, TransitionNotAllowed
from rcf.journal.services import journal_record
from rcf.notifications.services import email_queue, organisation_addresses, role_addresses
from rcf.referentiel.scheme import load_scheme

S = ApplicationStatus
SEVERITY_OF_RESULT = {
    ChecklistResult.NC_MAJEURE: FindingSeverity.MAJOR,
    ChecklistResult.NC_MINEURE: FindingSeverity.MINOR,
    ChecklistResult.OBSERVATION: FindingSeverity.OBSERVATION,
}
EVIDENCE_TYPES = {
    b"%PDF-": ("application/pdf", ".pdf"),
    b"\x89PNG\r\n\x1a\n": ("image/png", ".png"),
    b"\xff\xd8\xff": ("image/jpeg", ".jpg"),
}


def checklist_ids() -> list[str]:
    return [item["id"] for item in load_scheme().section("audit_checklist")]


def _journal(
    actor: User | None,
    audit: Audit,
    action: str,
    before: str,
    after: str,
    data: dict[str, Any] | None = None,
) -> None:
    journal_record(
        actor=actor,
        action=f"rcf.audit.{action}",
        obj_type="audit",
        obj_id=str(audit.pk),
        before=before,
        after=after,
        data=data,
    )


def _lock(audit: Audit) -> Audit:
    return Audit.objects.select_for_update().select_related("application").get(pk=audit.pk)


def _require_fill(actor: User, audit: Audit) -> None:
    if not audit_abilities(actor, audit)["fill"]:
        raise ActionForbidden("Seul l'auditeur désigné pour cet audit peut le renseigner.")


def _require_planned(audit: Audit) -> None:
    if audit.status != AuditStatus.PLANNED:
        raise TransitionNotAllowed("L'audit est clôturé : il ne peut plus être modifié.")


def _establishments(application: Application) -> dict[str, Mapping[str, Any]]:
    return {s["id"]: s for s in application.declaration["sites"] if s["kind"] == "establishment"}


def previous_sites(application: Application) -> set[str] | None:
    """The sites of the declaration at the last closed audit of this certification line."""
    last = (
        Audit.objects.filter(
            application__organisation=application.organisation, status=AuditStatus.CLOSED
        )
        .select_related("application")
        .order_by("-closed_at")
        .first()
    )
    if last is None:
        return None
    return {s["id"] for s in last.application.declaration["sites"]}


def audit_sample_proposal(application: Application, kind: str) -> list[SampleEntry]:
    """The IAF MD 1 proposal for this kind of audit, with the reason for each site; the sites
    audited last time make « new since the last audit » a reason to visit."""
    return [
        s.as_dict()
        for s in propose_sample(
            application.declaration, kind, previous_site_ids=previous_sites(application)
        )
    ]


def _check_sample(
    application: Application, sites: Sequence[Mapping[str, Any]]
) -> list[SampleEntry]:
    known = _establishments(application)
    errors: list[InputError] = []
    sample: list[SampleEntry] = []
    seen: set[str] = set()
    for index, entry in enumerate(sites):
        site = str(entry.get("site", ""))
        if site not in known:
            errors.append(
                InputError(
                    f"/sampled_sites/{index}",
                    f"« {site} » n'est pas un établissement de la déclaration.",
                )
            )
        elif site in seen:
            errors.append(InputError(f"/sampled_sites/{index}", f"« {site} » est en double."))
        else:
            seen.add(site)
            reason = str(entry.get("reason") or "").strip() or "Ajouté par l'équipe d'audit."
            sample.append({"site": site, "reason": reason})
    if errors:
        raise InvalidInput(errors)
    return sample


@transaction.atomic
def audit_plan(
    *,
    actor: User,
    application: Application,
    auditor_username: str,
    planned_on: dt.date,
    kind: str,
    sampled_sites: Sequence[Mapping[str, Any]] | None = None,
) -> Audit:
    """Plan an audit and propose the sites to visit.

    Initial and renewal audits take an admissible application to ``audit_planned``; a
    surveillance audit is planned on a certified application, whose status does not change.
    """
    application = Application.objects.select_for_update().get(pk=application.pk)
    if not application_abilities(actor, application)["plan_audit"]:
        raise ActionForbidden("Seul un responsable de certification planifie les audits.")
    errors = []
    if kind not in AuditKind.values:
        errors.append(
            InputError(
                "/kind", f"Nature d'audit inconnue « {kind} » ({', '.join(AuditKind.values)})."
            )
        )
    auditor = User.objects.filter(username=auditor_username, is_active=True).first()
    if auditor is None or not auditor.has_role(Role.AUDITOR):
        errors.append(InputError("/auditor", f"« {auditor_username} » n'est pas un auditeur."))
    if errors:
        raise InvalidInput(errors)
    assert auditor is not None
    if kind == AuditKind.SURVEILLANCE:
        if (
            application.status != S.CERTIFIED
            or not application.certificates.filter(
                status__in=[CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED]
            ).exists()
        ):
            raise TransitionNotAllowed(
                "Un audit de surveillance porte sur un dossier certifié dont le certificat est "
                "valide ou suspendu"
            )
        if Audit.objects.filter(application=application, status=AuditStatus.PLANNED).exists():
            raise TransitionNotAllowed("Un audit est déjà planifié pour ce dossier")
    else:
        expected = ApplicationKind.RENEWAL if kind == AuditKind.RENEWAL else ApplicationKind.INITIAL
        if application.status != S.ADMISSIBLE:
            raise TransitionNotAllowed(
                f"Un audit se planifie sur un dossier recevable (le dossier est au statut "
                f"« {application.get_status_display()} »)."
            )
        if application.kind != expected:
            raise InvalidInput(
                [
                    InputError(
                        "/kind",
                        f"Ce dossier ({application.get_kind_display()}) appelle un audit "
                        f"« {AuditKind(expected.value).label} ».",
                    )
                ]
            )
    if sampled_sites is None:
        sample = audit_sample_proposal(application, kind)
    else:
        sample = _check_sample(application, sampled_sites)
    if not sample and _establishments(application):
        raise InvalidInput([InputError("/sampled_sites", "Au moins un site doit être visité.")])
    audit = Audit.objects.create(
        application=application,
        kind=kind,
        auditor=auditor,
        planned_on=planned_on,
        sample_size=len(sample),
        sampled_sites=sample,
        planned_by=actor,
    )
    ChecklistItem.objects.bulk_create(
        ChecklistItem(audit=audit, requirement=rid) for rid in checklist_ids()
    )
    before = application.status
    if kind != AuditKind.SURVEILLANCE:
        application.status = S.AUDIT_PLANNED
        application.save(update_fields=["status", "updated_at"])
    journal_record(
        actor=actor,
        action="rcf.application.audit_planned",
        obj_type="application",
        obj_id=str(application.pk),
        before=before,
        after=application.status,
        data={
            "audit": audit.pk,
            "kind": kind,
            "auditor": auditor.username,
            "planned_on": planned_on.isoformat(),
            "sampled_sites": [s["site"] for s in sample],
        },
    )
    email_queue(
        to=[auditor.email, *organisation_addresses(application.organisation_id)],
        subject=f"[Relation Client France] {AuditKind(kind).label} le {planned_on:%d/%m/%Y}",
        body=f"Un audit ({AuditKind(kind).label.lower()}) du dossier n° {application.pk} est "
        f"planifié le {planned_on:%d/%m/%Y} avec {auditor.get_full_name() or auditor.username}.",
    )
    return audit


@transaction.atomic
def audit_update_sample(*, actor: User, audit: Audit, sites: Sequence[Mapping[str, Any]]) -> Audit:
    """Replace the sites to visit while the audit is planned."""
    audit = _lock(audit)
    if not audit_abilities(actor, audit)["edit_sample"]:
        raise ActionForbidden(
            "Seuls le responsable de certification et l'auditeur désigné modifient l'échantillon."
        )
    _require_planned(audit)
    sample = _check_sample(audit.application, sites)
    if not sample:
        raise InvalidInput([InputError("/sampled_sites", "Au moins un site doit être visité.")])
    before = [s["site"] for s in audit.sampled_sites]
    audit.sampled_sites, audit.sample_size = sample, len(sample)
    audit.save(update_fields=["sampled_sites", "sample_size"])
    _journal(
        actor,
        audit,
        "sample_updated",
        audit.status,
        audit.status,
        {"before": before, "after": [s["site"] for s in sample]},
    )
    return audit


@transaction.atomic
def audit_checklist_update(
    *, actor: User, audit: Audit, items: Sequence[Mapping[str, Any]]
) -> Audit:
    """Set results and notes of checklist items (each item given is replaced)."""
    audit = _lock(audit)
    _require_fill(actor, audit)
    _require_planned(audit)
    rows = {item.requirement: item for item in audit.checklist.all()}
    errors, seen = [], set()
    for index, item in enumerate(items):
        requirement, result = item.get("requirement"), item.get("result") or ""
        if requirement not in rows:
            errors.append(
                InputError(
                    f"/items/{index}/requirement",
                    f"Exigence inconnue « {requirement} » ({', '.join(rows)}).",
                )
            )
        elif requirement in seen:
            errors.append(
                InputError(f"/items/{index}/requirement", f"{requirement} figure deux fois.")
            )
        seen.add(requirement)
        if result and result not in ChecklistResult.values:
            errors.append(
                InputError(
                    f"/items/{index}/result",
                    f"Résultat inconnu « {result} » ({', '.join(ChecklistResult.values)}).",
                )
            )
        notes = item.get("notes", "")
        if not isinstance(notes, str):
            errors.append(InputError(f"/items/{index}/notes", "Les notes sont du texte."))
    if errors:
        raise InvalidInput(errors)
    changed = []
    for item in items:
        row = rows[str(item["requirement"])]
        row.result = item.get("result") or ""
        row.notes = str(item.get("notes", row.notes))
        row.save(update_fields=["result", "notes", "updated_at"])
        changed.append({"requirement": row.requirement, "result": row.result})
    _journal(actor, audit, "checklist_updated", audit.status, audit.status, {"items": changed})
    return audit


@transaction.atomic
def finding_record(
    *, actor: User, audit: Audit, requirement: str, severity: str, description: str
) -> Finding:
    """Record a finding while the audit is open (several may concern one requirement)."""
    audit = _lock(audit)
    _require_fill(actor, audit)
    _require_planned(audit)
    errors = []
    if requirement not in checklist_ids():
        errors.append(InputError("/requirement", f"Exigence inconnue « {requirement} »."))
    if severity not in FindingSeverity.values:
        errors.append(InputError("/severity", f"Gravité inconnue « {severity} »."))
    if not description.strip():
        errors.append(InputError("/description", "Décrivez le constat."))
    if errors:
        raise InvalidInput(errors)
    finding = Finding.objects.create(
        audit=audit, requirement=requirement, severity=severity, description=description.strip()
    )
    _journal(
        actor,
        audit,
        "finding_recorded",
        audit.status,
        audit.status,
        {"finding": finding.pk, "severity": severity, "requirement": requirement},
    )
    return finding


@transaction.atomic
def evidence_add(
    *, actor: User, audit: Audit, requirement: str, name: str, handle: IO[bytes], size: int
) -> EvidenceFile:
    """Store an evidence file under a random name, after checking its size and its content.

    Accepted: PDF, PNG and JPEG, recognised by their first bytes (never by the name or the
    type the browser claims). A refused file leaves nothing behind.
    """
    audit = _lock(audit)
    _require_fill(actor, audit)
    _require_planned(audit)
    limit = settings.RCF_UPLOAD_MAX_BYTES
    if size > limit:
        raise InvalidInput(
            [InputError("/file", f"Fichier trop volumineux ({size} octets, {limit} au plus).")]
        )
    head = handle.read(16)
    kind = next((v for magic, v in EVIDENCE_TYPES.items() if head.startswith(magic)), None)
    if kind is None:
        raise InvalidInput(
            [
                InputError(
                    "/file",
                    "Seuls les fichiers PDF, PNG et JPEG sont "
                    "acceptés (type reconnu par le contenu).",
                )
            ]
        )
    if requirement and requirement not in checklist_ids():
        raise InvalidInput([InputError("/requirement", f"Exigence inconnue « {requirement} ».")])
    content_type, suffix = kind
    directory = Path(settings.RCF_UPLOAD_DIR)
    directory.mkdir(parents=True, exist_ok=True, mode=0o700)
    stored = secrets.token_hex(20) + suffix
    target = directory / stored
    digest, written = hashlib.sha256(), 0
    try:
        with open(target, "xb") as out:
            for chunk in itertools.chain([head], iter(lambda: handle.read(1 << 20), b"")):
                written += len(chunk)
                if written > limit:
                    raise InvalidInput([InputError("/file", "Fichier trop volumineux.")])
                digest.update(chunk)
                out.write(chunk)
        evidence = EvidenceFile.objects.create(
            audit=audit,
            requirement=requirement,
            stored_name=stored,
            original_name=Path(name).name[:255] or stored,
            content_type=content_type,
            size=written,
            sha256=digest.hexdigest(),
            uploaded_by=actor,
        )
        _journal(
            actor,
            audit,
            "evidence_added",
            audit.status,
            audit.status,
            {"evidence": evidence.pk, "sha256": evidence.sha256},
        )
    except BaseException:
        target.unlink(missing_ok=True)
        raise
    return evidence


def open_major_count(findings: Sequence[Finding]) -> int:
    """Open majors, counting every 5 open minors as one more major (référentiel §5)."""
    per_major = int(load_scheme().section("cycle")["minors_per_major"])
    open_ = [f for f in findings if f.status != FindingStatus.CLOSED]
    majors = sum(1 for f in open_ if f.severity == FindingSeverity.MAJOR)
    minors = sum(1 for f in open_ if f.severity == FindingSeverity.MINOR)
    return majors + minors // per_major


@transaction.atomic
def audit_close(*, actor: User, audit: Audit) -> Audit:
    """Close the audit: every checklist item needs a result; findings get their deadlines.

    A checklist item judged non-conforming (or with an observation) for which the auditor
    recorded no finding becomes one, from its notes. Initial and renewal audits move the
    application to ``audited``, or to ``corrective_actions`` while a major (or 5 minors) is
    open.
    """
    audit = _lock(audit)
    _require_fill(actor, audit)
    _require_planned(audit)
    items = list(audit.checklist.all())
    missing = [item.requirement for item in items if not item.result]
    if missing:
        raise TransitionNotAllowed(
            f"Le résultat manque pour {', '.join(missing)} : l'audit ne peut être clôturé."
        )
    cycle = load_scheme().section("cycle")
    now = timezone.now()
    today = timezone.localdate()
    with_finding = set(audit.findings.values_list("requirement", flat=True))
    for item in items:
        severity = SEVERITY_OF_RESULT.get(ChecklistResult(item.result))
        if severity and item.requirement not in with_finding:
            Finding.objects.create(
                audit=audit,
                requirement=item.requirement,
                severity=severity,
                description=item.notes.strip() or str(ChecklistResult(item.result).label),
            )
    findings = list(audit.findings.all())
    for finding in findings:
        if finding.severity == FindingSeverity.MAJOR:
            finding.due_on = add_months(today, int(cycle["major_nc_close_months"]))
        elif finding.severity == FindingSeverity.MINOR:
            finding.due_on = add_months(today, int(cycle["minor_nc_plan_months"]))
        else:
            finding.status, finding.closed_at = FindingStatus.CLOSED, now
        finding.save(update_fields=["due_on", "status", "closed_at"])
    audit.status, audit.closed_at, audit.performed_on = AuditStatus.CLOSED, now, today
    audit.save(update_fields=["status", "closed_at", "performed_on"])
    major = sum(1 for f in findings if f.severity == FindingSeverity.MAJOR)
    minor = sum(1 for f in findings if f.severity == FindingSeverity.MINOR)
    application = Application.objects.select_for_update().get(pk=audit.application_id)
    before = application.status
    if audit.kind != AuditKind.SURVEILLANCE:
        application.status = S.CORRECTIVE_ACTIONS if open_major_count(findings) else S.AUDITED
        application.save(update_fields=["status", "updated_at"])
    journal_record(
        actor=actor,
        action="rcf.application.audit_closed",
        obj_type="application",
        obj_id=str(application.pk),
        before=before,
        after=application.status,
        data={"audit": audit.pk, "major": major, "minor": minor},
    )
    email_queue(
        to=organisation_addresses(application.organisation_id) + role_addresses(Role.CERTIFIER),
        subject=f"[Relation Client France] Audit du dossier n° {application.pk} clôturé",
        body=f"L'audit n° {audit.pk} est clôturé : {major} non-conformité(s) majeure(s), "
        f"{minor} mineure(s). Les actions correctives se proposent sur la plateforme.",
    )
    return audit


@transaction.atomic
def corrective_action_propose(
    *, actor: User, finding: Finding, description: str
) -> CorrectiveAction:
    """The applicant proposes an action to lift an open finding of a closed audit."""
    finding = (
        Finding.objects.select_for_update().select_related("audit__application").get(pk=finding.pk)
    )
    if not audit_abilities(actor, finding.audit)["answer"]:
        raise ActionForbidden("Seule l'entreprise auditée propose des actions correctives.")
    if finding.audit.status != AuditStatus.CLOSED:
        raise TransitionNotAllowed("Les actions correctives se proposent après la clôture.")
    if finding.status != FindingStatus.OPEN:
        raise TransitionNotAllowed(
            f"Ce constat est « {finding.get_status_display()} » : pas de nouvelle action."
        )
    if not description.strip():
        raise InvalidInput([InputError("/description", "Décrivez l'action corrective.")])
    action = CorrectiveAction.objects.create(
        finding=finding, description=description.strip(), proposed_by=actor
    )
    finding.status = FindingStatus.ACTION_PROPOSED
    finding.save(update_fields=["status"])
    journal_record(
        actor=actor,
        action="rcf.finding.action_proposed",
        obj_type="finding",
        obj_id=str(finding.pk),
        before=FindingStatus.OPEN,
        after=finding.status,
        data={"action": action.pk},
    )
    email_queue(
        to=[finding.audit.auditor.email],
        subject=f"[Relation Client France] Action corrective à vérifier (audit n° "
        f"{finding.audit_id})",
        body=f"Une action corrective est proposée pour le constat n° {finding.pk} "
        f"({finding.requirement}).",
    )
    return action


@transaction.atomic
def corrective_action_verify(
    *, actor: User, action: CorrectiveAction, accepted: bool, comment: str
) -> CorrectiveAction:
    """The auditor accepts (the finding is lifted) or rejects (it opens again) an action.

    When no major (nor 5 minors) remains open, an application in ``corrective_actions`` goes
    back to ``audited``, ready for the decision.
    """
    action = (
        CorrectiveAction.objects.select_for_update()
        .select_related("finding__audit__application")
        .get(pk=action.pk)
    )
    finding = action.finding
    audit = finding.audit
    if not audit_abilities(actor, audit)["fill"]:
        raise ActionForbidden("Seul l'auditeur de cet audit vérifie les actions correctives.")
    if action.verdict != ActionVerdict.PENDING:
        raise TransitionNotAllowed("Cette action a déjà été vérifiée.")
    if not accepted and not comment.strip():
        raise InvalidInput([InputError("/comment", "Expliquez pourquoi l'action est refusée.")])
    now = timezone.now()
    action.verdict = ActionVerdict.ACCEPTED if accepted else ActionVerdict.REJECTED
    action.verified_by, action.verified_at, action.comment = actor, now, comment.strip()
    action.save(update_fields=["verdict", "verified_by", "verified_at", "comment"])
    before = finding.status
    finding.status = FindingStatus.CLOSED if accepted else FindingStatus.OPEN
    finding.closed_at = now if accepted else None
    finding.save(update_fields=["status", "closed_at"])
    application = Application.objects.select_for_update().get(pk=audit.application_id)
    app_before = application.status
    if application.status == S.CORRECTIVE_ACTIONS and not open_major_count(
        list(audit.findings.all())
    ):
        application.status = S.AUDITED
        application.save(update_fields=["status", "updated_at"])
    journal_record(
        actor=actor,
        action="rcf.finding.action_verified",
        obj_type="finding",
        obj_id=str(finding.pk),
        before=before,
        after=finding.status,
        data={
            "action": action.pk,
            "accepted": accepted,
            "application": [app_before, application.status],
        },
    )
    email_queue(
        to=organisation_addresses(application.organisation_id),
        subject=f"[Relation Client France] Action corrective "
        f"{'acceptée' if accepted else 'refusée'}",
        body=f"L'action proposée pour le constat n° {finding.pk} est "
        f"{'acceptée : le constat est levé' if accepted else 'refusée'}."
        + (f"\nCommentaire : {action.comment}" if action.comment else ""),
    )
    return action
