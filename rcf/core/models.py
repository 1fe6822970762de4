"""Tables every app shares: the request counters of the rate limits."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class RateCounter(models.Model):
    """Requests of one client in one window of one rate limit (``rcf/core/ratelimit.py``).

    In the database so that every instance of the platform counts in the same place; the
    client is a keyed digest of its address, never the address. Rows are deleted once their
    window has ended.
    """

    scope = models.CharField(_("limite"), max_length=16)
    client = models.CharField(_("empreinte du client"), max_length=64)
    window_start = models.BigIntegerField(_("début de la fenêtre (secondes Unix)"))
    expires = models.BigIntegerField(_("fin de la fenêtre (secondes Unix)"), db_index=True)
    hits = models.PositiveIntegerField(_("requêtes"), default=0)

    class Meta:
        verbose_name = _("compteur de requêtes")
        verbose_name_plural = _("compteurs de requêtes")
        constraints = [
            models.UniqueConstraint(
                fields=["scope", "client", "window_start"], name="core_ratecounter_unique_window"
            )
        ]

    def __str__(self) -> str:
        return f"{self.scope} {self.window_start} {self.hits}"
