from django.db import models
from django.utils.translation import gettext_lazy as _


class ReportStatus(models.TextChoices):
    NEW = "new", _("Nouveau")
    IN_PROGRESS = "in_progress", _("En cours")
    CLOSED = "closed", _("Clos")


class ReportOutcome(models.TextChoices):
    MISUSE_STOPPED = "misuse_stopped", _("Usage abusif confirmé : l'entreprise a retiré le logo")
    MISUSE_PURSUED = "misuse_pursued", _("Usage abusif confirmé : suites juridiques engagées")
    CERTIFIED = "certified", _("Pas d'abus : l'entreprise détient un certificat valide")
    UNFOUNDED = "unfounded", _("Non fondé ou impossible à vérifier")
    DUPLICATE = "duplicate", _("Déjà signalé")
