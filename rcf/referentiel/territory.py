"""Which territory a location is in (référentiel §1.1), the one classification used everywhere.

The declaration's sites, the DSN workplaces and the public registry all go through
:func:`classify_location`, so a commune code can never be "in France" for one and not another.
"""

from __future__ import annotations

from rcf.referentiel.scheme import Scheme

# Every function takes the scheme whose territory table applies: the caller says which version
# it means (the declaration's format, the certificate's version); there is no default.

UNKNOWN = "unknown"
"""Returned when a location gives neither a known alias nor a commune code of the table."""


def classify_commune(commune_insee: str, scheme: Scheme) -> str:
    """The territory of an INSEE commune code, or ``unknown`` when no rule of the table matches."""
    for rule in scheme.commune_rules:
        if rule.pattern.match(commune_insee):
            return rule.territory
    return UNKNOWN


def classify_department(department: str, scheme: Scheme) -> str:
    """The territory of a department code (``59``, ``2A``, ``974``) given by a telework site."""
    if not scheme.telework_departments.match(department):
        return UNKNOWN
    # A department is the first 2 or 3 characters of its communes' codes.
    return classify_commune(department + "001"[: 5 - len(department)], scheme)


def classify_location(
    country: str | None,
    commune_insee: str | None = None,
    department: str | None = None,
    *,
    scheme: Scheme,
) -> str:
    """The territory code of a location.

    ``FR`` is classified by its commune code (or, for telework, its department); an overseas
    alias (``RE``, ``NC`` …) is classified by the alias itself; every other country is
    ``outside``. ``unknown`` means the location does not say enough to decide.
    """
    if not country:
        return UNKNOWN
    alias = scheme.country_aliases.get(country)
    if alias is not None:
        return alias.territory
    if country != "FR":
        return "outside"
    if commune_insee:
        return classify_commune(commune_insee, scheme)
    if department:
        return classify_department(department, scheme)
    return UNKNOWN


def location_contradiction(
    country: str,
    commune_insee: str | None,
    department: str | None,
    scheme: Scheme,
) -> str | None:
    """A French sentence saying why ``country`` and the commune/department contradict each
    other (``RE`` with ``75056``), or ``None`` when they agree. Used by input validation.

    A commune code or a department only make sense in France: with a foreign country (``TN``
    with ``75056``) they contradict it too; and a telework site's department must be the one of
    its commune when it gives both.
    """
    alias = scheme.country_aliases.get(country)
    if alias is None:
        if country != "FR" and (commune_insee is not None or department is not None):
            given = "le code commune INSEE" if commune_insee is not None else "le département"
            return (
                f"le pays {country} n'est pas la France : {given} ne s'emploie qu'avec le pays FR "
                "ou un code d'outre-mer"
            )
        if (
            commune_insee is not None
            and department is not None
            and not commune_insee.startswith(department)
        ):
            return f"le département {department} contredit le code commune INSEE {commune_insee}"
        return None
    if commune_insee is not None and not alias.communes.match(commune_insee):
        return f"le pays {country} ({alias.name}) contredit le code commune INSEE {commune_insee}"
    if department is not None and department not in alias.departments:
        return f"le pays {country} ({alias.name}) contredit le département {department}"
    return None


def country_in_france(country: str, scheme: Scheme) -> bool:
    """Whether an organisation registered in ``country`` is located in France for the label:
    ``FR`` or an overseas alias of a territory in France (``RE``, ``PM`` …, not ``NC``)."""
    if country == "FR":
        return True
    alias = scheme.country_aliases.get(country)
    return alias is not None and is_in_france(alias.territory, scheme)


def is_in_france(territory: str, scheme: Scheme) -> bool:
    """Whether contributors working in that territory work in France for the label."""
    found = scheme.territories.get(territory)
    return found is not None and found.in_france
