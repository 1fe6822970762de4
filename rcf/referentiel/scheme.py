"""Load and validate a version of the scheme from its data file.

The scheme file (``schemes/relation-client-france-v<N>.toml``) holds everything that is a rule
of the référentiel: territories, requirements and their texts, contract kinds, finding codes and
messages, the audit checklist, the sampling factors and the cycle parameters. It is validated
when loaded, so a broken file stops the program at start rather than giving a wrong verdict.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from typing import Any

from rcf.referentiel.messages import render_message, template_problems


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


@dataclass(frozen=True, slots=True)
class Status:
    code: str
    label: str
    severity: int | None
    """Orders the statuses of findings (the worst wins); ``None``: never a finding's status."""


@dataclass(frozen=True, slots=True)
class Verdict:
    code: str
    label: str
    if_any: str | None
    """The verdict applies when some requirement has this status; ``None``: otherwise."""
    explanation: str


@dataclass(frozen=True, slots=True)
class Requirement:
    id: str
    title: str
    text: str


@dataclass(frozen=True, slots=True)
class FindingKind:
    """A finding code of the scheme: its requirement, its status and its French wordings."""

    code: str
    requirement: str
    status: str
    message: str
    variants: dict[str, str]

    def render(self, parameters: dict[str, Any], variant: str | None = None) -> str:
        template = self.message if variant is None else self.variants[variant]
        return render_message(template, parameters)


@dataclass(frozen=True, slots=True)
class ContractKind:
    code: str
    label: str
    finding: str | None
    """The finding a row of this kind gives under French law; ``None``: conforme."""
    temp_work: bool
    """Its employer must be a temp agency located in France."""


