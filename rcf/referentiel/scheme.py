"""Load and validate a version of the scheme from its data file.

The scheme file (``schemes/relation-client-france-v<N>.toml``) holds everything that is a rule
of the référentiel: territories, requirements and their texts, contract kinds, finding codes and
messages, the audit checklist, the sampling factors and the cycle parameters. It is validated
when loaded, so a broken file stops the program at start rather than giving a wrong verdict.

Its texts are French, each with its English beside it (``title`` and ``title_en``, ``[metrics]``
and ``[metrics_en]`` …). The loader refuses a French text without its English. The French
scheme is what the engine and the published formats use; :meth:`Scheme.in_language` gives the
same scheme with its English texts, for the pages under ``/en/``.
"""

from __future__ import annotations

import datetime as dt
import functools
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from importlib import resources
from typing import Any

from rcf.referentiel.messages import render_message, template_fields, template_problems

TRANSLATIONS = ("en",)
LANGUAGES = ("fr", *TRANSLATIONS)
"""The languages every French text of a scheme file must also be written in (``<key>_en``)."""


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
    language: str = "fr"
    """The language of ``message`` and ``variants`` (its plural rule)."""

    def template(self, variant: str | None = None) -> str:
        return self.message if variant is None else self.variants[variant]

    def render(self, parameters: Mapping[str, Any], variant: str | None = None) -> str:
        return render_message(self.template(variant), parameters, self.language)


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
    checklist: dict[str, str] = field(default_factory=dict)
    """The audit checklist: item id (``RCF-A1`` …) → its text."""
    language: str = "fr"
    """The language of every text above (the French scheme is the one of the formats)."""
    translations: dict[str, Scheme] = field(default_factory=dict, repr=False, compare=False)
    """The same scheme in the other languages, filled in by :func:`parse_scheme`."""

    def in_language(self, language: str | None) -> Scheme:
        """This scheme with its texts in ``language`` (``en``…); French for any language the
        file has no texts for. Rules and codes are the same objects."""
        if not language or language == self.language:
            return self
        return self.translations.get(language, self.translations.get("fr", self))

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


def _translated(table: dict[str, Any], key: str, where: str) -> dict[str, str]:
    """The texts of ``key`` in each language of :data:`TRANSLATIONS` (``key_en`` …)."""
    return {
        language: _non_empty(_require(table, f"{key}_{language}", str, where), where, language)
        for language in TRANSLATIONS
    }


def _non_empty(text: str, where: str, key: str) -> str:
    if not text.strip():
        raise SchemeError(f"{where}: {key!r} must not be empty")
    return text


def _labels_like(table: Any, french: dict[str, str], where: str) -> dict[str, str]:
    """The translation of a code = label table: a label for each French code, and no other."""
    if table is None:
        raise SchemeError(f"{where}: missing (the translation of {', '.join(french)})")
    labels = _labels(table, where)
    missing = sorted(set(french) - set(labels))
    extra = sorted(set(labels) - set(french))
    if missing or extra:
        raise SchemeError(
            f"{where}: must have the codes of the French table"
            + (f"; missing {', '.join(missing)}" if missing else "")
            + (f"; unknown {', '.join(extra)}" if extra else "")
        )
    return {code: labels[code] for code in french}


def _translated_labels(
    data: dict[str, Any], name: str, french: dict[str, str], where: str, end: str = ""
) -> dict[str, dict[str, str]]:
    """The ``[<name>_<language>]`` tables of the code = label table ``[<name>]`` (located as
    ``where`` + ``_en`` + ``end``)."""
    return {
        language: _labels_like(data.get(f"{name}_{language}"), french, f"{where}_{language}{end}")
        for language in TRANSLATIONS
    }


def _same_parameters(french: str, translation: str, where: str) -> None:
    """A translated message is re-rendered with the French message's parameters: it must use
    the same ones, with a plural form where the French has one."""
    ours, theirs = template_fields(french), template_fields(translation)
    if set(ours) != set(theirs) or any(bool(ours[n]) != bool(theirs[n]) for n in ours):
        raise SchemeError(
            f"{where}: must use the parameters of the French message "
            f"({', '.join(sorted(ours)) or 'none'})"
        )


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


