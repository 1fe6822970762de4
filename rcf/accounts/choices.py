"""Enumerations of the accounts app."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """What a user may do on the platform (platform-v1.md §1). A user may hold several."""

    APPLICANT = "applicant", _("Demandeur (entreprise candidate)")
    AFRC = "afrc", _("AFRC")
    CERTIFIER = "certifier", _("Responsable de certification")
    AUDITOR = "auditor", _("Auditeur")


class LoginOutcome(models.TextChoices):
    """How a login attempt ended; only failures count towards the throttle."""

    SUCCESS = "success", _("réussie")
    FAILURE = "failure", _("échouée")
    REFUSED = "refused", _("refusée (trop de tentatives)")
    RESET = "reset", _("demande de réinitialisation du mot de passe")
