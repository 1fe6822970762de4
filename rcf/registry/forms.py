"""The registry's search form (GET): words and four filters, all optional."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rcf.certification.choices import CertificateStatus
from rcf.registry.labels import scope_choices, territory_choices
from rcf.registry.opendata import DEPARTMENT

MAX_QUERY = 200
"""Characters of a query the registry searches; a longer one is cut, and the page says so."""

ALL_STATUSES = "all"
"""The value of the status filter that shows every certificate; none given means valid only."""

SORTS = {
    "name": _("Nom (A → Z), valides d'abord"),
    "recent": _("Certifiés le plus récemment"),
    "ending": _("Fin de validité la plus proche"),
}


class RegistrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Entreprise, marque, SIREN ou numéro de certificat"),
        required=False,
        max_length=MAX_QUERY,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Statut"), required=False)
    sort = forms.ChoiceField(label=_("Trier par"), required=False, choices=list(SORTS.items()))
    territory = forms.ChoiceField(label=_("Territoire des sites"), required=False)
    department = forms.CharField(
        label=_("Département d'un site"),
        help_text=_("Code du département : 59, 2A, 974…"),
        required=False,
        max_length=3,
        widget=forms.TextInput(attrs={"inputmode": "text", "size": 4, "autocomplete": "off"}),
    )
    channel = forms.ChoiceField(label=_("Canal de contact"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        everything = [("", _("Tous"))]
        # Valid certificates by default: the registry answers « may I trust this logo? ».
        self.fields["status"].choices = [  # type: ignore[attr-defined]
            (CertificateStatus.ACTIVE.value, _("Valides uniquement")),
            (ALL_STATUSES, _("Tous les statuts")),
            *[(code, label) for code, label in CertificateStatus.choices if code != "active"],
        ]
        self.fields["status"].initial = CertificateStatus.ACTIVE.value
        self.fields["territory"].choices = everything + territory_choices()  # type: ignore[attr-defined]
        self.fields["channel"].choices = everything + scope_choices("channels")  # type: ignore[attr-defined]

    def clean_department(self) -> str:
        department = str(self.cleaned_data.get("department", "")).strip().upper()
        if department and not re.fullmatch(DEPARTMENT, department):
            raise forms.ValidationError(
                _("Saisissez un code de département : 59, 2A, 974…"), code="invalid_department"
            )
        return department

    def filters(self) -> dict[str, str]:
        """The valid criteria (an invalid one is reported on the page and ignored). The status
        is given as the search takes it: ``active`` when none is chosen, ``""`` for all."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        criteria = {
            name: str(data.get(name) or "").strip()
            for name in ("q", "status", "territory", "department", "channel")
        }
        status = criteria["status"]
        criteria["status"] = "" if status == ALL_STATUSES else status or CertificateStatus.ACTIVE
        return criteria

    def sort_key(self) -> str:
        self.is_valid()
        sort = str(getattr(self, "cleaned_data", {}).get("sort") or "")
        return sort if sort in SORTS else "name"


class PhoneCheckForm(forms.Form):
    """« À qui est ce numéro ? » (GET ``n``): one field, as people write numbers."""

    n = forms.CharField(
        label=_("Numéro de téléphone"),
        help_text=_("Par exemple 09 69 32 00 00 ou +33 9 69 32 00 00."),
        max_length=40,
        widget=forms.TextInput(
            attrs={"type": "tel", "inputmode": "tel", "autocomplete": "off", "size": 20}
        ),
    )
