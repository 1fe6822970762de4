"""Words of the observatory's breakdown keys, translated at display time."""

from __future__ import annotations

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rcf.registry.labels import scope_label, territory_label

EMPLOYMENT = {
    "in_house": _("Salariés de l'entreprise"),
    "subcontracted": _("Salariés de sous-traitants"),
    "temp_work": _("Intérimaires"),
}
CONTRACTS = {
    "cdi": _("CDI"),
    "cdd": _("CDD"),
    "cdi_intermittent": _("CDI intermittent"),
    "interim": _("Intérim"),
    "cdi_interimaire": _("CDI intérimaire"),
    "apprenticeship": _("Apprentissage"),
    "professionalisation": _("Professionnalisation"),
    "portage": _("Portage salarial"),
    "public_law": _("Contrat de droit public"),
    "internship": _("Stage"),
    "volunteer": _("Volontariat"),
    "freelance": _("Indépendant"),
    "posted_worker": _("Travailleur détaché"),
    "other": _("Autre"),
}
FUNNEL = {
    "created": _("Créés"),
    "submitted": _("Déposés"),
    "admissible": _("Recevables"),
    "audited": _("Audités"),
    "certified": _("Certifiés"),
    "refused": _("Refusés"),
}
EVENTS = {
    "suspended": _("suspensions"),
    "withdrawn": _("retraits"),
    "expired": _("expirations"),
}


def unknown() -> str:
    return gettext("non réparti")


def channel(code: str) -> str:
    return scope_label("channels", code) if code else unknown()


def activity(code: str) -> str:
    return scope_label("activities", code) if code else unknown()


def territory(code: str) -> str:
    return territory_label(code) if code else unknown()


def employment(code: str) -> str:
    return str(EMPLOYMENT[code]) if code in EMPLOYMENT else unknown()


def contract(code: str) -> str:
    return str(CONTRACTS[code]) if code in CONTRACTS else unknown()
