"""The forms of the audit pages: planning, sample, checklist, findings, evidence, corrective
actions. They collect what is typed; the services judge it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any, cast

from django import forms
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.certification.choices import AuditKind, ChecklistResult, FindingSeverity
from rcf.referentiel.versions import load_scheme


def checklist_texts(scheme_version: str) -> dict[str, str]:
    """The checklist of the dossier's version with its texts in the page's language (RCF-A1 …
    RCF-A5, and RCF-A6 from version 2)."""
    return dict(load_scheme(scheme_version).in_language(get_language()).checklist)


def requirement_choices(scheme_version: str, blank: bool = False) -> list[tuple[str, str]]:
    choices = [(rid, f"{rid} — {text}") for rid, text in checklist_texts(scheme_version).items()]
    return [("", gettext("— aucune en particulier —")), *choices] if blank else choices


def site_choices(
    declaration: Mapping[str, Any], reasons: Mapping[str, str]
) -> list[tuple[str, str]]:
    """Every establishment of the declaration, with its headcount and, when it was proposed,
    the reason it was."""
    headcount: dict[str, int] = {}
    for row in declaration.get("workforce", []):
        headcount[row["site"]] = headcount.get(row["site"], 0) + int(row["headcount"])
    choices = []
    for site in declaration.get("sites", []):
        if site.get("kind") != "establishment":
            continue
        place = site.get("name") or site.get("location", {}).get("city") or ""
        label = f"{site['id']}" + (f" — {place}" if place else "")
        label += " · " + gettext("%(n)s contributeurs") % {"n": headcount.get(site["id"], 0)}
        if site["id"] in reasons:
            label += " · " + gettext("proposé : %(reason)s") % {"reason": reasons[site["id"]]}
        choices.append((site["id"], label))
    return choices


class SitesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple


class PlanForm(forms.Form):
    auditor = forms.ChoiceField(label=_("Auditeur"))
    planned_on = forms.DateField(
        label=_("Date prévue"), widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
    )
    kind = forms.ChoiceField(label=_("Nature de l'audit"), choices=AuditKind.choices)
    sites = SitesField(
        label=_("Sites à visiter"),
        required=False,
        help_text=_(
            "Cochés : la proposition IAF MD 1 (⌈√n⌉ établissements pour un audit initial, "
            "⌈0,6·√n⌉ en surveillance, ⌈0,8·√n⌉ en renouvellement). Modifiez-la au besoin."
        ),
    )

    def __init__(self, *args: Any, sites: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        auditors = User.objects.with_role(Role.AUDITOR).filter(is_active=True).order_by("username")
        cast(forms.ChoiceField, self.fields["auditor"]).choices = [("", _("— choisir —"))] + [
            (u.username, f"{u.get_full_name() or u.username} ({u.username})") for u in auditors
        ]
        cast(forms.ChoiceField, self.fields["sites"]).choices = list(sites)


class SampleForm(forms.Form):
    sites = SitesField(label=_("Sites à visiter"), required=False)

    def __init__(self, *args: Any, sites: Sequence[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        cast(forms.ChoiceField, self.fields["sites"]).choices = list(sites)


class ChecklistForm(forms.Form):
    """One result and notes per checklist requirement of the dossier's version."""

    def __init__(self, *args: Any, scheme_version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.texts = checklist_texts(scheme_version)
        for rid in self.texts:
            self.fields[f"{rid}-result"] = forms.ChoiceField(
                label=_("Résultat"),
                choices=ChecklistResult.choices,
                required=False,
                widget=forms.RadioSelect,
            )
            self.fields[f"{rid}-notes"] = forms.CharField(
                label=_("Notes"),
                required=False,
                widget=forms.Textarea(attrs={"rows": 3}),
            )

    def items(self) -> list[dict[str, str]]:
        """The checklist as the service takes it."""
        return [
            {
                "requirement": rid,
                "result": self.cleaned_data[f"{rid}-result"],
                "notes": self.cleaned_data[f"{rid}-notes"],
            }
            for rid in self.texts
        ]

    def groups(self) -> list[tuple[str, str, forms.BoundField, forms.BoundField]]:
        return [
            (rid, text, self[f"{rid}-result"], self[f"{rid}-notes"])
            for rid, text in self.texts.items()
        ]


class FindingForm(forms.Form):
    requirement = forms.ChoiceField(label=_("Exigence"))
    severity = forms.ChoiceField(
        label=_("Gravité"), choices=FindingSeverity.choices, widget=forms.RadioSelect
    )
    description = forms.CharField(
        label=_("Constat"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 5}),
        help_text=_("Ce qui a été vu, où, et en quoi l'exigence n'est pas satisfaite."),
    )

    def __init__(self, *args: Any, scheme_version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = requirement_choices(scheme_version)
        cast(forms.ChoiceField, self.fields["requirement"]).choices = choices


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label=_("Fichier"),
        help_text=_("PDF, PNG ou JPEG (reconnus par leur contenu)."),
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}),
    )
    requirement = forms.ChoiceField(label=_("Exigence concernée"), required=False)

    def __init__(self, *args: Any, scheme_version: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = requirement_choices(scheme_version, blank=True)
        cast(forms.ChoiceField, self.fields["requirement"]).choices = choices


class ActionForm(forms.Form):
    description = forms.CharField(
        label=_("Action corrective"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=_("Ce qui a été corrigé ou le sera, par qui, quand, et la preuve fournie."),
    )


class VerificationForm(forms.Form):
    accepted = forms.TypedChoiceField(
        label=_("Vérification"),
        choices=[
            ("yes", _("Acceptée : le constat est levé")),
            ("no", _("Refusée : le constat reste ouvert")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Commentaire"),
        help_text=_("Obligatoire pour un refus."),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
