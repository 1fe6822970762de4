"""Words the public pages show for codes: statuses, history events, scope items, territories.

Scope items and territories take their labels from the scheme file (data, not code), in the
page's language: the file holds each French label with its English (docs/i18n.md).
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import get_language, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from rcf.certification.choices import CertificateStatus
from rcf.referentiel.scheme import Scheme
from rcf.referentiel.versions import scheme_in_effect

STATUS_TAG = {
    CertificateStatus.ACTIVE: "tag-ok",
    CertificateStatus.SUSPENDED: "tag-warn",
    CertificateStatus.WITHDRAWN: "tag-bad",
    CertificateStatus.EXPIRED: "tag-neutral",
}
"""The colour of a status (``site.css``): only a valid certificate is green."""

STATUS_VERDICT = {
    CertificateStatus.ACTIVE: "verdict-ok",
    CertificateStatus.SUSPENDED: "verdict-warn",
    CertificateStatus.WITHDRAWN: "verdict-bad",
    CertificateStatus.EXPIRED: "verdict-expired",
}

STATUS_HEADLINE = {
    CertificateStatus.ACTIVE: _("Certificat valide"),
    CertificateStatus.SUSPENDED: _("Certificat suspendu"),
    CertificateStatus.WITHDRAWN: _("Certificat retiré"),
    CertificateStatus.EXPIRED: _("Certificat expiré"),
}

STATUS_MEANING = {
    CertificateStatus.ACTIVE: _(
        "Cette entreprise est certifiée Relation Client France : sa relation client à distance "
        "est réalisée en France par des salariés sous contrat de travail de droit français."
    ),
    CertificateStatus.SUSPENDED: _(
        "La certification est suspendue par l'organisme certificateur : l'entreprise ne peut "
        "pas se prévaloir du label tant qu'elle n'est pas rétablie."
    ),
    CertificateStatus.WITHDRAWN: _(
        "La certification a été retirée par l'organisme certificateur : l'entreprise ne peut "
        "plus se prévaloir du label."
    ),
    CertificateStatus.EXPIRED: _(
        "La période de validité du certificat est terminée : l'entreprise ne peut plus se "
        "prévaloir du label sans un nouvel audit."
    ),
}

STATUS_SINCE = {
    CertificateStatus.SUSPENDED: _("Suspendu depuis le"),
    CertificateStatus.WITHDRAWN: _("Retiré le"),
    CertificateStatus.EXPIRED: _("Expiré depuis le"),
}
"""How a page names the day a certificate stopped being valid."""

EVENT_LABELS = {
    "issued": pgettext_lazy("certificate event", "Certificat délivré"),
    "renewed": pgettext_lazy("certificate event", "Certificat renouvelé"),
    "suspended": pgettext_lazy("certificate event", "Suspendu"),
    "reinstated": pgettext_lazy("certificate event", "Rétabli"),
    "withdrawn": pgettext_lazy("certificate event", "Retiré"),
    "expired": pgettext_lazy("certificate event", "Arrivé à expiration"),
}


def status_label(status: str) -> str:
    """« Valide », « Suspendu »… (the translated label of :class:`CertificateStatus`)."""
    try:
        return str(CertificateStatus(status).label)
    except ValueError:
        return status


def _scheme() -> Scheme:
    """The scheme in effect today gives the public pages their labels (a later version only
    adds to an earlier one's), in the language of the page."""
    return scheme_in_effect(timezone.localdate()).in_language(get_language())


def event_label(action: str) -> str:
    return str(EVENT_LABELS.get(action, action))


def scope_label(dimension: str, code: str) -> str:
    """The label of a channel, activity or phase (``telephone`` → « Téléphone »)."""
    return _scheme().enumerations.get(dimension, {}).get(code, code)


def scope_choices(dimension: str) -> list[tuple[str, str]]:
    return list(_scheme().enumerations[dimension].items())


def territory_label(code: str) -> str:
    territory = _scheme().territories.get(code)
    return territory.label if territory else code


def territory_choices() -> list[tuple[str, str]]:
    """The territories where a certified site can be: those where the Code du travail applies."""
    return [
        (code, territory.label)
        for code, territory in _scheme().territories.items()
        if territory.in_france
    ]
