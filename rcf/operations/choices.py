"""Enumerations of the operations app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class TickOutcome(models.TextChoices):
    RUNNING = "running", _("en cours")
    OK = "ok", _("terminé")
    FAILED = "failed", _("échoué")
