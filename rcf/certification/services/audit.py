"""Audit steps: plan, adjust the sample, fill the checklist, record findings and evidence,
close, and the corrective-action loop. One function per step, one transaction each, each
change made through the workflow table (:mod:`rcf.certification.workflow`)."""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO, Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.certification import workflow
from rcf.certification.choices import (
    ActionVerdict,
    ApplicationKind,
    ApplicationStatus,
    AuditKind,
    AuditStatus,
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
from rcf.certification.sampling import SampleEntry, propose_sample
from rcf.certification.services.mail import day, email_in_languages
from rcf.core.dates import add_months
from rcf.core.errors import InputError, InvalidInput, TransitionNotAllowed
from rcf.notifications.services import organisation_addresses, role_addresses
from rcf.referentiel.versions import load_scheme

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


def checklist_ids(scheme_version: str) -> list[str]:
    """The audit checklist of the version of the référentiel the dossier is judged under."""
    return [item["id"] for item in load_scheme(scheme_version).section("audit_checklist")]


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
            application.declaration,
            kind,
            scheme=load_scheme(application.scheme_version),
            previous_site_ids=previous_sites(application),
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
    surveillance = kind == AuditKind.SURVEILLANCE
    transition = (
        workflow.APPLICATION_PLAN_SURVEILLANCE if surveillance else workflow.APPLICATION_PLAN_AUDIT
    )
    step = workflow.begin(transition, application, actor=actor)
    application = step.obj
    errors = []
    if kind not in AuditKind.values:
        errors.append(
            InputError(
                "/kind",
                _("Nature d'audit inconnue « %(kind)s » (%(known)s).")
                % {"kind": kind, "known": ", ".join(AuditKind.values)},
            )
        )
    auditor = User.objects.filter(username=auditor_username, is_active=True).first()
    if auditor is None or not auditor.has_role(Role.AUDITOR):
        errors.append(
            InputError(
                "/auditor", _("« %(name)s » n'est pas un auditeur.") % {"name": auditor_username}
            )
        )
    if errors:
        raise InvalidInput(errors)
    assert auditor is not None
    if surveillance:
        if not application.certificates.live().exists():
            raise TransitionNotAllowed(
                _(
                    "Un audit de surveillance porte sur un dossier certifié dont le certificat "
                    "est valide ou suspendu."
                )
            )
        if Audit.objects.filter(application=application, status=AuditStatus.PLANNED).exists():
            raise TransitionNotAllowed(_("Un audit est déjà planifié pour ce dossier."))
    else:
        expected = ApplicationKind.RENEWAL if kind == AuditKind.RENEWAL else ApplicationKind.INITIAL
        if application.kind != expected:
            raise InvalidInput(
                [
                    InputError(
                        "/kind",
                        _("Ce dossier (%(kind)s) appelle un audit « %(expected)s ».")
                        % {
                            "kind": application.get_kind_display(),
                            "expected": AuditKind(expected.value).label,
                        },
                    )
                ]
            )
    if sampled_sites is None:
        sample = audit_sample_proposal(application, kind)
    else:
        sample = _check_sample(application, sampled_sites)
    if not sample and _establishments(application):
        raise InvalidInput([InputError("/sampled_sites", _("Au moins un site doit être visité."))])
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
        ChecklistItem(audit=audit, requirement=rid)
        for rid in checklist_ids(application.scheme_version)
    )
    step.finish(
        data={
            "audit": audit.pk,
            "kind": kind,
            "auditor": auditor.username,
            "planned_on": planned_on.isoformat(),
            "sampled_sites": [s["site"] for s in sample],
        }
    )
    email_in_languages(
        to=[auditor.email, *organisation_addresses(application.organisation_id)],
        subject=lambda: (
            _("%(kind)s le %(day)s") % {"kind": AuditKind(kind).label, "day": day(planned_on)}
        ),
        body=lambda: (
            _("Un audit (%(kind)s) du dossier n° %(id)s est planifié le %(day)s avec %(auditor)s.")
            % {
                "kind": str(AuditKind(kind).label).lower(),
                "id": application.pk,
                "day": day(planned_on),
                "auditor": auditor.get_full_name() or auditor.username,
            }
        ),
    )
    return audit


