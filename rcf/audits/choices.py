from django.db import models
from django.utils.translation import gettext_lazy as _


class AuditKind(models.TextChoices):
    INITIAL = "initial", _("Audit initial")
    SURVEILLANCE = "surveillance", _("Audit de surveillance")
    RENEWAL = "renewal", _("Audit de renouvellement")


class AuditStatus(models.TextChoices):
    PLANNED = "planned", _("Planifié")
    CLOSED = "closed", _("Clôturé")


class ChecklistResult(models.TextChoices):
    """Results of a checklist item (référentiel §4)."""

    CONFORME = "conforme", _("Conforme")
    NC_MAJEURE = "nc_majeure", _("Non-conformité majeure")
    NC_MINEURE = "nc_mineure", _("Non-conformité mineure")
    OBSERVATION = "observation", _("Observation")
    NON_APPLICABLE = "non_applicable", _("Non applicable")


class FindingSeverity(models.TextChoices):
    MAJOR = "major", _("Majeure")
    MINOR = "minor", _("Mineure")
    OBSERVATION = "observation", _("Observation")


class FindingStatus(models.TextChoices):
    OPEN = "open", _("Ouverte")
    ACTION_PROPOSED = "action_proposed", _("Action proposée")
    CLOSED = "closed", _("Levée")


class ActionVerdict(models.TextChoices):
    PENDING = "pending", _("À vérifier")
    ACCEPTED = "accepted", _("Acceptée")
    REJECTED = "rejected", _("Refusée")
