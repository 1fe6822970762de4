"""What a certificate publicly says it covers, computed from the certified declaration."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NotRequired, TypedDict

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


class ScopeBreakdown(TypedDict):
    """Contributors (headcount of the workforce rows) broken down, for the observatory.

    Each mapping gives a number of people per key. ``departments`` and ``territories`` place a
    row at its site; ``channels`` and ``activities`` count a row under every channel and
    activity of its site (so their sums may exceed ``contributors``); ``employment`` is
    ``in_house`` (employed by the company), ``subcontracted`` or ``temp_work`` (by an operator
    of that role); ``contracts`` is the contract kind of the row (declaration ``contract``).
    """

    departments: dict[str, int]
    territories: dict[str, int]
    channels: dict[str, int]
    activities: dict[str, int]
    employment: dict[str, int]
    contracts: dict[str, int]


class CertificateScope(TypedDict):
    """``Certificate.scope``: what the certificate covers, as published (référentiel §6).

    ``breakdown`` was added later (additively: older certificates may lack it until their
    next decision or the observatory's backfill migration).
    """

    brands: list[str]
    channels: list[str]
    activities: list[str]
    phases: list[str]
    sites: ScopeSites
    operators: int
    contributors: int
    breakdown: NotRequired[ScopeBreakdown]


def _add(counts: dict[str, int], key: str, headcount: int) -> None:
    counts[key] = counts.get(key, 0) + headcount


def scope_breakdown(declaration: Mapping[str, Any]) -> ScopeBreakdown:
    """Where, how and under which contracts the contributors work (see :class:`ScopeBreakdown`).

    Only counts: no site or operator is named. A row whose site is unknown (the declaration
    would not have been certified) is counted under ``""`` where the site is needed.
    """
    scheme = scheme_for_declaration(declaration)
    sites = {site["id"]: site for site in declaration["sites"]}
    roles = {operator["id"]: operator["role"] for operator in declaration.get("operators", [])}
    result: ScopeBreakdown = {
        "departments": {},
        "territories": {},
        "channels": {},
        "activities": {},
        "employment": {},
        "contracts": {},
    }
    for row in declaration["workforce"]:
        headcount = int(row["headcount"])
        site = sites.get(row["site"], {})
        location = site.get("location", {})
        department = site_department(location) if location else None
        _add(result["departments"], department or "", headcount)
        territory = classify_location(
            location.get("country"),
            location.get("commune_insee"),
            location.get("department"),
            scheme=scheme,
        )
        _add(result["territories"], territory, headcount)
        for channel in site.get("channels", []):
            _add(result["channels"], channel, headcount)
        for activity in site.get("activities", []):
            _add(result["activities"], activity, headcount)
        employer = row["employer"]
        kind = (
            "in_house"
            if employer == "applicant"
            else "temp_work"
            if roles.get(employer) == "temp_agency"
            else "subcontracted"
        )
        _add(result["employment"], kind, headcount)
        _add(result["contracts"], str(row["contract"]), headcount)
    return result


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
        "breakdown": scope_breakdown(declaration),
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
