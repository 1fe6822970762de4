from django.db import models
from django.utils.translation import gettext_lazy as _


class CertificateStatus(models.TextChoices):
    """Public statuses (référentiel §6)."""

    ACTIVE = "active", _("Valide")
    SUSPENDED = "suspended", _("Suspendu")
    WITHDRAWN = "withdrawn", _("Retiré")
    EXPIRED = "expired", _("Expiré")


class Decision(models.TextChoices):
    CERTIFY = "certify", _("Certifier")
    REFUSE = "refuse", _("Refuser")
