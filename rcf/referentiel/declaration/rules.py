"""The input rules of ``rcf-declaration/<N>`` that a JSON Schema cannot state.

Duplicate ids, references to unknown sites, operators or employers, the reserved id
``applicant``, parent chains that do not end at the applicant, and the coherence of a location
(country against commune or department, a commune for a site in France, a known commune code),
and the characters a name may not hold. Version 2 adds the contact points: unique ids, a value
fit for the channel (a telephone number valid for libphonenumber, an e-mail address, an
``https://`` URL), brands among the applicant's, known sites (``referentiel-v2.md`` §1).

They run on documents that may also be structurally wrong, so every value is checked for its
type before use and a wrong one is skipped: its structural error is already reported.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from rcf.referentiel.characters import forbidden_characters
from rcf.referentiel.declaration.compiler import Errors, Path, shown
from rcf.referentiel.scheme import Scheme
from rcf.referentiel.telephone import PhoneNumberError, TelephonePlan, parse_phone, telephone_plan
from rcf.referentiel.territory import UNKNOWN, classify_commune, location_contradiction

APPLICANT = "applicant"
"""The reserved id of the applicant in ``parent``, ``operator`` and ``employer``."""


def character_problems(value: str) -> list[str]:
    """Every character of ``value`` that a name may not hold, in French, with its position
    (1-based): ``["contient un caractère de contrôle U+0000 en position 3"]``."""
    return [f"contient un {found.describe()}" for found in forbidden_characters(value)]


def _text(value: Any, path: Path, errors: Errors) -> None:
    """Report the forbidden characters of a name at ``path``; a value that is not a string
    has its structural error already."""
    if isinstance(value, str):
        errors.extend((path, problem) for problem in character_problems(value))


def _names(document: dict[str, Any], errors: Errors) -> None:
    """The applicant's name and brands, the names of sites and operators."""
    applicant = document.get("applicant")
    if isinstance(applicant, dict):
        here = ((), "applicant")
        _text(applicant.get("name"), (here, "name"), errors)
        brands = applicant.get("brands")
        if isinstance(brands, list):
            for i, brand in enumerate(brands):
                _text(brand, ((here, "brands"), i), errors)
    for table in ("sites", "operators"):
        for i, row in _objects(document, table) or ():
            _text(row.get("name"), ((((), table), i), "name"), errors)


def _objects(document: dict[str, Any], name: str) -> list[tuple[int, dict[str, Any]]] | None:
    """The entries of a top-level array that are objects, with their index; ``None`` when
    the array itself is missing or not an array (references to it cannot be judged)."""
    rows = document.get(name)
    if not isinstance(rows, list):
        return None
    return [(i, row) for i, row in enumerate(rows) if isinstance(row, dict)]


def _ids(rows: list[tuple[int, dict[str, Any]]], name: str, errors: Errors) -> dict[str, int]:
    """Id → index of its first use; reports later uses as duplicates."""
    first: dict[str, int] = {}
    for i, row in rows:
        ident = row.get("id")
        if not isinstance(ident, str):
            continue
        if ident in first:
            errors.append(
                (
                    ((((), name), i), "id"),
                    f"identifiant {shown(ident)} déjà utilisé par /{name}/{first[ident]}",
                )
            )
        else:
            first[ident] = i
    return first


def _reference(
    row: dict[str, Any],
    key: str,
    known: dict[str, int] | None,
    what: str,
    path: Path,
    errors: Errors,
) -> None:
    value = row.get(key)
    if known is not None and isinstance(value, str) and value not in known:
        errors.append(((path, key), f"{what} inconnu {shown(value)}"))


def _parent_chains(
    operators: list[tuple[int, dict[str, Any]]], ids: dict[str, int], errors: Errors
) -> None:
    """Every operator's chain of parents must reach ``applicant`` without a cycle."""
    parent_of = {}
    for i, row in operators:
        ident, parent = row.get("id"), row.get("parent")
        if isinstance(ident, str) and ids.get(ident) == i and isinstance(parent, str):
            parent_of[ident] = parent
    reaching = {APPLICANT}
    for i, row in operators:
        ident = row.get("id")
        if ident not in parent_of or ids.get(ident) != i:
            continue
        chain = [ident]
        while chain[-1] in parent_of and chain[-1] not in reaching:
            chain.append(parent_of[chain[-1]])
            if chain[-1] in chain[:-1]:
                errors.append(
                    (
                        ((((), "operators"), i), "parent"),
                        "la chaîne des donneurs d'ordre ne remonte pas jusqu'à « applicant » : "
                        f"elle boucle ({' → '.join(chain)})",
                    )
                )
                break
        else:
            if chain[-1] in reaching:
                reaching.update(chain)
            # otherwise the chain ends at an unknown parent, reported as such


def _location(
    site: dict[str, Any], path: Path, errors: Errors, scheme: Scheme, shapes: Shapes
) -> None:
    location = site.get("location")
    country = location.get("country") if isinstance(location, dict) else None
    # A country of the wrong type (a list, an object) is a schema error already: not hashable.
    if not isinstance(location, dict) or not isinstance(country, str):
        return
    if country not in shapes.countries:
        return
    kind = site.get("kind")
    path = (path, "location")
    commune = location.get("commune_insee")
    department = location.get("department")
    commune = commune if isinstance(commune, str) else None
    department = department if isinstance(department, str) else None
    if department is not None and kind == "establishment":
        errors.append(
            (
                path,
                "« department » ne s'emploie que pour un site de télétravail ; un "
                "établissement donne son code commune INSEE « commune_insee »",
            )
        )
    if "commune_insee" not in location and country == "FR":
        if kind == "telework" and "department" not in location:
            errors.append(
                (
                    path,
                    "un site de télétravail en France (pays FR) doit indiquer son code "
                    "commune INSEE « commune_insee » ou son département « department »",
                )
            )
        elif kind == "establishment":
            errors.append(
                (
                    path,
                    "un établissement en France (pays FR) doit indiquer son code commune "
                    "INSEE « commune_insee »",
                )
            )
    if commune is not None and classify_commune(commune, scheme) == UNKNOWN:
        # A malformed code has already failed the schema's pattern.
        if shapes.commune.search(commune):
            errors.append(
                (
                    path,
                    f"code commune INSEE inconnu {shown(commune)} : il ne relève d'aucun "
                    "territoire du référentiel (référentiel §1.1)",
                )
            )
        return
    contradiction = location_contradiction(country, commune, department, scheme)
    if contradiction is not None:
        errors.append((path, contradiction))


