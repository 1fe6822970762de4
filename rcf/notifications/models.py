"""The outbox of e-mails."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class OutgoingEmail(models.Model):
    """An e-mail to send, written in the transaction of the change it reports.

    Writing it in the same transaction means a rolled-back transition sends nothing; ``key``
    (unique when set) is what makes a reminder go out exactly once however often ``rcf tick``
    runs: the second attempt to queue the same reminder finds the key taken.
    """

    key = models.CharField(max_length=200, unique=True, null=True, blank=True)
    to = models.JSONField(_("destinataires"))
    subject = models.CharField(_("objet"), max_length=255)
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.CharField(max_length=255, blank=True)

    objects: models.Manager[OutgoingEmail] = models.Manager()

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("e-mail")
        verbose_name_plural = _("e-mails")

    def __str__(self) -> str:
        return self.subject
