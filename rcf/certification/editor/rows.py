"""The pages of the editor made of rows (operators, sites, workforce), each a formset with an
« add a row » button and a « remove » checkbox per row, usable without JavaScript."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rcf.certification.editor.base import Section
from rcf.certification.editor.layout import ROW_ANCHORS, SECTION_TITLES
from rcf.certification.forms.dossier import (
    APPLICANT,
    Choices,
    ChoicesForm,
    ContactPointForm,
    OperatorForm,
    RowsFormSet,
    SiteForm,
    WorkforceForm,
    blank,
    enumeration,
    integer_or_text,
    put,
    split_list,
)
from rcf.core.pages import SummaryItem, field_anchor
from rcf.referentiel.telephone import PhoneNumberError, parse_phone, telephone_plan
from rcf.referentiel.versions import accepted_until

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label

    from rcf.referentiel.scheme import Scheme


class RowsSection(Section):
    """A section of rows (operators, sites, workforce), edited as a formset."""

    key: ClassVar[str]
    form_class: ClassVar[type[ChoicesForm]]
    row_label: ClassVar[Label]
    add_label: ClassVar[Label]
    references: ClassVar[tuple[tuple[str, str], ...]] = ()
    """Where the ids of these rows are referred to (``("sites", "operator")``): a renamed id
    is renamed there too."""

    def __init__(
        self,
        declaration: Mapping[str, Any],
        data: QueryDict | None = None,
        *,
        add_row: bool = False,
        disabled: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(declaration, data, **kwargs)
        rows = self.declaration.get(self.key, [])
        formset_class = forms.formset_factory(
            self.form_class, formset=RowsFormSet, can_delete=True, extra=0 if rows else 1
        )
        if data is not None and add_row:
            data = data.copy()
            data[f"{self.key}-TOTAL_FORMS"] = str(_count(data, self.key) + 1)
        self.formset = formset_class(
            data,
            initial=[self.row_initial(row) for row in rows],
            prefix=self.key,
            form_kwargs={"choices": self.choices(data), "scheme": self.scheme},
        )
        self.new_row = len(self.formset.forms) - 1 if add_row else None
        if self.new_row is not None and self.new_row >= 0:
            # Without JavaScript, focus goes to the row just added when the page comes back.
            new_form = self.formset.forms[self.new_row]
            first = next(iter(new_form.fields.values()))
            if first.widget.is_hidden:
                first = list(new_form.fields.values())[1]
            first.widget.attrs["autofocus"] = True
        self.disabled = disabled
        if disabled:
            for form in self.formset.forms:
                for field in form.fields.values():
                    field.disabled = True
        self.form_of_row: list[int] = []

    def choices(self, data: QueryDict | None) -> dict[str, Choices]:
        return {}

    def row_initial(self, row: Mapping[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def row_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        raise NotImplementedError

    def field_for(self, segments: list[str]) -> str | None:
        """The field of a row that a pointer below the row names (``["siren"]``)."""
        raise NotImplementedError

    def row_title(self, form_index: int) -> str:
        form = self.formset.forms[form_index]
        value = (
            form.data.get(form.add_prefix("id"), "")
            if form.is_bound
            else form.initial.get("id", "")
        )
        number = form_index + 1
        return f"{self.row_label} {number}" + (f" « {value} »" if value else "")

    def is_valid(self) -> bool:
        return self.formset.is_valid()

    def kept_forms(self) -> list[tuple[int, forms.Form]]:
        kept = []
        for index, form in enumerate(self.formset.forms):
            if form.cleaned_data.get("DELETE"):
                continue
            if index >= self.formset.initial_form_count() and not form.has_changed():
                continue  # an added row left blank
            kept.append((index, form))
        return kept

    def document(self) -> dict[str, Any]:
        rows, renames = [], {}
        self.form_of_row = []
        for index, form in self.kept_forms():
            row = self.row_from(form.cleaned_data)
            original = form.cleaned_data.get("original_id") or ""
            if original and row.get("id") and row["id"] != original:
                renames[original] = row["id"]
            rows.append(row)
            self.form_of_row.append(index)
        self.declaration[self.key] = rows
        for key, field in self.references:
            for row in self.declaration.get(key, []):
                if row.get(field) in renames:
                    row[field] = renames[row[field]]
        return self.declaration

    def place_here(self, segments: list[str], message: str) -> bool:
        if len(segments) < 2 or not segments[1].isdigit():
            return False
        index = int(segments[1])
        if index >= len(self.form_of_row):
            return False
        form = self.formset.forms[self.form_of_row[index]]
        name = self.field_for(segments[2:])
        form.add_error(name if name in form.fields else None, message)
        return True

    def summary(self) -> list[SummaryItem]:
        items = [SummaryItem("#contenu", "", str(m)) for m in self.formset.non_form_errors()]
        anchor = ROW_ANCHORS[self.key]
        for index, form in enumerate(self.formset.forms):
            title = self.row_title(index)
            items += [
                SummaryItem(f"#{anchor}-{index}", title, str(m)) for m in form.non_field_errors()
            ]
            for bound in form:
                items += [
                    SummaryItem(f"#{field_anchor(bound)}", f"{title} — {bound.label}", str(m))
                    for m in bound.errors
                ]
        return items

    def rows(self) -> list[tuple[str, str, forms.Form]]:
        """Each form with the anchor of its row (``operator-0``) and its title."""
        anchor = ROW_ANCHORS[self.key]
        return [
            (f"{anchor}-{i}", self.row_title(i), form) for i, form in enumerate(self.formset.forms)
        ]

    def _ids(self, key: str, data: QueryDict | None) -> Choices:
        """The rows of ``key`` as options: the stored ones, and those typed on this page."""
        options: dict[str, str] = {}
        for row in self.declaration.get(key, []):
            if row.get("id"):
                options[row["id"]] = f"{row['id']} — {row.get('name') or row['id']}"
        if data is not None and key == self.key:
            for i in range(_count(data, key)):
                value = (data.get(f"{key}-{i}-id") or "").strip()
                if value and value not in options:
                    options[value] = f"{value} — {data.get(f'{key}-{i}-name') or value}"
        return list(options.items())


def _count(data: QueryDict, prefix: str) -> int:
    try:
        return min(int(data.get(f"{prefix}-TOTAL_FORMS", "0")), 1000)
    except ValueError:
        return 0


class OperatorsSection(RowsSection):
    slug = "operateurs"
    title = SECTION_TITLES["operateurs"]
    intro = _(
        "Toutes les organisations autres que l'entreprise qui réalisent une partie de la "
        "relation client : sous-traitants à tout niveau et entreprises de travail temporaire. "
        "Renommer un identifiant le renomme aussi dans les sites et les effectifs."
    )
    key = "operators"
    keys = ("operators",)
    form_class = OperatorForm
    row_label = _("Opérateur")
    add_label = _("Ajouter un opérateur")
    references = (("operators", "parent"), ("sites", "operator"), ("workforce", "employer"))

    def choices(self, data: QueryDict | None) -> dict[str, Choices]:
        parents = [(APPLICANT, gettext("L'entreprise candidate")), *self._ids("operators", data)]
        return {
            "role": blank(enumeration(self.scheme, "operator_roles")),
            "parent": blank(parents),
        }

    def row_initial(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {"original_id": row.get("id", ""), **row}

    def row_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": cleaned["id"],
            "role": cleaned["role"],
            "parent": cleaned["parent"],
            "name": cleaned["name"],
            "country": cleaned["country"].upper(),
        }
        put(row, "siren", cleaned["siren"])
        put(row, "foreign_id", cleaned["foreign_id"])
        row["france_clause"] = bool(cleaned["france_clause"])
        put(row, "contract_reference", cleaned["contract_reference"])
        return row

    def field_for(self, segments: list[str]) -> str | None:
        return segments[0] if segments else None


class SitesSection(RowsSection):
    slug = "sites"
    title = SECTION_TITLES["sites"]
    intro = _(
        "Chaque lieu où travaillent des contributeurs : les établissements, et le télétravail "
        "de chaque opérateur (un site par département suffit). Renommer un identifiant le "
        "renomme aussi dans les effectifs."
    )
    key = "sites"
    keys = ("sites",)
    form_class = SiteForm
    row_label = _("Site")
    add_label = _("Ajouter un site")
    references = (("workforce", "site"),)
    LOCATION = ("country", "commune_insee", "department", "postal_code", "city", "address")

    def choices(self, data: QueryDict | None) -> dict[str, Choices]:
        operators = [
            (APPLICANT, gettext("L'entreprise candidate")),
            *self._ids("operators", None),
        ]
        return {"operator": blank(operators), "kind": blank(enumeration(self.scheme, "site_kinds"))}

    def row_initial(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {"original_id": row.get("id", ""), **row, **row.get("location", {})}

    def row_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {
            "id": cleaned["id"],
            "operator": cleaned["operator"],
            "kind": cleaned["kind"],
        }
        put(row, "name", cleaned["name"])
        put(row, "siret", cleaned["siret"])
        location: dict[str, Any] = {"country": cleaned["country"].upper()}
        for key in self.LOCATION[1:]:
            put(location, key, cleaned[key].upper() if key == "department" else cleaned[key])
        row["location"] = location
        for dimension in self.scheme.scope_dimensions:
            row[dimension] = list(cleaned[dimension])
        return row

    def field_for(self, segments: list[str]) -> str | None:
        if not segments:
            return None
        if segments[0] == "location":
            # A contradiction of the whole location is reported on it: show it by the country.
            return segments[1] if len(segments) > 1 else "country"
        return segments[0]

    def place_here(self, segments: list[str], message: str) -> bool:
        """An error of the whole location goes by the field it is about: an unknown commune
        code, or a French establishment without one, by the commune field (not « Pays »)."""
        if segments[2:] == ["location"] and segments[1].isdigit():
            rows = self.declaration.get(self.key, [])
            index = int(segments[1])
            location = rows[index].get("location", {}) if index < len(rows) else {}
            if self._commune_at_fault(
                rows[index] if index < len(rows) else {}, location, self.scheme
            ):
                return super().place_here([*segments, "commune_insee"], message)
        return super().place_here(segments, message)

    @staticmethod
    def _commune_at_fault(
        row: Mapping[str, Any], location: Mapping[str, Any], scheme: Scheme
    ) -> bool:
        from rcf.referentiel.territory import UNKNOWN, classify_commune

        commune = location.get("commune_insee")
        if isinstance(commune, str) and commune:
            return classify_commune(commune, scheme) == UNKNOWN
        return row.get("kind") == "establishment" and location.get("country") == "FR"


class WorkforceSection(RowsSection):
    slug = "effectifs"
    title = SECTION_TITLES["effectifs"]
    intro = _(
        "Une ligne par groupe de contributeurs d'un même site, employeur, contrat et droit du "
        "contrat, en personnes (pas en équivalents temps plein)."
    )
    key = "workforce"
    keys = ("workforce",)
    form_class = WorkforceForm
    row_label = _("Ligne d'effectif")
    add_label = _("Ajouter une ligne d'effectif")

    def choices(self, data: QueryDict | None) -> dict[str, Choices]:
        employers = [
            (APPLICANT, gettext("L'entreprise candidate")),
            *self._ids("operators", None),
        ]
        contracts = [(code, kind.label) for code, kind in self.scheme.contract_kinds.items()]
        return {
            "site": blank(self._ids("sites", None)),
            "employer": blank(employers),
            "contract": blank(contracts),
            "function": blank(enumeration(self.scheme, "functions"), _("— non précisée —")),
        }

    def row_initial(self, row: Mapping[str, Any]) -> dict[str, Any]:
        return {**row, "headcount": str(row.get("headcount", ""))}

    def row_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        row: dict[str, Any] = {
            "site": cleaned["site"],
            "employer": cleaned["employer"],
            "contract": cleaned["contract"],
            "contract_law": cleaned["contract_law"].upper(),
            "headcount": integer_or_text(cleaned["headcount"]),
        }
        put(row, "function", cleaned["function"])
        return row

    def row_title(self, form_index: int) -> str:
        return f"{self.row_label} {form_index + 1}"

    def field_for(self, segments: list[str]) -> str | None:
        return segments[0] if segments else None


class ContactPointsSection(RowsSection):
    """Version 2 only (RCF-09). A version 1 draft shows an offer to upgrade instead."""

    slug = "points-de-contact"
    title = SECTION_TITLES["points-de-contact"]
    intro = _(
        "Les numéros de téléphone, adresses électroniques et adresses de chat, messagerie, "
        "réseaux sociaux ou visioconférence par lesquels les consommateurs joignent votre "
        "relation client, et les sites où chacun est répondu. Un numéro de service client ne "
        "peut pas être surtaxé (Code de la consommation, art. L121-16)."
    )
    key = "contact_points"
    keys = ("contact_points",)
    form_class = ContactPointForm
    row_label = _("Point de contact")
    add_label = _("Ajouter un point de contact")

    @property
    def needs_upgrade(self) -> bool:
        """The declaration's version has no contact points: it must be upgraded first."""
        return "contact_points" not in self.scheme.data

    @property
    def accepted_until(self) -> dt.date | None:
        """The last day new dossiers under the declaration's version are accepted, from the
        scheme calendar (``previous_accepted_until`` of its successor); ``None``: no end set."""
        return accepted_until(self.scheme.version)

    def choices(self, data: QueryDict | None) -> dict[str, Choices]:
        if self.needs_upgrade:
            return {}
        channels = self.scheme.section("contact_points")["channels"]
        labels = self.scheme.enumerations["channels"]
        purposes = self.scheme.section("contact_points")["purposes"]
        return {
            "channel": blank([(code, labels[code]) for code in channels]),
            "purpose": blank(list(purposes.items())),
        }

    def row_initial(self, row: Mapping[str, Any]) -> dict[str, Any]:
        value = row.get("value", "")
        plan = telephone_plan(self.scheme)
        if row.get("channel") == "telephone" and plan is not None and isinstance(value, str):
            try:
                number = parse_phone(value, plan)
                # French numbers as people read them; others with their country code.
                value = number.national if number.french else number.international
            except PhoneNumberError:
                pass  # shown as typed, with its error from the pre-check
        return {
            "original_id": row.get("id", ""),
            **row,
            "value": value,
            "brands": ", ".join(str(b) for b in row.get("brands", [])),
            "sites": ", ".join(str(s) for s in row.get("sites", [])),
        }

    def row_from(self, cleaned: dict[str, Any]) -> dict[str, Any]:
        return {
            "id": cleaned["id"],
            "channel": cleaned["channel"],
            "value": cleaned["value"],
            "purpose": cleaned["purpose"],
            "brands": split_list(cleaned["brands"]),
            "sites": split_list(cleaned["sites"]),
        }

    def field_for(self, segments: list[str]) -> str | None:
        return segments[0] if segments else None
