"""The declaration editor: one page per section of a ``rcf-declaration/1``, usable without
JavaScript.

Each section shows the stored declaration's part in forms (rows of operators, sites and
workforce as a formset with an « add a row » submit button and a « remove » checkbox per row),
rebuilds the *whole* document with that part replaced, and hands it to
``application_update_declaration``, which validates and evaluates it. Nothing here judges the
declaration: the service's errors (JSON Pointers) are put back next to the fields they concern,
and those about another section link to it.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rcf.certification.forms.dossier import (
    APPLICANT,
    ApplicantForm,
    Choices,
    ChoicesForm,
    CommitmentsForm,
    OperatorForm,
    RowsFormSet,
    ScopeForm,
    SiteForm,
    WorkforceForm,
    blank,
    enumeration,
    integer_or_text,
    put,
)
from rcf.core.errors import InputError
from rcf.core.pages import SummaryItem, field_anchor
from rcf.referentiel.scheme import load_scheme

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label

# --- sections ------------------------------------------------------------------------------

KEY_SECTION = {
    "format": "entreprise",
    "reference_date": "entreprise",
    "applicant": "entreprise",
    "scope": "perimetre",
    "operators": "operateurs",
    "sites": "sites",
    "workforce": "effectifs",
    "commitments": "engagements",
}
ROW_ANCHORS = {"operators": "operator", "sites": "site", "workforce": "workforce"}


def split_pointer(pointer: str) -> list[str]:
    if not pointer:
        return []
    return [s.replace("~1", "/").replace("~0", "~") for s in pointer.lstrip("/").split("/")]


def pointer_anchor(pointer: str) -> str:
    """The anchor of the row a pointer names on its section page (``#site-3``), if any."""
    segments = split_pointer(pointer)
    if len(segments) >= 2 and segments[0] in ROW_ANCHORS and segments[1].isdigit():
        return f"#{ROW_ANCHORS[segments[0]]}-{segments[1]}"
    return ""


class Section:
    """One page of the editor."""

    do_not_call_in_templates = True  # templates list the section classes by their title
    slug: ClassVar[str]
    title: ClassVar[Label]
    intro: ClassVar[Label] = ""
    keys: ClassVar[tuple[str, ...]]

    def __init__(
        self,
        declaration: Mapping[str, Any],
        data: QueryDict | None = None,
        *,
        section_url: Callable[[str], str],
        add_row: bool = False,
        disabled: bool = False,
    ) -> None:
        self.declaration = copy.deepcopy(dict(declaration))
        self.section_url = section_url
        self.elsewhere: list[SummaryItem] = []
        self.page_errors: list[str] = []

    def is_valid(self) -> bool:
        raise NotImplementedError

    def document(self) -> dict[str, Any]:
        """The whole declaration with this section replaced (after :meth:`is_valid`)."""
        raise NotImplementedError

    def place(self, errors: Iterable[InputError]) -> None:
        """Put each of the service's errors on its field, or link to where it belongs."""
        for error in errors:
            segments = split_pointer(error.pointer)
            if segments and segments[0] not in self.keys:
                slug = KEY_SECTION.get(segments[0], self.slug)
                self.elsewhere.append(
                    SummaryItem(
                        self.section_url(slug) + pointer_anchor(error.pointer),
                        f"{SECTION_TITLES[slug]} ({error.pointer})",
                        error.message,
                    )
                )
            elif not self.place_here(segments, error.message):
                self.page_errors.append(
                    f"{error.pointer}: {error.message}" if error.pointer else error.message
                )

    def place_here(self, segments: list[str], message: str) -> bool:
        raise NotImplementedError

    def summary(self) -> list[SummaryItem]:
        raise NotImplementedError

    def all_errors(self) -> list[SummaryItem]:
        page = [SummaryItem("#contenu", "", message) for message in self.page_errors]
        return page + self.summary() + self.elsewhere


class FormSection(Section):
    """A section edited by one plain form."""

    form_class: ClassVar[type[forms.Form]]

    def __init__(
        self,
        declaration: Mapping[str, Any],
        data: QueryDict | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(declaration, data, **kwargs)
        self.form = self.form_class(data, initial=self.initial())
        if kwargs.get("disabled"):
            for field in self.form.fields.values():
                field.disabled = True

    def initial(self) -> dict[str, Any]:
        raise NotImplementedError

    def apply(self, cleaned: dict[str, Any]) -> None:
        raise NotImplementedError

    def field_for(self, segments: list[str]) -> str | None:
        raise NotImplementedError

    def is_valid(self) -> bool:
        return self.form.is_valid()

    def document(self) -> dict[str, Any]:
        self.apply(self.form.cleaned_data)
        return self.declaration

    def place_here(self, segments: list[str], message: str) -> bool:
        name = self.field_for(segments)
        if name is None:
            return False
        self.form.add_error(name, message)
        return True

    def summary(self) -> list[SummaryItem]:
        items = [SummaryItem("#contenu", "", str(m)) for m in self.form.non_field_errors()]
        for bound in self.form:
            items += [
                SummaryItem(f"#{field_anchor(bound)}", str(bound.label), str(m))
                for m in bound.errors
            ]
        return items


class ApplicantSection(FormSection):
    slug = "entreprise"
    title = _("Entreprise et date de référence")
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
    title = _("Périmètre")
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

    def apply(self, cleaned: dict[str, Any]) -> None:
        scheme = load_scheme()
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
    title = _("Engagements")
    intro = _("Les deux engagements sont exigés par le référentiel (RCF-08).")
    keys = ("commitments",)
    form_class = CommitmentsForm

    def initial(self) -> dict[str, Any]:
        return dict(self.declaration.get("commitments", {}))

    def apply(self, cleaned: dict[str, Any]) -> None:
        self.declaration["commitments"] = {
            key: bool(cleaned[key]) for key in load_scheme().commitments
        }

    def field_for(self, segments: list[str]) -> str | None:
        if len(segments) >= 2 and segments[1] in self.form.fields:
            return segments[1]
        return None


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
            form_kwargs={"choices": self.choices(data)},
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
    title = _("Opérateurs : sous-traitants et intérim")
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
            "role": blank(enumeration("operator_roles")),
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
    title = _("Sites")
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
        return {"operator": blank(operators), "kind": blank(enumeration("site_kinds"))}

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
        for dimension in load_scheme().scope_dimensions:
            row[dimension] = list(cleaned[dimension])
        return row

    def field_for(self, segments: list[str]) -> str | None:
        if not segments:
            return None
        if segments[0] == "location":
            # A contradiction of the whole location is reported on it: show it by the country.
            return segments[1] if len(segments) > 1 else "country"
        return segments[0]


class WorkforceSection(RowsSection):
    slug = "effectifs"
    title = _("Effectifs")
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
        contracts = [(code, kind.label) for code, kind in load_scheme().contract_kinds.items()]
        return {
            "site": blank(self._ids("sites", None)),
            "employer": blank(employers),
            "contract": blank(contracts),
            "function": blank(enumeration("functions"), _("— non précisée —")),
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


SECTIONS: dict[str, type[Section]] = {
    section.slug: section
    for section in (
        ApplicantSection,
        ScopeSection,
        OperatorsSection,
        SitesSection,
        WorkforceSection,
        CommitmentsSection,
    )
}
SECTION_TITLES: dict[str, Label] = {slug: section.title for slug, section in SECTIONS.items()}


def empty_declaration(siren: str, name: str, reference_date: str) -> dict[str, Any]:
    """The declaration a new application starts from: the company, a date, nothing declared.

    It is valid (the format allows empty lists and an undeclared scope) and the pre-check
    lists everything that is missing, which is the applicant's to-do list.
    """
    scheme = load_scheme()
    return {
        "format": "rcf-declaration/1",
        "reference_date": reference_date,
        "applicant": {"siren": siren, "name": name, "brands": []},
        "scope": {dimension: {} for dimension in scheme.scope_dimensions},
        "operators": [],
        "sites": [],
        "workforce": [],
        "commitments": dict.fromkeys(scheme.commitments, False),
    }


def finding_targets(declaration: Mapping[str, Any], finding: Mapping[str, Any]) -> list[Target]:
    """Where in the editor a finding of the pre-check can be fixed: the most precise object it
    names — a workforce row, a scope item or commitment, a site, an operator, the company."""
    scheme = load_scheme()
    index_of = {
        key: {row.get("id"): i for i, row in enumerate(declaration.get(key, []))}
        for key in ("operators", "sites")
    }
    dimension, _dot, key = str(finding.get("item", "")).partition(".")
    site, operator = finding.get("site"), finding.get("operator")
    if "workforce_index" in finding:
        n = int(finding["workforce_index"])
        label = gettext("Ligne d'effectif %(n)s") % {"n": n + 1}
        return [Target("effectifs", f"workforce-{n}", label)]
    if dimension == "commitments":
        return [Target("engagements", f"id_{key}", gettext("Engagements"))]
    if dimension in scheme.scope_dimensions:
        item = scheme.enumerations[dimension].get(key, key)
        label = gettext("Périmètre : %(item)s") % {"item": item}
        return [Target("perimetre", f"id_{dimension}__{key}_0", label)]
    if site in index_of["sites"]:
        label = gettext("Site « %(id)s »") % {"id": site}
        return [Target("sites", f"site-{index_of['sites'][site]}", label)]
    if operator == APPLICANT or finding.get("code") in {"not_a_member", "membership_expired"}:
        return [Target("entreprise", "contenu", gettext("Entreprise et date de référence"))]
    if operator in index_of["operators"]:
        label = gettext("Opérateur « %(id)s »") % {"id": operator}
        return [Target("operateurs", f"operator-{index_of['operators'][operator]}", label)]
    if finding.get("code") == "no_contributors":
        return [Target("effectifs", "contenu", gettext("Effectifs"))]
    return []


@dataclass(frozen=True)
class Target:
    """A place of the editor: its section, the anchor on that page, and what to call it."""

    section: str
    anchor: str
    label: str
