"""What a certificate publicly says it covers, computed from the certified declaration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TypedDict

from rcf.referentiel.telephone import parse_phone, telephone_plan
from rcf.referentiel.territory import classify_location
from rcf.referentiel.versions import scheme_for_declaration


def site_department(location: Mapping[str, Any]) -> str | None:
    """The department code of a site (``59``, ``2A``, ``974``), when the location gives one."""
    if location.get("department"):
        return str(location["department"])
    commune = location.get("commune_insee")
    if not commune:
        return None
    return str(commune[:3] if commune.startswith("97") else commune[:2])


class ScopeSites(TypedDict):
    count: int
    establishments: int
    telework: int
    departments: list[str]
    territories: list[str]


class CertificateScope(TypedDict):
    """``Certificate.scope``: what the certificate covers, as published (référentiel §6)."""

    brands: list[str]
    channels: list[str]
    activities: list[str]
    phases: list[str]
    sites: ScopeSites
    operators: int
    contributors: int


def certificate_scope(declaration: Mapping[str, Any]) -> CertificateScope:
    """The public snapshot of what is certified (référentiel §6).

    Names of sites and of subcontractors are not published: the registry shows how many sites
    there are and in which departments and territories, which is what a consumer checks.
    """
    scheme = scheme_for_declaration(declaration)
    scope = declaration["scope"]
    sites = declaration["sites"]
    departments: set[str] = set()
    territories: set[str] = set()
    for site in sites:
        location = site["location"]
        territories.add(
            classify_location(
                location.get("country"),
                location.get("commune_insee"),
                location.get("department"),
                scheme=scheme,
            )
        )
        department = site_department(location)
        if department:
            departments.add(department)
    return {
        "brands": list(declaration["applicant"].get("brands", [])),
        "channels": [k for k, v in scope["channels"].items() if v == "performed"],
        "activities": [k for k, v in scope["activities"].items() if v == "performed"],
        "phases": [k for k, v in scope["phases"].items() if v == "performed"],
        "sites": {
            "count": len(sites),
            "establishments": sum(1 for s in sites if s["kind"] == "establishment"),
            "telework": sum(1 for s in sites if s["kind"] == "telework"),
            "departments": sorted(departments),
            "territories": sorted(territories),
        },
        "operators": len(declaration.get("operators", [])),
        "contributors": sum(int(row["headcount"]) for row in declaration["workforce"]),
    }


def certified_contact_points(declaration: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The contact points a certificate publishes (referentiel-v2.md §4), in declaration
    order: channel, value (a telephone number in E.164), purpose, brands; ``number`` is the
    E.164 form of a telephone number, empty otherwise. None for a version 1 declaration."""
    plan = telephone_plan(scheme_for_declaration(declaration))
    if plan is None:
        return []
    published = []
    for cp in declaration.get("contact_points", []):
        number = parse_phone(cp["value"], plan).e164 if cp["channel"] == "telephone" else ""
        published.append(
            {
                "channel": cp["channel"],
                "value": number or cp["value"],
                "purpose": cp["purpose"],
                "brands": list(cp["brands"]),
                "number": number,
            }
        )
    return published