@dataclass(frozen=True, slots=True)
class PayrollRules:
    """How DSNs are used as evidence (référentiel §3)."""

    evidence_natures: frozenset[str]
    ignored_types: frozenset[str]
    replacement_types: frozenset[str]
    tolerance_min: int
    tolerance_percent: int

    def is_evidence(self, nature: str, type_: str) -> bool:
        return nature in self.evidence_natures and type_ not in self.ignored_types

    def tolerance(self, payroll: int) -> int:
        """max(tolerance_min, ⌈tolerance_percent % × payroll⌉), in integers (no float error)."""
        return max(self.tolerance_min, -(-payroll * self.tolerance_percent // 100))


@dataclass(frozen=True)
class Scheme:
    """One version of the référentiel, as read from its data file."""

    scheme: str
    version: str
    title: str
    effective_from: dt.date | None
    """The day this version takes effect; ``None``: not yet scheduled (never in effect)."""
    previous_accepted_until: dt.date | None
    """The last day new applications under the previous version are accepted; ``None``: the
    previous version stops when this one takes effect (or there is no previous version)."""
    territories: dict[str, Territory]
    commune_rules: tuple[CommuneRule, ...]
    country_aliases: dict[str, CountryAlias]
    telework_departments: re.Pattern[str]
    statuses: dict[str, Status]
    verdicts: tuple[Verdict, ...]
    enumerations: dict[str, dict[str, str]]
    """Code → French label, for each enumeration of the declaration."""
    scope_dimensions: dict[str, str]
    """The enumerations that make up the scope (``channels`` …) → their French label."""
    performed: str
    """The scope status that says an item is performed."""
    french_law: str
    contract_kinds: dict[str, ContractKind]
    commitments: dict[str, str]
    payroll: PayrollRules
    metric_labels: dict[str, str]
    requirements: tuple[Requirement, ...]
    findings: dict[str, FindingKind]
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


def _optional(table: dict[str, Any], key: str, kind: type, where: str, default: Any) -> Any:
    return _require(table, key, kind, where) if key in table else default


def _only_keys(table: dict[str, Any], allowed: set[str], where: str) -> None:
    # A misspelt key would otherwise be ignored silently and change a verdict.
    unknown = sorted(set(table) - allowed)
    if unknown:
        raise SchemeError(f"{where}: unknown key(s) {', '.join(unknown)}")


def _labels(table: Any, where: str) -> dict[str, str]:
    """A non-empty table of code → non-empty French label."""
    if not isinstance(table, dict) or not table:
        raise SchemeError(f"{where}: must be a non-empty table of code = label")
    for code, label in table.items():
        if not isinstance(label, str) or not label:
            raise SchemeError(f"{where}.{code}: the label must be a non-empty string")
    return dict(table)


def _template(template: str, where: str) -> str:
    problems = template_problems(template)
    if problems:
        raise SchemeError(f"{where}: {'; '.join(problems)}")
    return template


def _unique(codes: list[str], where: str) -> None:
    seen = set()
    for code in codes:
        if code in seen:
            raise SchemeError(f"{where}: {code!r} appears twice")
        seen.add(code)


def _parse_statuses(data: dict[str, Any], source: str) -> dict[str, Status]:
    statuses = {}
    for i, row in enumerate(_require(data, "statuses", list, source)):
        where = f"{source}: statuses[{i}]"
        _only_keys(row, {"code", "label", "severity"}, where)
        code = _require(row, "code", str, where)
        if code in statuses:
            raise SchemeError(f"{where}: status {code!r} appears twice")
        statuses[code] = Status(
            code, _require(row, "label", str, where), _optional(row, "severity", int, where, None)
        )
    return statuses


def _parse_verdicts(
    data: dict[str, Any], statuses: dict[str, Status], source: str
) -> tuple[Verdict, ...]:
    verdicts = []
    rows = _require(data, "verdicts", list, source)
    for i, row in enumerate(rows):
        where = f"{source}: verdicts[{i}]"
        _only_keys(row, {"code", "label", "if_any", "explanation"}, where)
        if_any = _optional(row, "if_any", str, where, None)
        if if_any is not None and if_any not in statuses:
            raise SchemeError(f"{where}: unknown status {if_any!r}")
        if (if_any is None) != (i == len(rows) - 1):
            raise SchemeError(f"{where}: only the last verdict, and it alone, has no 'if_any'")
        verdicts.append(
            Verdict(
                _require(row, "code", str, where),
                _require(row, "label", str, where),
                if_any,
                _require(row, "explanation", str, where),
            )
        )
    _unique([v.code for v in verdicts], f"{source}: verdicts")
    return tuple(verdicts)


def _parse_contracts(
    data: dict[str, Any], findings: dict[str, FindingKind], source: str
) -> tuple[str, dict[str, ContractKind]]:
    table = _require(data, "contracts", dict, source)
    _only_keys(table, {"french_law", "kinds"}, f"{source}: [contracts]")
    kinds = {}
    for code, row in _require(table, "kinds", dict, f"{source}: [contracts]").items():
        where = f"{source}: [contracts.kinds.{code}]"
        _only_keys(row, {"label", "finding", "temp_work"}, where)
        finding = _optional(row, "finding", str, where, None)
        if finding is not None and finding not in findings:
            raise SchemeError(f"{where}: unknown finding {finding!r}")
        kinds[code] = ContractKind(
            code,
            _require(row, "label", str, where),
            finding,
            _optional(row, "temp_work", bool, where, False),
        )
    return _require(table, "french_law", str, f"{source}: [contracts]"), kinds


def _parse_payroll(data: dict[str, Any], source: str) -> PayrollRules:
    where = f"{source}: [payroll]"
    table = _require(data, "payroll", dict, source)
    keys = ["evidence_natures", "ignored_types", "replacement_types"]
    _only_keys(table, {*keys, "tolerance_min", "tolerance_percent"}, where)
    natures, ignored, replacing = (
        frozenset(str(v) for v in _require(table, key, list, where)) for key in keys
    )
    tolerance_min = _require(table, "tolerance_min", int, where)
    tolerance_percent = _require(table, "tolerance_percent", int, where)
    if tolerance_min < 0 or tolerance_percent < 0:
        raise SchemeError(f"{where}: tolerances cannot be negative")
    return PayrollRules(natures, ignored, replacing, tolerance_min, tolerance_percent)


def _parse_requirements(data: dict[str, Any], source: str) -> tuple[Requirement, ...]:
    requirements = []
    for i, row in enumerate(_require(data, "requirements", list, source)):
        where = f"{source}: requirements[{i}]"
        _only_keys(row, {"id", "title", "text"}, where)
        requirements.append(
            Requirement(
                _require(row, "id", str, where),
                _require(row, "title", str, where),
                _require(row, "text", str, where),
            )
        )
    _unique([r.id for r in requirements], f"{source}: requirements")
    return tuple(requirements)


def _parse_findings(
    data: dict[str, Any],
    requirements: tuple[Requirement, ...],
    statuses: dict[str, Status],
    source: str,
) -> dict[str, FindingKind]:
    requirement_ids = {r.id for r in requirements}
    findings = {}
    for code, row in _require(data, "findings", dict, source).items():
        where = f"{source}: [findings.{code}]"
        _only_keys(row, {"requirement", "status", "message", "variants"}, where)
        requirement = _require(row, "requirement", str, where)
        if requirement not in requirement_ids:
            raise SchemeError(f"{where}: unknown requirement {requirement!r}")
        status = _require(row, "status", str, where)
        if status not in statuses or statuses[status].severity is None:
            raise SchemeError(f"{where}: {status!r} is not a status a finding can have")
        variants = {}
        if "variants" in row:
            for name, text in _labels(row["variants"], f"{where}.variants").items():
                variants[name] = _template(text, f"{where}.variants.{name}")
        findings[code] = FindingKind(
            code,
            requirement,
            status,
            _template(_require(row, "message", str, where), where),
            variants,
        )
    return findings


def _optional_day(data: dict[str, Any], key: str, where: str) -> dt.date | None:
    """A TOML local date (``2021-06-01``, unquoted); a string or a date-time is refused, as a
    quoted or timed value would be compared wrongly with the days applications are made."""
    if key not in data:
        return None
    value = data[key]
    if not isinstance(value, dt.date) or isinstance(value, dt.datetime):
        raise SchemeError(f"{where}: {key!r} must be a TOML date (YYYY-MM-DD, without quotes)")
    return value


def _parse_calendar(data: dict[str, Any], source: str) -> tuple[dt.date | None, dt.date | None]:
    effective_from = _optional_day(data, "effective_from", source)
    previous_accepted_until = _optional_day(data, "previous_accepted_until", source)
    if previous_accepted_until is not None:
        if effective_from is None:
            raise SchemeError(f"{source}: 'previous_accepted_until' needs 'effective_from'")
        # The previous version must still be accepted the day before this one starts,
        # or some days would accept no version at all.
        if previous_accepted_until < effective_from - dt.timedelta(days=1):
            raise SchemeError(
                f"{source}: 'previous_accepted_until' ({previous_accepted_until}) leaves days "
                f"before 'effective_from' ({effective_from}) when no version is accepted"
            )
    return effective_from, previous_accepted_until


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

    statuses = _parse_statuses(data, source)
    enumerations = {
        name: _labels(table, f"{source}: [enumerations.{name}]")
        for name, table in _require(data, "enumerations", dict, source).items()
    }
    scope = _require(data, "scope", dict, source)
    _only_keys(scope, {"dimensions", "performed", "labels"}, f"{source}: [scope]")
    scope_labels = _labels(_require(scope, "labels", dict, source), f"{source}: [scope.labels]")
    scope_dimensions = {}
    for name in _require(scope, "dimensions", list, f"{source}: [scope]"):
        if name not in enumerations or name not in scope_labels:
            raise SchemeError(f"{source}: [scope]: {name!r} needs an enumeration and a label")
        scope_dimensions[name] = scope_labels[name]
    performed = _require(scope, "performed", str, f"{source}: [scope]")
    if performed not in enumerations.get("scope_statuses", {}):
        raise SchemeError(f"{source}: [scope]: {performed!r} is not in scope_statuses")
    requirements = _parse_requirements(data, source)
    findings = _parse_findings(data, requirements, statuses, source)
    french_law, contract_kinds = _parse_contracts(data, findings, source)
    effective_from, previous_accepted_until = _parse_calendar(data, source)
    version = _require(data, "version", str, source)
    if not re.fullmatch(r"[1-9][0-9]*", version):
        # Versions are ordered as numbers (and name the declaration format rcf-declaration/N).
        raise SchemeError(f"{source}: 'version' must be a whole number such as \"1\"")

    return Scheme(
        scheme=_require(data, "scheme", str, source),
        version=version,
        title=_require(data, "title", str, source),
        effective_from=effective_from,
        previous_accepted_until=previous_accepted_until,
        territories=territories,
        commune_rules=tuple(rules),
        country_aliases=aliases,
        telework_departments=re.compile(_require(telework, "pattern", str, source)),
        statuses=statuses,
        verdicts=_parse_verdicts(data, statuses, source),
        enumerations=enumerations,
        scope_dimensions=scope_dimensions,
        performed=performed,
        french_law=french_law,
        contract_kinds=contract_kinds,
        commitments=_labels(
            _require(data, "commitments", dict, source), f"{source}: [commitments]"
        ),
        payroll=_parse_payroll(data, source),
        metric_labels=_labels(_require(data, "metrics", dict, source), f"{source}: [metrics]"),
        requirements=requirements,
        findings=findings,
        data=data,
    )


SCHEME_ID = "relation-client-france"
"""The id of the scheme; each version is the data file ``schemes/<id>-v<version>.toml``."""


def scheme_file_name(version: str) -> str:
    return f"{SCHEME_ID}-v{version}.toml"


@functools.cache
def read_scheme(version: str) -> Scheme:
    """The scheme of that version, read and validated once per process from its data file.

    The file must name itself: a copy left under the wrong name would otherwise be evaluated
    as another version.
    """
    name = scheme_file_name(version)
    try:
        text = resources.files("rcf.referentiel").joinpath("schemes", name).read_text("utf-8")
    except FileNotFoundError:
        raise SchemeError(f"no scheme version {version!r} ({name})") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise SchemeError(f"{name}: not valid TOML ({exc})") from None
    scheme = parse_scheme(data, source=name)
    if (scheme.scheme, scheme.version) != (SCHEME_ID, version):
        raise SchemeError(
            f"{name}: declares scheme {scheme.scheme!r} version {scheme.version!r}, "
            f"expected {SCHEME_ID!r} version {version!r}"
        )
    return scheme
