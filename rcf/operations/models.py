"""The record of ``rcf tick`` runs, so that readiness and metrics can tell their age."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from rcf.operations.choices import TickOutcome


class TickRun(models.Model):
    """One run of ``rcf tick`` that took the lock: when it started, ended and how.

    A run killed midway stays ``running`` with no end: readiness looks at the last run that
    ended ``ok``, so it is never taken for a success. ``detail`` says why a run failed, in the
    operator's words (no personal data: the tick's messages name certificates, not people).
    """

    started_at = models.DateTimeField(_("début"))
    finished_at = models.DateTimeField(_("fin"), null=True, blank=True)
    outcome = models.CharField(
        _("issue"), max_length=10, choices=TickOutcome.choices, default=TickOutcome.RUNNING
    )
    detail = models.CharField(_("détail"), max_length=500, blank=True)

    class Meta:
        ordering = ["-started_at", "-id"]
        verbose_name = _("passage de « rcf tick »")
        verbose_name_plural = _("passages de « rcf tick »")
        indexes = [models.Index(fields=["outcome", "finished_at"])]

    def __str__(self) -> str:
        return f"{self.started_at:%Y-%m-%d %H:%M} {self.outcome}"
