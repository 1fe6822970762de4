from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from rcf.reports.choices import ReportOutcome, ReportStatus

HONEYPOT = "website"
"""A field people never see (it is off-screen, out of the tab order): a robot that fills every
field fills it too, and its report is dropped without a word."""


class ReportForm(forms.Form):
    company = forms.CharField(
        label=_("Entreprise ou adresse du site"),
        help_text=_("Le nom de l'entreprise, ou l'adresse du site où le logo apparaît."),
        max_length=200,
    )
    where_seen = forms.CharField(
        label=_("Où l'avez-vous vu ?"),
        help_text=_("Page web, emballage, publicité, courriel, magasin…"),
        max_length=300,
    )
    description = forms.CharField(
        label=_("Ce que vous avez vu"),
        help_text=_(
            "Le logo ou la mention du label, et ce qui vous fait douter (4 000 caractères au plus)."
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    email = forms.EmailField(
        label=_("Votre adresse électronique (facultative)"),
        help_text=_(
            "Seulement pour vous répondre ; elle n'est ni publiée ni transmise à l'entreprise."
        ),
        required=False,
    )
    website = forms.CharField(
        label=_("Ne remplissez pas ce champ"),
        required=False,
        widget=forms.TextInput(attrs={"tabindex": "-1", "autocomplete": "off"}),
    )

    def is_spam(self) -> bool:
        return bool(self.cleaned_data.get(HONEYPOT))


class HandleForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Statut"),
        choices=[
            (ReportStatus.IN_PROGRESS.value, ReportStatus.IN_PROGRESS.label),
            (ReportStatus.CLOSED.value, ReportStatus.CLOSED.label),
        ],
    )
    outcome = forms.ChoiceField(
        label=_("Suite donnée (pour clore)"),
        choices=[("", "—"), *ReportOutcome.choices],
        required=False,
    )
    answer = forms.CharField(
        label=_("Réponse ou note de l'AFRC"),
        help_text=_("Ce qui a été fait ; elle reste dans le dossier du signalement."),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
