"""The forms of the certificate pages: the reason of a suspension, reinstatement or withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        help_text=_("Il figure dans l'historique public du certificat et dans le courriel."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
