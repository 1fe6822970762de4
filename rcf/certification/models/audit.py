"""AFNOR audits of an application: sample, checklist, findings, corrective actions."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rcf.certification.choices import (
    ActionVerdict,
    AuditKind,
    AuditStatus,
    ChecklistResult,
    FindingSeverity,
    FindingStatus,
)


class Audit(models.Model):
    """An audit planned by a certifier and performed by one auditor.

    ``sampled_sites`` is the list of establishment sites to visit, each with the reason it was
    chosen (``[{"site": "lille", "reason": "…"}]``): proposed by the IAF MD 1 rule at planning,
    editable by the certifier and the auditor while the audit is planned.
    """

    application = models.ForeignKey(
        "certification.Application", on_delete=models.PROTECT, related_name="audits"
    )
    kind = models.CharField(_("nature"), max_length=16, choices=AuditKind.choices)
    status = models.CharField(
        _("statut"), max_length=16, choices=AuditStatus.choices, default=AuditStatus.PLANNED
    )
    auditor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="audits",
        verbose_name=_("auditeur"),
    )
    planned_on = models.DateField(_("date prévue"))
    sample_size = models.PositiveIntegerField(_("taille de l'échantillon"))
    sampled_sites = models.JSONField(_("sites à visiter"), default=list)
    planned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("clôturé le"), null=True, blank=True)
    performed_on = models.DateField(_("réalisé le"), null=True, blank=True)

    class Meta:
        db_table = "audits_audit"
        ordering = ["-planned_on", "-id"]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")

    def __str__(self) -> str:
        return f"Audit n° {self.pk} ({self.get_kind_display()})"


class ChecklistItem(models.Model):
    """One requirement of the audit checklist (RCF-A1…A5) as the auditor judged it."""

    audit = models.ForeignKey(Audit, on_delete=models.CASCADE, related_name="checklist")
    requirement = models.CharField(_("exigence"), max_length=16)
    result = models.CharField(
        _("résultat"), max_length=16, choices=ChecklistResult.choices, blank=True
    )
    notes = models.TextField(_("notes"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        db_table = "audits_checklistitem"
        ordering = ["audit", "requirement"]
        constraints = [
            models.UniqueConstraint(fields=["audit", "requirement"], name="checklist_item_once")
        ]

    def __str__(self) -> str:
        return f"{self.requirement}: {self.result or '—'}"


class EvidenceFile(models.Model):
    """A file the auditor attached to an audit (scans of contracts, photos, minutes).

    Stored under a random name in ``RCF_UPLOAD_DIR``, outside any static root, and served only
    through a view that checks who asks.
    """

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="evidence")
    requirement = models.CharField(_("exigence"), max_length=16, blank=True)
    stored_name = models.CharField(max_length=80, unique=True)
    original_name = models.CharField(_("nom du fichier"), max_length=255)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        db_table = "audits_evidencefile"
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


class Finding(models.Model):
    """A non-conformity or observation raised by an audit.

    A major must be closed within 3 months, a minor needs an action plan within 6 months
    (référentiel §5); ``due_on`` holds that deadline.
    """

    audit = models.ForeignKey(Audit, on_delete=models.PROTECT, related_name="findings")
    requirement = models.CharField(_("exigence"), max_length=16)
    severity = models.CharField(_("gravité"), max_length=16, choices=FindingSeverity.choices)
    description = models.TextField(_("constat"))
    status = models.CharField(
        _("statut"), max_length=16, choices=FindingStatus.choices, default=FindingStatus.OPEN
    )
    due_on = models.DateField(_("échéance"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    closed_at = models.DateTimeField(_("levée le"), null=True, blank=True)

    class Meta:
        db_table = "audits_finding"
        ordering = ["audit", "id"]
        verbose_name = _("constat d'audit")
        verbose_name_plural = _("constats d'audit")

    def __str__(self) -> str:
        return f"{self.get_severity_display()} {self.requirement}"


class CorrectiveAction(models.Model):
    """What the applicant proposes to lift a finding, and the auditor's verification."""

    finding = models.ForeignKey(Finding, on_delete=models.CASCADE, related_name="actions")
    description = models.TextField(_("action corrective"))
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    proposed_at = models.DateTimeField(auto_now_add=True)
    verdict = models.CharField(
        _("vérification"),
        max_length=16,
        choices=ActionVerdict.choices,
        default=ActionVerdict.PENDING,
    )
    verified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        null=True,
        blank=True,
    )
    verified_at = models.DateTimeField(null=True, blank=True)
    comment = models.TextField(_("commentaire de l'auditeur"), blank=True)

    class Meta:
        db_table = "audits_correctiveaction"
        ordering = ["proposed_at", "id"]

    def __str__(self) -> str:
        return f"Action n° {self.pk} ({self.get_verdict_display()})"