@transaction.atomic
def audit_update_sample(*, actor: User, audit: Audit, sites: Sequence[Mapping[str, Any]]) -> Audit:
    """Replace the sites to visit while the audit is planned."""
    step = workflow.begin(workflow.AUDIT_SAMPLE, audit, actor=actor)
    audit = step.obj
    sample = _check_sample(audit.application, sites)
    if not sample:
        raise InvalidInput([InputError("/sampled_sites", _("Au moins un site doit être visité."))])
    before = [s["site"] for s in audit.sampled_sites]
    audit.sampled_sites, audit.sample_size = sample, len(sample)
    return step.finish(
        data={"before": before, "after": [s["site"] for s in sample]},
        fields=("sampled_sites", "sample_size"),
    )


@transaction.atomic
def audit_checklist_update(
    *, actor: User, audit: Audit, items: Sequence[Mapping[str, Any]]
) -> Audit:
    """Set results and notes of checklist items (each item given is replaced)."""
    step = workflow.begin(workflow.AUDIT_CHECKLIST, audit, actor=actor)
    audit = step.obj
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
    return step.finish(data={"items": changed})


@transaction.atomic
def finding_record(
    *, actor: User, audit: Audit, requirement: str, severity: str, description: str
) -> Finding:
    """Record a finding while the audit is open (several may concern one requirement)."""
    step = workflow.begin(workflow.AUDIT_FINDING, audit, actor=actor)
    audit = step.obj
    errors = []
    if requirement not in checklist_ids(audit.application.scheme_version):
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
    step.finish(data={"finding": finding.pk, "severity": severity, "requirement": requirement})
    return finding


@transaction.atomic
def evidence_add(
    *, actor: User, audit: Audit, requirement: str, name: str, handle: IO[bytes], size: int
) -> EvidenceFile:
    """Store an evidence file under a random name, after checking its size and its content.

    Accepted: PDF, PNG and JPEG, recognised by their first bytes (never by the name or the
    type the browser claims). A refused file leaves nothing behind.
    """
    step = workflow.begin(workflow.AUDIT_EVIDENCE, audit, actor=actor)
    audit = step.obj
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
    if requirement and requirement not in checklist_ids(audit.application.scheme_version):
        raise InvalidInput([InputError("/requirement", f"Exigence inconnue « {requirement} ».")])
    from rcf.core.storage import DigestingReader, TooLarge, evidence_storage

    content_type, suffix = kind
    # Through STORAGES["evidence"]: a directory here, possibly an object store shared by
    # several instances (rcf/core/storage.py).
    storage = evidence_storage()
    reader = DigestingReader(handle, head=head, limit=limit)
    # 160 random bits: the name never clashes, so it is also the name of a partial file.
    stored = secrets.token_hex(20) + suffix
    try:
        try:
            stored = storage.save(stored, reader.as_file())
        except TooLarge:
            raise InvalidInput([InputError("/file", "Fichier trop volumineux.")]) from None
        evidence = EvidenceFile.objects.create(
            audit=audit,
            requirement=requirement,
            stored_name=stored,
            original_name=Path(name).name[:255] or stored,
            content_type=content_type,
            size=reader.size,
            sha256=reader.digest.hexdigest(),
            uploaded_by=actor,
        )
        step.finish(data={"evidence": evidence.pk, "sha256": evidence.sha256})
    except BaseException:
        storage.delete(stored)
        raise
    return evidence


