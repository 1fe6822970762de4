"""The forms of the certificate pages: the reason of a suspension, reinstatement or withdrawal."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label=_("Motif"),
        help_text=_(
            "Il est envoyé à l'entreprise par courriel et inscrit au journal de la plateforme. "
            "Il n'est pas publié : l'historique public ne donne que la date et le nouveau statut."
        ),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
