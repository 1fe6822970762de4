"""The pre-check's vocabulary as the platform stores it."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Verdict(models.TextChoices):
    """The pre-check's verdict (declaration-v1.md §3)."""

    ELIGIBLE = "eligible", _("Éligible")
    TO_VERIFY = "to_verify", _("À vérifier")
    NOT_ELIGIBLE = "not_eligible", _("Non éligible")