@dataclass(frozen=True)
class Shapes:
    """What the rules take from the schema, so as not to repeat it."""

    countries: frozenset[str]
    """The accepted country codes: a location with another country is not checked further."""
    commune: re.Pattern[str]
    """The shape of a commune code: a code without it is not checked further."""


def rule_errors(document: Any, errors: Errors, scheme: Scheme, shapes: Shapes) -> None:
    """Append the errors of the rules above."""
    if not isinstance(document, dict):
        return
    _names(document, errors)
    operators = _objects(document, "operators")
    sites = _objects(document, "sites")
    workforce = _objects(document, "workforce")

    organisations: dict[str, int] | None = None
    if operators is not None:
        operator_ids = _ids(operators, "operators", errors)
        for i, row in operators:
            if row.get("id") == APPLICANT:
                errors.append(
                    (
                        ((((), "operators"), i), "id"),
                        "l'identifiant « applicant » est réservé à l'entreprise candidate",
                    )
                )
        operator_ids.pop(APPLICANT, None)
        organisations = {APPLICANT: -1, **operator_ids}
        for i, row in operators:
            path = (((), "operators"), i)
            _reference(row, "parent", organisations, "donneur d'ordre", path, errors)
        _parent_chains(operators, operator_ids, errors)

    site_ids = None
    if sites is not None:
        site_ids = _ids(sites, "sites", errors)
        for i, row in sites:
            path = (((), "sites"), i)
            _reference(row, "operator", organisations, "opérateur", path, errors)
            _location(row, path, errors, scheme, shapes)

    plan = telephone_plan(scheme)
    contact_points = _objects(document, "contact_points")
    if plan is not None and contact_points is not None:
        channels = frozenset(scheme.section("contact_points")["channels"])
        _contact_points(document, contact_points, site_ids, plan, channels, errors)

    # _reference inlined: this loop runs once per workforce row (tens of thousands).
    rows = ((), "workforce")
    for i, row in workforce or ():
        site, employer = row.get("site"), row.get("employer")
        if site_ids is not None and isinstance(site, str) and site not in site_ids:
            errors.append((((rows, i), "site"), f"site inconnu {shown(site)}"))
        if (
            organisations is not None
            and isinstance(employer, str)
            and employer not in organisations
        ):
            errors.append((((rows, i), "employer"), f"employeur inconnu {shown(employer)}"))


_EMAIL = re.compile(r"[^@\s]+@[^@\s.]+(?:\.[^@\s.]+)+")
"""An e-mail address as a person writes one: something, ``@``, a domain with a dot; whether
the mailbox exists is the auditor's test message (RCF-A6), not a syntax question."""


def _value_error(channel: str, value: str, plan: TelephonePlan) -> str | None:
    """Why the value does not fit the channel, or ``None``."""
    if channel == "telephone":
        try:
            parse_phone(value, plan)
        except PhoneNumberError as exc:
            return exc.message
        return None
    if channel == "email":
        if _EMAIL.fullmatch(value):
            return None
        return f"adresse électronique attendue (nom@domaine.fr), et non {shown(value)}"
    parts = urlsplit(value)
    if parts.scheme == "https" and parts.hostname and not any(c.isspace() for c in value):
        return None
    return f"adresse absolue en « https:// » attendue, et non {shown(value)}"


def _contact_points(
    document: dict[str, Any],
    contact_points: list[tuple[int, dict[str, Any]]],
    site_ids: dict[str, int] | None,
    plan: TelephonePlan,
    channels: frozenset[str],
    errors: Errors,
) -> None:
    _ids(contact_points, "contact_points", errors)
    applicant = document.get("applicant")
    brands = applicant.get("brands") if isinstance(applicant, dict) else None
    known_brands = {b for b in brands if isinstance(b, str)} if isinstance(brands, list) else None
    for i, row in contact_points:
        path = (((), "contact_points"), i)
        channel, value = row.get("channel"), row.get("value")
        # A channel outside the enumeration or an empty value is a schema error already.
        if isinstance(channel, str) and channel in channels and isinstance(value, str) and value:
            problem = _value_error(channel, value, plan)
            if problem is not None:
                errors.append(((path, "value"), problem))
        listed = row.get("brands")
        if known_brands is not None and isinstance(listed, list):
            for j, brand in enumerate(listed):
                if isinstance(brand, str) and brand and brand not in known_brands:
                    errors.append(
                        (
                            ((path, "brands"), j),
                            f"marque inconnue {shown(brand)} : elle doit figurer dans "
                            "/applicant/brands",
                        )
                    )
        sites = row.get("sites")
        if site_ids is not None and isinstance(sites, list):
            for j, site in enumerate(sites):
                if isinstance(site, str) and site and site not in site_ids:
                    errors.append((((path, "sites"), j), f"site inconnu {shown(site)}"))
