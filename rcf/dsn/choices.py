"""DSN code lists the platform names in French (cahier technique, ``dsn.md`` §2)."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class DeclarationNature(models.TextChoices):
    """``S20.G00.05.001``: only the monthly DSN is payroll evidence."""

    MONTHLY = "01", _("DSN mensuelle")
    END_OF_CONTRACT = "02", _("signalement fin du contrat de travail")
    WORK_STOPPAGE = "04", _("signalement arrêt de travail")
    RETURN_TO_WORK = "05", _("signalement reprise suite à arrêt de travail")
    SINGLE_END_OF_CONTRACT = "07", _("signalement fin du contrat de travail unique")


class DeclarationType(models.TextChoices):
    """``S20.G00.05.002``: ``04`` and ``05`` cancel a declaration and are not evidence."""

    NORMAL = "01", _("normale")
    NORMAL_NIL = "02", _("normale néant")
    REPLACES = "03", _("annule et remplace intégral")
    CANCELS = "04", _("annule")
    REPLACES_NIL = "05", _("annule et remplace néant")


class ContractNature(models.TextChoices):
    """``S21.G00.40.007``."""

    CDI = "01", _("CDI de droit privé")
    CDD = "02", _("CDD de droit privé")
    MISSION = "03", _("contrat de mission (intérim)")
    CDI_INTERMITTENT = "07", _("CDI intermittent")
    CDI_INTERIMAIRE = "08", _("CDI intérimaire")
    CDI_PUBLIC = "09", _("CDI de droit public")
    CDD_PUBLIC = "10", _("CDD de droit public")
    INTERNSHIP = "29", _("convention de stage")
    CIVIL_SERVICE = "50", _("nomination dans la fonction publique")
    EDUCATIONAL = "60", _("contrat d'engagement éducatif")
    CORPORATE_OFFICE = "80", _("mandat social")
    ELECTED_OFFICE = "81", _("mandat d'élu")
    CIVIC_SERVICE = "89", _("volontariat de service civique")
    OTHER = "90", _("autre nature de contrat")


def label(choices: type[models.TextChoices], code: str) -> str:
    """``code (label)``, or the bare code when the list does not know it."""
    try:
        return f"{code} ({choices(code).label})"
    except ValueError:
        return code
