"""The pages of the editor edited by one plain form: the company and reference date, the
scope, the commitments."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext_lazy as _

from rcf.certification.editor.base import FormSection
from rcf.certification.editor.layout import SECTION_TITLES
from rcf.certification.forms.dossier import ApplicantForm, CommitmentsForm, ScopeForm


class ApplicantSection(FormSection):
    slug = "entreprise"
    title = SECTION_TITLES["entreprise"]
    intro = _(
        "Le SIREN est celui de votre organisation : il ne se modifie pas. La date de référence "
        "est celle à laquelle la déclaration décrit votre relation client à distance."
    )
    keys = ("format", "reference_date", "applicant")
    form_class = ApplicantForm

    def initial(self) -> dict[str, Any]:
        applicant = self.declaration.get("applicant", {})
        return {
            "name": applicant.get("name", ""),
            "brands": "\n".join(applicant.get("brands", [])),
            "reference_date": self.declaration.get("reference_date", ""),
        }

    def apply(self, cleaned: dict[str, Any]) -> None:
        applicant = self.declaration["applicant"]
        applicant["name"] = cleaned["name"]
        applicant["brands"] = [b.strip() for b in cleaned["brands"].splitlines() if b.strip()]
        self.declaration["reference_date"] = cleaned["reference_date"]

    def field_for(self, segments: list[str]) -> str | None:
        if segments[:1] == ["reference_date"]:
            return "reference_date"
        if segments[:2] in (["applicant", "name"], ["applicant", "brands"]):
            return segments[1]
        return None


class ScopeSection(FormSection):
    slug = "perimetre"
    title = SECTION_TITLES["perimetre"]
    intro = _(
        "Pour chaque canal, activité et phase de la relation client à distance, dites si "
        "l'entreprise la réalise (elle-même ou par ses sous-traitants). Chaque élément réalisé "
        "doit être couvert par au moins un site."
    )
    keys = ("scope",)
    form_class = ScopeForm

    def initial(self) -> dict[str, Any]:
        scope = self.declaration.get("scope", {})
        return {
            f"{dimension}__{item}": value
            for dimension, statuses in scope.items()
            for item, value in statuses.items()
        }

    def form_kwargs(self) -> dict[str, Any]:
        return {"scheme": self.scheme}

    def apply(self, cleaned: dict[str, Any]) -> None:
        scheme = self.scheme
        self.declaration["scope"] = {
            dimension: {
                item: cleaned[f"{dimension}__{item}"]
                for item in scheme.enumerations[dimension]
                if cleaned[f"{dimension}__{item}"]
            }
            for dimension in scheme.scope_dimensions
        }

    def field_for(self, segments: list[str]) -> str | None:
        if len(segments) >= 3 and f"{segments[1]}__{segments[2]}" in self.form.fields:
            return f"{segments[1]}__{segments[2]}"
        return None


class CommitmentsSection(FormSection):
    slug = "engagements"
    title = SECTION_TITLES["engagements"]
    intro = _("Les deux engagements sont exigés par le référentiel (RCF-08).")
    keys = ("commitments",)
    form_class = CommitmentsForm

    def initial(self) -> dict[str, Any]:
        return dict(self.declaration.get("commitments", {}))

    def form_kwargs(self) -> dict[str, Any]:
        return {"scheme": self.scheme}

    def apply(self, cleaned: dict[str, Any]) -> None:
        self.declaration["commitments"] = {
            key: bool(cleaned[key]) for key in self.scheme.commitments
        }

    def field_for(self, segments: list[str]) -> str | None:
        if len(segments) >= 2 and segments[1] in self.form.fields:
            return segments[1]
        return None
