"""The forms of the applications pages: the declaration editor's sections, the uploads, the
AFRC's admissibility and the certifier's decision.

Fields of the declaration editor are deliberately lenient (text, optional): what is typed
reaches the validator of the format as typed, so that one set of rules and one set of messages
apply to the web, the API and the command line.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rcf.referentiel.scheme import Scheme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label

APPLICANT = "applicant"
Choices = list[tuple[str, str]]


def enumeration(scheme: Scheme, name: str) -> Choices:
    """The codes and labels of an enumeration of the dossier's scheme version, in the language
    of the scheme given (the caller's ``scheme.in_language(get_language())``)."""
    return list(scheme.enumerations[name].items())


def blank(choices: Choices, label: Label | None = None) -> Choices:
    return [("", str(label or _("— choisir —"))), *choices]


def _text(label: Label, help_text: Label = "", **attrs: str) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        required=False,
        strip=True,
        widget=forms.TextInput(attrs=attrs) if attrs else None,
    )


def _select(label: Label, help_text: Label = "") -> forms.CharField:
    """A select whose options are given per form (they depend on the declaration); any value
    is accepted, so that a stale reference reaches the validator and is reported there."""
    return forms.CharField(label=label, help_text=help_text, required=False, widget=forms.Select)


def _checkboxes(label: Label, choices: Choices) -> forms.MultipleChoiceField:
    return forms.MultipleChoiceField(
        label=label, choices=choices, required=False, widget=forms.CheckboxSelectMultiple
    )


def put(target: dict[str, Any], key: str, value: str) -> None:
    """Optional fields of the format are left out rather than given empty."""
    if value:
        target[key] = value


def integer_or_text(value: str) -> int | str:
    """A headcount as typed: a number when it is one, else the text, for the validator to
    report with the format's message."""
    return int(value) if re.fullmatch(r"-?\d+", value) else value


class ChoicesForm(forms.Form):
    """A form whose select options are given at construction (``choices={"field": [...]}``);
    the current value is always among them, even when it names nothing known."""

    def __init__(
        self,
        *args: Any,
        choices: Mapping[str, Choices] | None = None,
        scheme: Scheme | None = None,
        **kwargs: Any,
    ):
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        for name, options in (choices or {}).items():
            current = (
                self.data.get(self.add_prefix(name)) if self.is_bound else self.initial.get(name)
            )
            known = {value for value, _label in options}
            if current and current not in known:
                options = [*options, (current, current)]
            self.fields[name].widget.choices = options


# --- the declaration editor -----------------------------------------------------------------