def open_major_count(findings: Sequence[Finding], scheme_version: str) -> int:
    """Open majors, counting every 5 open minors as one more major (référentiel §5)."""
    per_major = int(load_scheme(scheme_version).section("cycle")["minors_per_major"])
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
    step = workflow.begin(workflow.AUDIT_CLOSE, audit, actor=actor)
    audit = step.obj
    items = list(audit.checklist.all())
    missing = [item.requirement for item in items if not item.result]
    if missing:
        raise TransitionNotAllowed(
            _("Le résultat manque pour %(items)s : l'audit ne peut être clôturé.")
            % {"items": ", ".join(missing)}
        )
    cycle = load_scheme(audit.application.scheme_version).section("cycle")
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
    audit.closed_at, audit.performed_on = now, today
    step.finish(fields=("closed_at", "performed_on"))
    major = sum(1 for f in findings if f.severity == FindingSeverity.MAJOR)
    minor = sum(1 for f in findings if f.severity == FindingSeverity.MINOR)
    closing = workflow.begin(workflow.APPLICATION_AUDIT_CLOSED, audit.application, actor=actor)
    application = closing.obj
    if audit.kind == AuditKind.SURVEILLANCE:
        after = application.status
    elif open_major_count(findings, application.scheme_version):
        after = S.CORRECTIVE_ACTIONS
    else:
        after = S.AUDITED
    closing.finish(after, data={"audit": audit.pk, "major": major, "minor": minor})
    email_in_languages(
        to=organisation_addresses(application.organisation_id) + role_addresses(Role.CERTIFIER),
        subject=lambda: _("Audit du dossier n° %(id)s clôturé") % {"id": application.pk},
        body=lambda: (
            _(
                "L'audit n° %(audit)s est clôturé : %(major)s non-conformité(s) majeure(s), "
                "%(minor)s mineure(s). Les actions correctives se proposent sur la plateforme."
            )
            % {"audit": audit.pk, "major": major, "minor": minor}
        ),
    )
    return audit


@transaction.atomic
def corrective_action_propose(
    *, actor: User, finding: Finding, description: str
) -> CorrectiveAction:
    """The applicant proposes an action to lift an open finding of a closed audit."""
    step = workflow.begin(workflow.FINDING_PROPOSE_ACTION, finding, actor=actor)
    finding = step.obj
    if finding.audit.status != AuditStatus.CLOSED:
        raise TransitionNotAllowed(_("Les actions correctives se proposent après la clôture."))
    if not description.strip():
        raise InvalidInput([InputError("/description", _("Décrivez l'action corrective."))])
    action = CorrectiveAction.objects.create(
        finding=finding, description=description.strip(), proposed_by=actor
    )
    step.finish(data={"action": action.pk})
    email_in_languages(
        to=[finding.audit.auditor.email],
        subject=lambda: (
            _("Action corrective à vérifier (audit n° %(audit)s)") % {"audit": finding.audit_id}
        ),
        body=lambda: (
            _(
                "Une action corrective est proposée pour le constat n° %(finding)s "
                "(%(requirement)s)."
            )
            % {"finding": finding.pk, "requirement": finding.requirement}
        ),
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
    action = CorrectiveAction.objects.select_for_update().get(pk=action.pk)
    step = workflow.begin(workflow.FINDING_VERIFY_ACTION, action.finding, actor=actor)
    finding = step.obj
    audit = finding.audit
    if action.verdict != ActionVerdict.PENDING:
        raise TransitionNotAllowed(_("Cette action a déjà été vérifiée."))
    if not accepted and not comment.strip():
        raise InvalidInput([InputError("/comment", _("Expliquez pourquoi l'action est refusée."))])
    now = timezone.now()
    action.verdict = ActionVerdict.ACCEPTED if accepted else ActionVerdict.REJECTED
    action.verified_by, action.verified_at, action.comment = actor, now, comment.strip()
    action.save(update_fields=["verdict", "verified_by", "verified_at", "comment"])
    finding.closed_at = now if accepted else None
    application = audit.application
    app_before = application.status
    if application.status == S.CORRECTIVE_ACTIONS and not open_major_count(
        [f for f in audit.findings.all() if f.pk != finding.pk] + ([] if accepted else [finding]),
        application.scheme_version,
    ):
        application = workflow.begin(
            workflow.APPLICATION_ACTIONS_DONE, application, actor=actor
        ).finish()
    step.finish(
        FindingStatus.CLOSED if accepted else FindingStatus.OPEN,
        data={
            "action": action.pk,
            "accepted": accepted,
            "application": [app_before, application.status],
        },
        fields=("closed_at",),
    )

    def body() -> str:
        text = (
            _(
                "L'action proposée pour le constat n° %(finding)s est acceptée : "
                "le constat est levé."
            )
            if accepted
            else _("L'action proposée pour le constat n° %(finding)s est refusée.")
        ) % {"finding": finding.pk}
        if action.comment:
            text += "\n" + _("Commentaire : %(comment)s") % {"comment": action.comment}
        return text

    email_in_languages(
        to=organisation_addresses(application.organisation_id),
        subject=lambda: (
            _("Action corrective acceptée") if accepted else _("Action corrective refusée")
        ),
        body=body,
    )
    return action
