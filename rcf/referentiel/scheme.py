"""Load and validate a version of the scheme from its data file.

The scheme file (``schemes/relation-client-france-v<N>.toml``) holds everything that is a rule
of the référentiel: territories, requirements and their texts, contract kinds, finding codes and
messages, the audit checklist, the sampling factors and the cycle parameters. It is validated
when loaded, so a broken file stops the program at start rather than giving a wrong verdict.
"""

from __future__ import annotations

import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

CURRENT_VERSION = "1"


class SchemeError(ValueError):
    """The scheme data file is missing something or contradicts itself."""


@dataclass(frozen=True, slots=True)
class Territory:
    code: str
    label: str
    in_france: bool


@dataclass(frozen=True, slots=True)
class CommuneRule:
    pattern: re.Pattern[str]
    territory: str
    name: str


@dataclass(frozen=True, slots=True)
class CountryAlias:
    country: str
    territory: str
    name: str
    communes: re.Pattern[str]
    departments: tuple[str, ...]


@dataclass(frozen=True)
class Scheme:
    """One version of the référentiel, as read from its data file."""

    scheme: str
    version: str
    title: str
    territories: dict[str, Territory]
    commune_rules: tuple[CommuneRule, ...]
    country_aliases: dict[str, CountryAlias]
    telework_departments: re.Pattern[str]
    data: dict[str, Any]
    """The whole parsed file, for the sections that other modules read and validate."""

    def section(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError:
            raise SchemeError(f"scheme {self.version}: missing section [{name}]") from None


def _require(table: dict[str, Any], key: str, kind: type, where: str) -> Any:
    if key not in table:
        raise SchemeError(f"{where}: missing key {key!r}")
    value = table[key]
    if not isinstance(value, kind):
        raise SchemeError(f"{where}: {key!r} must be {kind.__name__}")
    return value


def parse_scheme(data: dict[str, Any], *, source: str = "<scheme>") -> Scheme:
    """Build a :class:`Scheme` from parsed TOML, checking the parts every module relies on."""
    territories: dict[str, Territory] = {}
    for i, row in enumerate(_require(data, "territories", list, source)):
        where = f"{source}: territories[{i}]"
        code = _require(row, "code", str, where)
        territories[code] = Territory(
            code, _require(row, "label", str, where), _require(row, "in_france", bool, where)
        )

    def territory_ref(value: str, where: str) -> str:
        if value not in territories:
            raise SchemeError(f"{where}: unknown territory {value!r}")
        return value

    rules = []
    for i, row in enumerate(_require(data, "commune_rules", list, source)):
        where = f"{source}: commune_rules[{i}]"
        rules.append(
            CommuneRule(
                re.compile(_require(row, "pattern", str, where)),
                territory_ref(_require(row, "territory", str, where), where),
                _require(row, "name", str, where),
            )
        )

    aliases: dict[str, CountryAlias] = {}
    for i, row in enumerate(_require(data, "country_aliases", list, source)):
        where = f"{source}: country_aliases[{i}]"
        country = _require(row, "country", str, where)
        aliases[country] = CountryAlias(
            country,
            territory_ref(_require(row, "territory", str, where), where),
            _require(row, "name", str, where),
            re.compile(_require(row, "communes", str, where)),
            tuple(_require(row, "departments", list, where)),
        )

    telework = _require(data, "telework_departments", dict, source)
    return Scheme(
        scheme=_require(data, "scheme", str, source),
        version=_require(data, "version", str, source),
        title=_require(data, "title", str, source),
        territories=territories,
        commune_rules=tuple(rules),
        country_aliases=aliases,
        telework_departments=re.compile(_require(telework, "pattern", str, source)),
        data=data,
    )


@functools.cache
def load_scheme(version: str = CURRENT_VERSION) -> Scheme:
    """The scheme of that version, loaded once per process from the package's data file."""
    name = f"relation-client-france-v{version}.toml"
    try:
        text = resources.files("rcf.referentiel").joinpath("schemes", name).read_text("utf-8")
    except FileNotFoundError:
        raise SchemeError(f"no scheme version {version!r} ({name})") from None
    return parse_scheme(tomllib.loads(text), source=name)