def _texts(table: dict[str, Any], key: str, where: str) -> dict[str, str]:
    """The French text of ``key`` and its translations, by language (``fr``, ``en`` …)."""
    return {"fr": _require(table, key, str, where), **_translated(table, key, where)}


def _text_keys(*keys: str) -> set[str]:
    return {*keys, *(f"{key}_{language}" for key in keys for language in TRANSLATIONS)}


def _parse_statuses(data: dict[str, Any], source: str) -> dict[str, dict[str, Status]]:
    statuses: dict[str, dict[str, Status]] = {language: {} for language in LANGUAGES}
    for i, row in enumerate(_require(data, "statuses", list, source)):
        where = f"{source}: statuses[{i}]"
        _only_keys(row, {"code", "severity", *_text_keys("label")}, where)
        code = _require(row, "code", str, where)
        if code in statuses["fr"]:
            raise SchemeError(f"{where}: status {code!r} appears twice")
        severity = _optional(row, "severity", int, where, None)
        for language, label in _texts(row, "label", where).items():
            statuses[language][code] = Status(code, label, severity)
    return statuses


def _parse_verdicts(
    data: dict[str, Any], statuses: dict[str, Status], source: str
) -> dict[str, tuple[Verdict, ...]]:
    verdicts: dict[str, list[Verdict]] = {language: [] for language in LANGUAGES}
    rows = _require(data, "verdicts", list, source)
    for i, row in enumerate(rows):
        where = f"{source}: verdicts[{i}]"
        _only_keys(row, {"code", "if_any", *_text_keys("label", "explanation")}, where)
        if_any = _optional(row, "if_any", str, where, None)
        if if_any is not None and if_any not in statuses:
            raise SchemeError(f"{where}: unknown status {if_any!r}")
        if (if_any is None) != (i == len(rows) - 1):
            raise SchemeError(f"{where}: only the last verdict, and it alone, has no 'if_any'")
        code = _require(row, "code", str, where)
        labels = _texts(row, "label", where)
        explanations = _texts(row, "explanation", where)
        for language in LANGUAGES:
            verdicts[language].append(
                Verdict(code, labels[language], if_any, explanations[language])
            )
    _unique([v.code for v in verdicts["fr"]], f"{source}: verdicts")
    return {language: tuple(rows) for language, rows in verdicts.items()}


def _parse_contracts(
    data: dict[str, Any], findings: dict[str, FindingKind], source: str
) -> tuple[str, dict[str, dict[str, ContractKind]]]:
    table = _require(data, "contracts", dict, source)
    _only_keys(table, {"french_law", "kinds"}, f"{source}: [contracts]")
    kinds: dict[str, dict[str, ContractKind]] = {language: {} for language in LANGUAGES}
    for code, row in _require(table, "kinds", dict, f"{source}: [contracts]").items():
        where = f"{source}: [contracts.kinds.{code}]"
        _only_keys(row, {"finding", "temp_work", *_text_keys("label")}, where)
        finding = _optional(row, "finding", str, where, None)
        if finding is not None and finding not in findings:
            raise SchemeError(f"{where}: unknown finding {finding!r}")
        temp_work = _optional(row, "temp_work", bool, where, False)
        for language, label in _texts(row, "label", where).items():
            kinds[language][code] = ContractKind(code, label, finding, temp_work)
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


def _parse_requirements(data: dict[str, Any], source: str) -> dict[str, tuple[Requirement, ...]]:
    requirements: dict[str, list[Requirement]] = {language: [] for language in LANGUAGES}
    for i, row in enumerate(_require(data, "requirements", list, source)):
        where = f"{source}: requirements[{i}]"
        _only_keys(row, {"id", *_text_keys("title", "text")}, where)
        rid = _require(row, "id", str, where)
        titles, texts = _texts(row, "title", where), _texts(row, "text", where)
        for language in LANGUAGES:
            requirements[language].append(Requirement(rid, titles[language], texts[language]))
    _unique([r.id for r in requirements["fr"]], f"{source}: requirements")
    return {language: tuple(rows) for language, rows in requirements.items()}


