"""Statuses and enumerations of the certification workflow, with their French labels."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class ApplicationStatus(models.TextChoices):
    """The states of platform-v1.md §2."""

    DRAFT = "draft", _("Brouillon")
    SUBMITTED = "submitted", _("Déposé")
    ADMISSIBLE = "admissible", _("Recevable")
    AUDIT_PLANNED = "audit_planned", _("Audit planifié")
    AUDITED = "audited", _("Audité")
    CORRECTIVE_ACTIONS = "corrective_actions", _("Actions correctives en cours")
    CERTIFIED = "certified", _("Certifié")
    REFUSED = "refused", _("Refusé")


class ApplicationKind(models.TextChoices):
    INITIAL = "initial", _("Certification initiale")
    RENEWAL = "renewal", _("Renouvellement")


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


class CertificateStatus(models.TextChoices):
    """Public statuses (référentiel §6)."""

    ACTIVE = "active", _("Valide")
    SUSPENDED = "suspended", _("Suspendu")
    WITHDRAWN = "withdrawn", _("Retiré")
    EXPIRED = "expired", _("Expiré")


class Decision(models.TextChoices):
    CERTIFY = "certify", _("Certifier")
    REFUSE = "refuse", _("Refuser")
