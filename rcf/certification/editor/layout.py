"""How a ``rcf-declaration/1`` is laid out over the editor's pages: the page of each top-level
key, each page's title, the anchors of rows, and where a JSON Pointer or a pre-check finding
lands (so an error or a finding links to the place where it can be fixed)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _

from rcf.certification.forms.dossier import APPLICANT
from rcf.referentiel.versions import scheme_for_declaration

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise as Label

SECTION_TITLES: dict[str, Label] = {
    "entreprise": _("Entreprise et date de référence"),
    "perimetre": _("Périmètre"),
    "operateurs": _("Opérateurs : sous-traitants et intérim"),
    "sites": _("Sites"),
    "effectifs": _("Effectifs"),
    "engagements": _("Engagements"),
    "points-de-contact": _("Points de contact"),
}
"""The title of each page of the editor, by its slug (links between pages use them)."""


KEY_SECTION = {
    "format": "entreprise",
    "reference_date": "entreprise",
    "applicant": "entreprise",
    "scope": "perimetre",
    "operators": "operateurs",
    "sites": "sites",
    "workforce": "effectifs",
    "commitments": "engagements",
    "contact_points": "points-de-contact",
}


ROW_ANCHORS = {
    "operators": "operator",
    "sites": "site",
    "workforce": "workforce",
    "contact_points": "contact-point",
}


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


def finding_targets(declaration: Mapping[str, Any], finding: Mapping[str, Any]) -> list[Target]:
    """Where in the editor a finding of the pre-check can be fixed: the most precise object it
    names — a workforce row, a scope item or commitment, a site, an operator, the company."""
    scheme = scheme_for_declaration(declaration).in_language(get_language())
    index_of = {
        key: {row.get("id"): i for i, row in enumerate(declaration.get(key, []))}
        for key in ("operators", "sites", "contact_points")
    }
    dimension, _dot, key = str(finding.get("item", "")).partition(".")
    site, operator = finding.get("site"), finding.get("operator")
    contact_point = finding.get("contact_point")
    if contact_point in index_of["contact_points"]:
        label = gettext("Point de contact « %(id)s »") % {"id": contact_point}
        n = index_of["contact_points"][contact_point]
        return [Target("points-de-contact", f"contact-point-{n}", label)]
    if finding.get("code") == "channel_without_contact_point":
        return [Target("points-de-contact", "contenu", gettext("Points de contact"))]
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
