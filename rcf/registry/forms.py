"""The registry's search form (GET): words and four filters, all optional."""

from __future__ import annotations

import re
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from rcf.certification.choices import CertificateStatus
from rcf.registry.labels import scope_choices, territory_choices
from rcf.registry.opendata import DEPARTMENT


class RegistrySearchForm(forms.Form):
    q = forms.CharField(
        label=_("Entreprise, marque, SIREN ou numéro de certificat"),
        required=False,
        max_length=200,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )
    status = forms.ChoiceField(label=_("Statut"), required=False)
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
        self.fields["status"].choices = everything + list(CertificateStatus.choices)  # type: ignore[attr-defined]
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
        """The valid criteria (an invalid one is reported on the page and ignored)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            name: str(data.get(name) or "").strip()
            for name in ("q", "status", "territory", "department", "channel")
        }


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
