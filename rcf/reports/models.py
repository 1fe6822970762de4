"""Reports of the label's logo or name used without a valid certificate (``/signaler/``)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rcf.reports.choices import ReportOutcome, ReportStatus


class LogoReport(models.Model):
    """One report from the public, and the AFRC's handling of it.

    The e-mail address is optional and used only to answer; it is never written to the
    journal (which records the status, the outcome and who handled it)."""

    company = models.CharField(_("entreprise ou adresse du site"), max_length=200)
    where_seen = models.CharField(_("où le logo a été vu"), max_length=300)
    description = models.TextField(_("description"), max_length=4000)
    email = models.EmailField(_("adresse électronique pour la réponse"), blank=True)
    status = models.CharField(
        _("statut"), max_length=16, choices=ReportStatus.choices, default=ReportStatus.NEW
    )
    outcome = models.CharField(
        _("suite donnée"), max_length=32, choices=ReportOutcome.choices, blank=True
    )
    answer = models.TextField(_("réponse de l'AFRC"), blank=True, max_length=4000)
    received_at = models.DateTimeField(_("reçu le"), auto_now_add=True)
    updated_at = models.DateTimeField(_("modifié le"), auto_now=True)

    class Meta:
        ordering = ["-received_at", "-id"]
        verbose_name = _("signalement de logo")
        verbose_name_plural = _("signalements de logo")
        constraints = [
            # A closed report always says what came of it.
            models.CheckConstraint(
                condition=~models.Q(status="closed") | ~models.Q(outcome=""),
                name="closed_report_has_outcome",
            )
        ]

    def __str__(self) -> str:
        return f"Signalement n° {self.pk}"
