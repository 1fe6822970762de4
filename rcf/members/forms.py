"""The forms of the membership registry pages."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class MembersImportForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier CSV des adhérents"),
        help_text=_(
            "En-tête : member_number,siren,name,valid_from,valid_until (dates AAAA-MM-JJ, "
            "valid_until incluse, vide : sans fin). Un numéro déjà connu est mis à jour."
        ),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,text/csv"}),
    )