class ApplicantForm(forms.Form):
    name = _text(_("Raison sociale"))
    brands = forms.CharField(
        label=_("Marques"),
        help_text=_("Une marque par ligne ; laissez vide si l'entreprise n'en a pas."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    reference_date = forms.CharField(
        label=_("Date de référence"),
        help_text=_("La date à laquelle la déclaration décrit la situation (AAAA-MM-JJ)."),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )


class ScopeForm(forms.Form):
    """One choice « réalisé / non réalisé » per channel, activity and phase of the scheme."""

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.scheme = scheme
        statuses = enumeration(scheme, "scope_statuses")
        for dimension in scheme.scope_dimensions:
            for item, label in scheme.enumerations[dimension].items():
                self.fields[f"{dimension}__{item}"] = forms.ChoiceField(
                    label=label, choices=statuses, required=False, widget=forms.RadioSelect
                )

    def groups(self) -> list[tuple[str, list[forms.BoundField]]]:
        scheme = self.scheme
        return [
            (label, [self[f"{dimension}__{item}"] for item in scheme.enumerations[dimension]])
            for dimension, label in scheme.scope_dimensions.items()
        ]


class CommitmentsForm(forms.Form):
    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for key, text in scheme.commitments.items():
            self.fields[key] = forms.BooleanField(
                label=gettext("L'entreprise s'engage à %(commitment)s.") % {"commitment": text},
                required=False,
            )


class OperatorForm(ChoicesForm):
    original_id = forms.CharField(required=False, widget=forms.HiddenInput)
    id = _text(
        _("Identifiant"),
        _("Court et unique : minuscules, chiffres, « - » ou « _ » (par exemple acme-lille)."),
    )
    role = _select(_("Rôle"))
    parent = _select(
        _("Donneur d'ordre"),
        _("Qui lui sous-traite ; pour une entreprise de travail temporaire : qui elle pourvoit."),
    )
    name = _text(_("Raison sociale"))
    country = _text(
        _("Pays du siège"),
        _("Code ISO à 2 lettres : FR, ou GP, MQ, GF, RE, YT… pour l'outre-mer ; TN, MA…"),
        maxlength="2",
        autocomplete="off",
    )
    siren = _text(_("SIREN"), _("9 chiffres ; requis pour un opérateur établi en France."))
    foreign_id = _text(_("Immatriculation à l'étranger"))
    france_clause = forms.BooleanField(
        label=_("Le contrat comporte la clause France"), required=False
    )
    contract_reference = _text(_("Référence du contrat"))


class SiteForm(ChoicesForm):
    original_id = forms.CharField(required=False, widget=forms.HiddenInput)
    id = _text(_("Identifiant"), _("Court et unique (par exemple lille, teletravail)."))
    operator = _select(_("Opérateur"))
    kind = _select(_("Nature"))
    name = _text(_("Nom du site"))
    siret = _text(_("SIRET"), _("14 chiffres ; requis pour un établissement en France."))
    country = _text(_("Pays"), _("FR, ou un code ISO à 2 lettres."), maxlength="2")
    commune_insee = _text(
        _("Code commune INSEE"),
        _("5 caractères (75056, 2A004, 97411) ; requis en France, sauf télétravail."),
        maxlength="5",
    )
    department = _text(_("Département (télétravail)"), _("À la place de la commune : 59, 2A, 974…"))
    postal_code = _text(_("Code postal"))
    city = _text(_("Ville"))
    address = _text(_("Adresse"))

    def __init__(self, *args: Any, scheme: Scheme, **kwargs: Any) -> None:
        super().__init__(*args, scheme=scheme, **kwargs)
        for dimension, label in scheme.scope_dimensions.items():
            self.fields[dimension] = _checkboxes(label, enumeration(scheme, dimension))


class WorkforceForm(ChoicesForm):
    site = _select(_("Site"))
    employer = _select(_("Employeur"))
    contract = _select(_("Contrat"))
    contract_law = forms.CharField(
        label=_("Droit du contrat"),
        help_text=_("FR pour le droit français."),
        required=False,
        initial="FR",
        widget=forms.TextInput(attrs={"maxlength": "2"}),
    )
    headcount = forms.CharField(
        label=_("Effectif (personnes)"),
        required=False,
        widget=forms.NumberInput(attrs={"min": "0", "step": "1"}),
    )
    function = _select(_("Fonction"))


class ContactPointForm(ChoicesForm):
    """A contact point (version 2, RCF-09): brands and sites typed as lists separated by
    commas, checked by the service like a file would be."""

    original_id = forms.CharField(required=False, widget=forms.HiddenInput)
    id = _text(_("Identifiant"), _("Court et unique (par exemple sc-tel, courriel)."))
    channel = _select(_("Canal"))
    value = _text(
        _("Numéro ou adresse"),
        _(
            "Téléphone : 09 69 32 00 00 ou +33 9 69 32 00 00 (pas de numéro court) ; courriel : "
            "nom@domaine.fr ; chat, messagerie, réseau social, visio : adresse en https://."
        ),
    )
    purpose = _select(_("Usage"))
    brands = _text(
        _("Marques"), _("Séparées par des virgules ; vide : toutes les marques de l'entreprise.")
    )
    sites = _text(
        _("Sites où il est répondu"), _("Identifiants des sites, séparés par des virgules.")
    )


def split_list(text: str) -> list[str]:
    """« lille, tele » → ``["lille", "tele"]`` (empty items dropped)."""
    return [item.strip() for item in text.split(",") if item.strip()]


class RowsFormSet(forms.BaseFormSet):
    """Rows of the editor: each has a « remove » checkbox, applied when the page is saved."""

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Retirer cette ligne (à l'enregistrement)")


# --- the other pages -----------------------------------------------------------------------


class CreateForm(forms.Form):
    """A new application: an empty declaration to fill in, or a JSON file."""

    reference_date = forms.DateField(
        label=_("Date de référence"),
        help_text=_("La date à laquelle la déclaration décrit la situation."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )


class DeclarationUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier de déclaration (JSON ou classeur XLSX)"),
        help_text=_(
            "Un document « rcf-declaration/1 » en UTF-8, ou le classeur du pré-contrôle "
            "rempli ; il remplace tout le contenu."
        ),
        widget=forms.ClearableFileInput(
            attrs={
                "accept": ".json,application/json,.xlsx,"
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            }
        ),
    )


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one field (Django's documented recipe)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput())
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data]
        return [single(data, initial)]


class DsnUploadForm(forms.Form):
    file = MultipleFileField(
        label=_("Fichiers DSN"),
        help_text=_(
            "Une ou plusieurs DSN mensuelles (norme NEODeS). Elles sont lues puis effacées : "
            "seuls les effectifs par établissement sont conservés."
        ),
    )


class AdmissibilityForm(forms.Form):
    admissible = forms.TypedChoiceField(
        label=_("Recevabilité"),
        choices=[
            ("yes", _("Recevable : le dossier part à l'organisme certificateur")),
            ("no", _("Non recevable : le dossier est renvoyé à l'entreprise")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Obligatoire pour un renvoi : dites à l'entreprise ce qui manque."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class DecisionForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Décision"),
        choices=[
            ("certify", _("Certifier : le certificat est délivré")),
            ("refuse", _("Refuser la certification")),
        ],
        widget=forms.RadioSelect,
    )
    motivation = forms.CharField(
        label=_("Motivation"),
        help_text=_("Elle figure au journal et, pour un refus, dans le courriel à l'entreprise."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