def _parse_findings(
    data: dict[str, Any],
    requirements: tuple[Requirement, ...],
    statuses: dict[str, Status],
    source: str,
) -> dict[str, dict[str, FindingKind]]:
    requirement_ids = {r.id for r in requirements}
    findings: dict[str, dict[str, FindingKind]] = {language: {} for language in LANGUAGES}
    for code, row in _require(data, "findings", dict, source).items():
        where = f"{source}: [findings.{code}]"
        _only_keys(row, {"requirement", "status", *_text_keys("message", "variants")}, where)
        requirement = _require(row, "requirement", str, where)
        if requirement not in requirement_ids:
            raise SchemeError(f"{where}: unknown requirement {requirement!r}")
        status = _require(row, "status", str, where)
        if status not in statuses or statuses[status].severity is None:
            raise SchemeError(f"{where}: {status!r} is not a status a finding can have")
        messages = _texts(row, "message", where)
        variants: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
        if "variants" in row:
            for name, text in _labels(row["variants"], f"{where}.variants").items():
                variants["fr"][name] = _template(text, f"{where}.variants.{name}")
            for language, labels in _translated_labels(
                row, "variants", variants["fr"], f"{where}.variants"
            ).items():
                for name, text in labels.items():
                    here = f"{where}.variants_{language}.{name}"
                    _same_parameters(variants["fr"][name], _template(text, here), here)
                    variants[language][name] = text
        else:
            for language in TRANSLATIONS:
                if f"variants_{language}" in row:
                    raise SchemeError(f"{where}: 'variants_{language}' without 'variants'")
        french = _template(messages["fr"], where)
        for language in TRANSLATIONS:
            here = f"{where}: message_{language}"
            _same_parameters(french, _template(messages[language], here), here)
        for language in LANGUAGES:
            findings[language][code] = FindingKind(
                code, requirement, status, messages[language], variants[language], language
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


def _parse_checklist(data: dict[str, Any], source: str) -> dict[str, dict[str, str]]:
    checklist: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for i, row in enumerate(_require(data, "audit_checklist", list, source)):
        where = f"{source}: audit_checklist[{i}]"
        _only_keys(row, {"id", *_text_keys("text")}, where)
        item = _require(row, "id", str, where)
        if item in checklist["fr"]:
            raise SchemeError(f"{where}: {item!r} appears twice")
        for language, text in _texts(row, "text", where).items():
            checklist[language][item] = text
    return checklist


def _labels_in_languages(
    table: dict[str, Any], name: str, source: str, path: str
) -> dict[str, dict[str, str]]:
    """The code = label table ``name`` of ``table`` (at ``[path]`` in the file) and its
    ``[path_en]`` …, by language."""
    french = _labels(_require(table, name, dict, source), f"{source}: [{path}]")
    return {"fr": french, **_translated_labels(table, name, french, f"{source}: [{path}", "]")}


def _data_in_languages(data: dict[str, Any], source: str) -> dict[str, dict[str, Any]]:
    """The whole file as each language reads it: the same, except the labels of the
    ``[contact_points.purposes]`` (version 2 on), which have their ``purposes_en`` …"""
    contact_points = data.get("contact_points")
    if contact_points is None:
        return {language: data for language in LANGUAGES}
    table = _require(data, "contact_points", dict, source)
    purposes = _labels_in_languages(table, "purposes", source, "contact_points.purposes")
    return {
        "fr": data,
        **{
            language: {**data, "contact_points": {**table, "purposes": purposes[language]}}
            for language in TRANSLATIONS
        },
    }


def parse_scheme(data: dict[str, Any], *, source: str = "<scheme>") -> Scheme:
    """Build a :class:`Scheme` from parsed TOML, checking the parts every module relies on.

    The result is the French scheme; its English is ``scheme.in_language("en")``.
    """
    territories: dict[str, dict[str, Territory]] = {language: {} for language in LANGUAGES}
    for i, row in enumerate(_require(data, "territories", list, source)):
        where = f"{source}: territories[{i}]"
        _only_keys(row, {"code", "in_france", *_text_keys("label")}, where)
        code = _require(row, "code", str, where)
        in_france = _require(row, "in_france", bool, where)
        for language, label in _texts(row, "label", where).items():
            territories[language][code] = Territory(code, label, in_france)

    def territory_ref(value: str, where: str) -> str:
        if value not in territories["fr"]:
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
    enumerations: dict[str, dict[str, dict[str, str]]] = {language: {} for language in LANGUAGES}
    french_enumerations = _require(data, "enumerations", dict, source)
    translated_enumerations = {
        language: _require(data, f"enumerations_{language}", dict, source)
        for language in TRANSLATIONS
    }
    for name, table in french_enumerations.items():
        french = _labels(table, f"{source}: [enumerations.{name}]")
        enumerations["fr"][name] = french
        for language, translated in translated_enumerations.items():
            where = f"{source}: [enumerations_{language}.{name}]"
            enumerations[language][name] = _labels_like(translated.get(name), french, where)
    for language, translated in translated_enumerations.items():
        unknown = sorted(set(translated) - set(french_enumerations))
        if unknown:
            raise SchemeError(f"{source}: [enumerations_{language}]: unknown {', '.join(unknown)}")
    scope = _require(data, "scope", dict, source)
    _only_keys(scope, {"dimensions", "performed", *_text_keys("labels")}, f"{source}: [scope]")
    scope_labels = _labels_in_languages(scope, "labels", source, "scope.labels")
    scope_dimensions: dict[str, dict[str, str]] = {language: {} for language in LANGUAGES}
    for name in _require(scope, "dimensions", list, f"{source}: [scope]"):
        if name not in enumerations["fr"] or name not in scope_labels["fr"]:
            raise SchemeError(f"{source}: [scope]: {name!r} needs an enumeration and a label")
        for language in LANGUAGES:
            scope_dimensions[language][name] = scope_labels[language][name]
    performed = _require(scope, "performed", str, f"{source}: [scope]")
    if performed not in enumerations["fr"].get("scope_statuses", {}):
        raise SchemeError(f"{source}: [scope]: {performed!r} is not in scope_statuses")
    requirements = _parse_requirements(data, source)
    findings = _parse_findings(data, requirements["fr"], statuses["fr"], source)
    french_law, contract_kinds = _parse_contracts(data, findings["fr"], source)
    effective_from, previous_accepted_until = _parse_calendar(data, source)
    version = _require(data, "version", str, source)
    if not re.fullmatch(r"[1-9][0-9]*", version):
        # Versions are ordered as numbers (and name the declaration format rcf-declaration/N).
        raise SchemeError(f"{source}: 'version' must be a whole number such as \"1\"")
    commitments = _labels_in_languages(data, "commitments", source, "commitments")
    metric_labels = _labels_in_languages(data, "metrics", source, "metrics")
    verdicts = _parse_verdicts(data, statuses["fr"], source)
    checklist = _parse_checklist(data, source)
    data_in = _data_in_languages(data, source)

    scheme = Scheme(
        scheme=_require(data, "scheme", str, source),
        version=version,
        title=_require(data, "title", str, source),
        effective_from=effective_from,
        previous_accepted_until=previous_accepted_until,
        territories=territories["fr"],
        commune_rules=tuple(rules),
        country_aliases=aliases,
        telework_departments=re.compile(_require(telework, "pattern", str, source)),
        statuses=statuses["fr"],
        verdicts=verdicts["fr"],
        enumerations=enumerations["fr"],
        scope_dimensions=scope_dimensions["fr"],
        performed=performed,
        french_law=french_law,
        contract_kinds=contract_kinds["fr"],
        commitments=commitments["fr"],
        payroll=_parse_payroll(data, source),
        metric_labels=metric_labels["fr"],
        requirements=requirements["fr"],
        findings=findings["fr"],
        data=data,
        checklist=checklist["fr"],
    )
    for language in TRANSLATIONS:
        translation = replace(
            scheme,
            territories=territories[language],
            statuses=statuses[language],
            verdicts=verdicts[language],
            enumerations=enumerations[language],
            scope_dimensions=scope_dimensions[language],
            contract_kinds=contract_kinds[language],
            commitments=commitments[language],
            metric_labels=metric_labels[language],
            requirements=requirements[language],
            findings=findings[language],
            checklist=checklist[language],
            data=data_in[language],
            language=language,
            translations={"fr": scheme},
        )
        scheme.translations[language] = translation
    return scheme


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
