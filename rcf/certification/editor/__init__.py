"""The declaration editor: one page per section of a ``rcf-declaration/1``, usable without
JavaScript.

Each section shows the stored declaration's part in forms (rows of operators, sites and
workforce as a formset with an « add a row » submit button and a « remove » checkbox per row),
rebuilds the *whole* document with that part replaced, and hands it to
``application_update_declaration``, which validates and evaluates it. Nothing here judges the
declaration: the service's errors (JSON Pointers) are put back next to the fields they concern,
and those about another section link to it.

* :mod:`.layout` — which page holds what, and where a pointer or a pre-check finding lands;
* :mod:`.base` — what every page does (:class:`Section`, :class:`FormSection`);
* :mod:`.sections` — the pages of one form: company, scope, commitments;
* :mod:`.rows` — the pages of rows: operators, sites, workforce.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from rcf.certification.editor.base import FormSection, Section
from rcf.certification.editor.layout import SECTION_TITLES, Target, finding_targets
from rcf.certification.editor.rows import (
    ContactPointsSection,
    OperatorsSection,
    RowsSection,
    SitesSection,
    WorkforceSection,
)
from rcf.certification.editor.sections import ApplicantSection, CommitmentsSection, ScopeSection
from rcf.referentiel.versions import DECLARATION_FORMAT, load_scheme, scheme_for_declaration

__all__ = [
    "SECTIONS",
    "SECTION_TITLES",
    "FormSection",
    "RowsSection",
    "Section",
    "Target",
    "empty_declaration",
    "finding_targets",
    "sections_for",
]


SECTIONS: dict[str, type[Section]] = {
    section.slug: section
    for section in (
        ApplicantSection,
        ScopeSection,
        OperatorsSection,
        SitesSection,
        WorkforceSection,
        CommitmentsSection,
        ContactPointsSection,
    )
}


def sections_for(declaration: Mapping[str, Any]) -> dict[str, type[Section]]:
    """The editor's pages for a declaration: the contact points page is listed for a version
    that has them (its page still answers for a version 1 draft, to offer the upgrade)."""
    has_contact_points = "contact_points" in scheme_for_declaration(declaration).data
    return {
        slug: section
        for slug, section in SECTIONS.items()
        if has_contact_points or section is not ContactPointsSection
    }


def empty_declaration(siren: str, name: str, reference_date: str, version: str) -> dict[str, Any]:
    """The declaration a new application starts from, in the format of ``version`` (the web
    editor creates dossiers in the version in effect): the company, a date, nothing declared.

    It is valid (the format allows empty lists and an undeclared scope) and the pre-check
    lists everything that is missing, which is the applicant's to-do list.
    """
    scheme = load_scheme(version)
    document = {
        "format": DECLARATION_FORMAT.format(version=version),
        "reference_date": reference_date,
        "applicant": {"siren": siren, "name": name, "brands": []},
        "scope": {dimension: {} for dimension in scheme.scope_dimensions},
        "operators": [],
        "sites": [],
        "workforce": [],
        "commitments": dict.fromkeys(scheme.commitments, False),
    }
    if "contact_points" in scheme.data:
        document["contact_points"] = []
    return document
