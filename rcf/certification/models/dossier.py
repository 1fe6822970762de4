"""A company's dossier for the label."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from rcf.certification.choices import ApplicationKind, ApplicationStatus
from rcf.precheck.choices import Verdict


class Application(models.Model):
    """One application of one organisation: initial certification or renewal.

    Holds the current declaration (``rcf-declaration/1``) and its latest pre-check
    (``rcf-evaluation/1``); both are replaced together, so the evaluation always matches the
    declaration and the payroll evidence stored beside it.
    """

    organisation = models.ForeignKey(
        "accounts.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("organisation"),
    )
    kind = models.CharField(
        _("nature"), max_length=16, choices=ApplicationKind.choices, default=ApplicationKind.INITIAL
    )
    status = models.CharField(
        _("statut"),
        max_length=24,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        db_index=True,
    )
    declaration = models.JSONField(_("déclaration"))
    evaluation = models.JSONField(_("pré-contrôle"))
    verdict = models.CharField(_("verdict du pré-contrôle"), max_length=16, choices=Verdict.choices)
    scheme_version = models.CharField(
        _("version du référentiel"),
        max_length=8,
        help_text=_("La version sous laquelle le dossier est jugé : celle du format déclaré."),
    )
    renews = models.ForeignKey(
        "certification.Certificate",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="renewals",
        verbose_name=_("certificat renouvelé"),
    )
    admissibility_comment = models.TextField(_("commentaire de recevabilité"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("créé par"),
    )
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)
    submitted_at = models.DateTimeField(_("déposé le"), null=True, blank=True)

    class Meta:
        db_table = "applications_application"
        ordering = ["-created_at", "-id"]
        verbose_name = _("dossier")
        verbose_name_plural = _("dossiers")
        constraints = [
            # A company files one initial dossier at a time (a second one is a 409 that leads
            # to the first); a draft can be deleted to start again.
            models.UniqueConstraint(
                fields=["organisation"],
                condition=models.Q(kind="initial") & ~models.Q(status__in=["certified", "refused"]),
                name="one_open_initial_application_per_organisation",
            ),
            # One renewal at a time for a certificate.
            models.UniqueConstraint(
                fields=["renews"],
                condition=~models.Q(status__in=["certified", "refused"]),
                name="one_open_renewal_per_certificate",
            ),
        ]

    def __str__(self) -> str:
        return f"Dossier n° {self.pk} — {self.organisation}"

    @property
    def applicant_name(self) -> str:
        name: str = self.declaration.get("applicant", {}).get("name", "")
        return name or str(self.organisation)

    def requirement(self, requirement_id: str) -> dict[str, Any] | None:
        for item in self.evaluation.get("requirements", []):
            if item.get("id") == requirement_id:
                return dict(item)
        return None


class PayrollEvidence(models.Model):
    """The summary of one DSN given as evidence for RCF-07: counts only.

    The DSN file itself is read while it is uploaded and never stored: it holds every
    employee's NIR, which must not outlive the computation (dsn.md). What is kept is the
    ``rcf-dsn-summary/1`` entry of the declaration, enough to re-run RCF-07.
    """

    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, related_name="payroll_evidence"
    )
    file_name = models.CharField(_("fichier"), max_length=255)
    siren = models.CharField(_("SIREN"), max_length=9)
    siret = models.CharField(_("établissement déclarant"), max_length=14)
    month = models.CharField(_("mois"), max_length=7)
    summary = models.JSONField(_("résumé"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    uploaded_at = models.DateTimeField(_("déposé le"), auto_now_add=True)

    class Meta:
        db_table = "applications_payrollevidence"
        ordering = ["file_name", "siret", "month", "id"]
        verbose_name = _("preuve de paie (DSN)")
        verbose_name_plural = _("preuves de paie (DSN)")

    def __str__(self) -> str:
        return f"{self.file_name} {self.siret} {self.month}"
