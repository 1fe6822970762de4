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


class Verdict(models.TextChoices):
    """The pre-check's verdict (declaration-v1.md §3)."""

    ELIGIBLE = "eligible", _("Éligible")
    TO_VERIFY = "to_verify", _("À vérifier")
    NOT_ELIGIBLE = "not_eligible", _("Non éligible")
