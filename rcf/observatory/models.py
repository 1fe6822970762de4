"""Daily snapshots of the observatory's figures, recorded by ``rcf tick``."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DailySnapshot(models.Model):
    """The figures of one day as they were published, in the long format of the open data.

    History (``CertificateEvent``) says when each certificate was valid, but a certificate's
    scope is replaced at renewal: the contributors, departments and breakdowns of a past day
    can only be reproduced from what was recorded that day. ``rows`` is the list of
    ``{"indicator", "breakdown", "value"}`` of that day (see ``selectors.current_rows``).
    """

    day = models.DateField(_("jour"), unique=True)
    taken_at = models.DateTimeField(_("relevé le"))
    rows = models.JSONField(_("chiffres"))

    class Meta:
        ordering = ["day"]
        verbose_name = _("relevé quotidien")
        verbose_name_plural = _("relevés quotidiens")

    def __str__(self) -> str:
        return self.day.isoformat()
