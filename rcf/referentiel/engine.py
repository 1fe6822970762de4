"""The pre-check: a declaration and its evidence in, an ``rcf-evaluation/1`` out (référentiel §2–3).

Pure Python and deterministic: the same declaration, memberships and DSN summaries always give
the same evaluation, byte for byte through :func:`dumps_evaluation`. Everything that is a rule of
the scheme (requirements, finding codes, statuses, messages, contract kinds, tolerances) comes
from the scheme file; the code here only knows *how* each requirement is checked.

Findings are listed by requirement, then in the order of the objects of the declaration
(applicant, operators, sites, workforce rows), which is what a reader of the declaration expects.
"""

from __future__ import annotations

import datetime as dt
import json
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, TypeVar, cast

from rcf.referentiel.declaration import APPLICANT, DeclarationError, validate_declaration
from rcf.referentiel.evaluation import (
    EvaluatedApplicant,
    Evaluation,
    Finding,
    Metrics,
    RequirementResult,
)
from rcf.referentiel.evidence import Membership, PayrollDeclaration
from rcf.referentiel.identifiers import siren_is_valid, siret_is_valid
from rcf.referentiel.messages import french_date
from rcf.referentiel.scheme import Scheme, SchemeError
from rcf.referentiel.telephone import parse_phone, telephone_plan
from rcf.referentiel.territory import classify_location, country_in_france, is_in_france
from rcf.referentiel.versions import scheme_for_declaration

__all__ = [
    "FORMAT",
    "CheckRegistry",
    "Declaration",
    "EvaluatedApplicant",
    "Evaluation",
    "Finding",
    "Metrics",
    "RequirementCheck",
    "RequirementResult",
    "check_scheme_fits",
    "checks_for",
    "dumps_evaluation",
    "evaluate_declaration",
    "requirement_check",
]

FORMAT = "rcf-evaluation/1"

OBJECT_KEYS = (
    "contact_point",
    "site",
    "operator",
    "workforce_index",
    "item",
    "siren",
    "siret",
    "headcount",
    "payroll",
    "number",
)
"""The parameters of a finding that are written into it, in this order, before ``message``."""

CONFORME = "conforme"
NON_APPLICABLE = "non_applicable"
SUBCONTRACTOR = "subcontractor"
TEMP_AGENCY = "temp_agency"
ESTABLISHMENT = "establishment"


class Declaration:
    """A valid declaration with the lookups every check needs, computed once."""

    def __init__(self, document: dict[str, Any], scheme: Scheme) -> None:
        self.document = document
        self.scheme = scheme
        self.applicant = document["applicant"]
        self.reference_date = dt.date.fromisoformat(document["reference_date"])
        self.operators: list[dict[str, Any]] = document["operators"]
        self.sites: list[dict[str, Any]] = document["sites"]
        self.workforce: list[dict[str, Any]] = document["workforce"]
        self.contact_points: list[dict[str, Any]] = document.get("contact_points", [])
        self.operator_by_id = {op["id"]: op for op in self.operators}
        self.site_by_id = {site["id"]: site for site in self.sites}
        self.territory = {
            site["id"]: classify_location(
                site["location"]["country"],
                site["location"].get("commune_insee"),
                site["location"].get("department"),
                scheme=scheme,
            )
            for site in self.sites
        }
        self.in_france = {
            site_id: is_in_france(territory, scheme)
            for site_id, territory in self.territory.items()
        }
        # One pass over the rows (tens of thousands), with plain dicts: Counter's += is slower.
        headcounts: dict[str, int] = {}
        rows: dict[str, int] = {}
        accepted: dict[str, int] = {}
        contract_finding = self._contract_finding
        self.row_contract_findings = []
        for row in self.workforce:
            site = row["site"]
            headcount = int(row["headcount"])
            headcounts[site] = headcounts.get(site, 0) + headcount
            rows[site] = rows.get(site, 0) + 1
            found = contract_finding(row)
            if found is None:
                accepted[site] = accepted.get(site, 0) + headcount
            self.row_contract_findings.append(found)
        self.headcount_by_site: Counter[str] = Counter(headcounts)
        self.rows_by_site: Counter[str] = Counter(rows)
        self.accepted_contracts_by_site: Counter[str] = Counter(accepted)
        """Headcount of the rows without an RCF-05 finding, per site (for the metrics)."""

    def siren_of(self, organisation: str) -> str | None:
        if organisation == APPLICANT:
            return str(self.applicant["siren"])
        return self.operator_by_id[organisation].get("siren")

    def _contract_finding(self, row: dict[str, Any]) -> tuple[str, str | None] | None:
        """The RCF-05 finding of a workforce row as (code, variant), or ``None`` if conforme.

        At most one per row: the law first, then the kind of contract.
        """
        if row["contract_law"] != self.scheme.french_law:
            return "foreign_law_contract", None
        kind = self.scheme.contract_kinds[row["contract"]]
        if kind.finding is not None:
            return kind.finding, None
        if kind.temp_work:
            employer = self.operator_by_id.get(row["employer"])
            if employer is None or employer["role"] != TEMP_AGENCY:
                return "temp_agency_outside_france", "not_temp_agency"
            if not country_in_france(employer["country"], self.scheme):
                return "temp_agency_outside_france", None
        return None

    def finding(self, code: str, variant: str | None = None, **parameters: Any) -> Finding:
        """A finding of the scheme with its objects and its French message."""
        kind = self.scheme.findings[code]
        # Built as a plain dict: which object keys it holds depends on the finding.
        finding: dict[str, Any] = {"code": code, "status": kind.status}
        for key in OBJECT_KEYS:
            if parameters.get(key) is not None:
                finding[key] = parameters[key]
        finding["message"] = kind.render(parameters, variant)
        return cast(Finding, finding)


def _location_text(location: dict[str, Any]) -> str:
    """``TN, Tunis`` or ``FR 98818, Nouméa``: enough for a reader to recognise the place."""
    text = location["country"]
    place = location.get("commune_insee") or location.get("department")
    if place:
        text += f" {place}"
    if location.get("city"):
        text += f", {location['city']}"
    return str(text)


# --- The registry of checks ------------------------------------------------------------------

Check = Callable[
    [Declaration, Sequence[Membership], Sequence[PayrollDeclaration]], list[Finding] | None
]
"""How a requirement is checked: its findings, or ``None`` when it does not apply."""
AnyCheck = TypeVar("AnyCheck", bound=Check)


@dataclass(frozen=True, slots=True)
class RequirementCheck:
    """The code that checks one requirement, from one version of the scheme on."""

    requirement: str
    since: int
    """The first scheme version it applies to; it applies to later ones until a newer check
    of the same requirement replaces it."""
    check: Check
    findings: dict[str, frozenset[str]]
    """The finding codes it produces itself → the message variants it uses: a scheme file
    that lacks one is refused before any evaluation (:func:`check_scheme_fits`)."""


class CheckRegistry:
    """The checks of every requirement, each from the scheme version it appeared in."""

    def __init__(self) -> None:
        self._entries: list[RequirementCheck] = []

    def register(
        self, requirement: str, *, findings: Mapping[str, Iterable[str]], since: str = "1"
    ) -> Callable[[AnyCheck], AnyCheck]:
        """A decorator: the function is the check of ``requirement`` for scheme version
        ``since`` and the later ones, until a newer check of the same requirement."""

        def register(check: AnyCheck) -> AnyCheck:
            entry = RequirementCheck(
                requirement,
                int(since),
                check,
                {code: frozenset(variants) for code, variants in findings.items()},
            )
            if any((r.requirement, r.since) == (requirement, entry.since) for r in self._entries):
                raise ValueError(f"{requirement} already has a check since version {since}")
            self._entries.append(entry)
            return check

        return register

    def for_version(self, version: str) -> dict[str, RequirementCheck]:
        """Requirement id → its check under that scheme version: the newest registered for a
        version not after it."""
        chosen: dict[str, RequirementCheck] = {}
        for entry in sorted(self._entries, key=lambda r: r.since):
            if entry.since <= int(version):
                chosen[entry.requirement] = entry
        return dict(sorted(chosen.items()))


REQUIREMENT_CHECKS = CheckRegistry()
"""The engine's checks. A version 2 reuses RCF-01 … RCF-08 as they are and adds its RCF-09 with
``@requirement_check("RCF-09", since="2", findings=…)``."""
requirement_check = REQUIREMENT_CHECKS.register


def checks_for(version: str) -> dict[str, RequirementCheck]:
    """Requirement id → how it is checked under that scheme version."""
    return REQUIREMENT_CHECKS.for_version(version)


# --- RCF-01 ---------------------------------------------------------------------------------


@requirement_check("RCF-01", findings={"not_a_member": (), "membership_expired": ()})
def check_membership(
    declaration: Declaration, memberships: Sequence[Membership], payroll: object
) -> list[Finding]:
    """The applicant's SIREN holds a membership covering the reference date.

    ``membership_expired`` when a membership of the SIREN ended before the reference date;
    ``not_a_member`` when none did (no membership at all, or only ones starting after it: the
    applicant was not a member yet).
    """
    siren = declaration.applicant["siren"]
    own = [m for m in memberships if m.siren == siren]
    day = declaration.reference_date
    parameters = {"siren": siren, "reference_date": french_date(day)}
    if any(m.covers(day) for m in own):
        return []
    if any(m.valid_until is not None and m.valid_until < day for m in own):
        return [declaration.finding("membership_expired", **parameters)]
    return [declaration.finding("not_a_member", **parameters)]


# --- RCF-02 ---------------------------------------------------------------------------------


@requirement_check(
    "RCF-02",
    findings={
        "invalid_siren": ("applicant", "missing"),
        "invalid_siret": ("missing",),
        "siret_operator_mismatch": (),
    },
)
def check_identification(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Valid SIREN for the applicant and every operator in France; valid SIRET, belonging to
    its operator, for every establishment in France."""
    findings = []
    applicant_siren = declaration.applicant["siren"]
    if not siren_is_valid(applicant_siren):
        findings.append(
            declaration.finding(
                "invalid_siren", "applicant", operator=APPLICANT, siren=applicant_siren
            )
        )
    for op in declaration.operators:
        if not country_in_france(op["country"], declaration.scheme):
            continue
        siren = op.get("siren")
        if siren is None:
            findings.append(
                declaration.finding(
                    "invalid_siren", "missing", operator=op["id"], country=op["country"]
                )
            )
        elif not siren_is_valid(siren):
            findings.append(declaration.finding("invalid_siren", operator=op["id"], siren=siren))
    for site in declaration.sites:
        if site["kind"] != ESTABLISHMENT or not declaration.in_france[site["id"]]:
            continue
        siret = site.get("siret")
        operator_siren = declaration.siren_of(site["operator"])
        if siret is None:
            findings.append(
                declaration.finding(
                    "invalid_siret",
                    "missing",
                    site=site["id"],
                    location=_location_text(site["location"]),
                )
            )
        elif not siret_is_valid(siret):
            findings.append(declaration.finding("invalid_siret", site=site["id"], siret=siret))
        elif operator_siren is not None and siret[:9] != operator_siren:
            findings.append(
                declaration.finding(
                    "siret_operator_mismatch",
                    site=site["id"],
                    operator=site["operator"],
                    siren=operator_siren,
                    siret=siret,
                )
            )
    return findings


# --- RCF-03 ---------------------------------------------------------------------------------


@requirement_check(
    "RCF-03",
    findings={
        "scope_item_undeclared": (),
        "scope_item_uncovered": (),
        "operator_without_site": (),
        "site_without_workforce": (),
        "no_contributors": (),
    },
)
def check_scope(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Every scope item declared, every performed one covered by a site; every subcontractor
    has a site, every site a workforce row; somebody contributes."""
    scheme = declaration.scheme
    findings = []
    for dimension in scheme.scope_dimensions:
        statuses = declaration.document["scope"][dimension]
        covered = {item for site in declaration.sites for item in site[dimension]}
        for item, label in scheme.enumerations[dimension].items():
            parameters = {"item": f"{dimension}.{item}", "item_label": label}
            if item not in statuses:
                findings.append(declaration.finding("scope_item_undeclared", **parameters))
            elif statuses[item] == scheme.performed and item not in covered:
                findings.append(declaration.finding("scope_item_uncovered", **parameters))
    operators_with_site = {site["operator"] for site in declaration.sites}
    for op in declaration.operators:
        if op["role"] == SUBCONTRACTOR and op["id"] not in operators_with_site:
            findings.append(
                declaration.finding(
                    "operator_without_site", operator=op["id"], operator_name=op["name"]
                )
            )
    for site in declaration.sites:
        if not declaration.rows_by_site[site["id"]]:
            findings.append(declaration.finding("site_without_workforce", site=site["id"]))
    if sum(declaration.headcount_by_site.values()) == 0:
        findings.append(declaration.finding("no_contributors", headcount=0))
    return findings


# --- RCF-04 ---------------------------------------------------------------------------------


@requirement_check("RCF-04", findings={"site_outside_france": (), "telework_outside_france": ()})
def check_in_france(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Every site that has workforce rows is in France: one finding per site abroad, with the
    headcount of its rows."""
    findings = []
    for site in declaration.sites:
        site_id = site["id"]
        if declaration.in_france[site_id] or not declaration.rows_by_site[site_id]:
            continue
        code = "site_outside_france" if site["kind"] == ESTABLISHMENT else "telework_outside_france"
        findings.append(
            declaration.finding(
                code,
                site=site_id,
                operator=site["operator"],
                headcount=declaration.headcount_by_site[site_id],
                location=_location_text(site["location"]),
            )
        )
    return findings


# --- RCF-05 ---------------------------------------------------------------------------------


@requirement_check(
    "RCF-05",
    findings={"foreign_law_contract": (), "temp_agency_outside_france": ("not_temp_agency",)},
)
def check_contracts(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Every workforce row under a French-law employment contract of an accepted kind."""
    findings = []
    kinds = declaration.scheme.contract_kinds
    for index, (row, found) in enumerate(
        zip(declaration.workforce, declaration.row_contract_findings, strict=True)
    ):
        if found is None:
            continue
        code, variant = found
        employer = declaration.operator_by_id.get(row["employer"])
        findings.append(
            declaration.finding(
                code,
                variant,
                site=row["site"],
                operator=row["employer"],
                workforce_index=index,
                headcount=int(row["headcount"]),
                contract_law=row["contract_law"],
                contract_label=kinds[row["contract"]].label,
                country=employer["country"] if employer else None,
            )
        )
    return findings


# --- RCF-06 ---------------------------------------------------------------------------------


@requirement_check("RCF-06", findings={"missing_france_clause": ("clause", "reference")})
def check_france_clause(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Every subcontractor and temp agency: the France clause and a contract reference."""
    findings = []
    for op in declaration.operators:
        has_clause = op["france_clause"] is True
        reference = (op.get("contract_reference") or "").strip()
        if has_clause and reference:
            continue
        variant = (
            None if not (has_clause or reference) else ("reference" if has_clause else "clause")
        )
        findings.append(
            declaration.finding(
                "missing_france_clause",
                variant,
                operator=op["id"],
                operator_name=op["name"],
                contract_reference=reference,
            )
        )
    return findings


# --- RCF-07 ---------------------------------------------------------------------------------


@requirement_check(
    "RCF-07",
    findings={
        "no_payroll_evidence": ("no_siret",),
        "dsn_siren_mismatch": (),
        "declared_exceeds_payroll": (),
        "payroll_shows_work_abroad": (),
    },
)
def check_payroll(
    declaration: Declaration, memberships: object, payroll: Sequence[PayrollDeclaration]
) -> list[Finding] | None:
    """The applicant's declared employees per establishment in France, against its DSNs
    (référentiel §3). ``None`` (non applicable) when the applicant employs nobody itself.

    Of several DSNs of one declaring establishment, the latest month is used; within that month
    a replacement type (``03``) wins, then the DSN given last. Active individuals are summed per
    workplace across the DSNs used: DSN summaries are counts, so a person declared by two
    establishments in the same month cannot be recognised and counts twice.
    """
    declared: Counter[str] = Counter()
    for row in declaration.workforce:
        if row["employer"] == APPLICANT:
            declared[row["site"]] += int(row["headcount"])
    if sum(declared.values()) == 0:
        return None
    rules = declaration.scheme.payroll
    applicant_siren = declaration.applicant["siren"]
    findings = []

    evidence = [p for p in payroll if rules.is_evidence(p.nature, p.type)]
    foreign = sorted(
        (p for p in evidence if p.siren != applicant_siren),
        key=lambda p: (p.siret, p.month, p.source),
    )
    for p in foreign:
        findings.append(
            declaration.finding(
                "dsn_siren_mismatch", siren=p.siren, siret=p.siret, source=p.source, month=p.month
            )
        )
    latest: dict[str, tuple[tuple[str, bool, int], PayrollDeclaration]] = {}
    for position, p in enumerate(evidence):
        if p.siren != applicant_siren:
            continue
        rank = (p.month, p.type in rules.replacement_types, position)
        if p.siret not in latest or rank > latest[p.siret][0]:
            latest[p.siret] = (rank, p)
    active: Counter[str] = Counter()
    abroad: Counter[str] = Counter()
    for _rank, p in latest.values():
        for place in p.workplaces:
            active[place.workplace] += place.headcount
            abroad[place.workplace] += place.working_abroad

    for site in declaration.sites:
        site_id = site["id"]
        headcount = declared[site_id]
        if site["kind"] != ESTABLISHMENT or not declaration.in_france[site_id] or not headcount:
            continue
        siret = site.get("siret")
        if siret is None:
            findings.append(
                declaration.finding(
                    "no_payroll_evidence", "no_siret", site=site_id, headcount=headcount
                )
            )
            continue
        if siret not in latest and not active[siret]:
            findings.append(
                declaration.finding(
                    "no_payroll_evidence", site=site_id, siret=siret, headcount=headcount
                )
            )
            continue
        tolerance = rules.tolerance(active[siret])
        if headcount > active[siret] + tolerance:
            findings.append(
                declaration.finding(
                    "declared_exceeds_payroll",
                    site=site_id,
                    siret=siret,
                    headcount=headcount,
                    payroll=active[siret],
                    tolerance=tolerance,
                )
            )
        if abroad[siret]:
            findings.append(
                declaration.finding(
                    "payroll_shows_work_abroad", site=site_id, siret=siret, headcount=abroad[siret]
                )
            )
    return findings


# --- RCF-08 ---------------------------------------------------------------------------------


@requirement_check("RCF-08", findings={"missing_commitment": ()})
def check_commitments(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Both commitments are given (``true``)."""
    given = declaration.document["commitments"]
    return [
        declaration.finding("missing_commitment", item=f"commitments.{key}", commitment=text)
        for key, text in declaration.scheme.commitments.items()
        if given.get(key) is not True
    ]


# --- RCF-09 (version 2) -----------------------------------------------------------------------


@requirement_check(
    "RCF-09",
    since="2",
    findings={
        "channel_without_contact_point": (),
        "contact_point_channel_not_performed": (),
        "contact_point_site_mismatch": (),
        "surcharged_customer_service_number": (),
        "telemarketing_range_number": (),
        "foreign_phone_number": (),
    },
)
def check_contact_points(declaration: Declaration, *_evidence: object) -> list[Finding]:
    """Every performed channel has a contact point; each contact point is a performed channel,
    answered on sites that cover it; its number is lawful (``referentiel-v2.md`` §2).

    Order: the channels without a contact point in the order of the scheme's contact channels,
    then contact point by contact point: channel not performed, site mismatches in the order of
    its ``sites``, its telephone finding (at most one)."""
    scheme = declaration.scheme
    plan = telephone_plan(scheme)
    if plan is None:
        raise SchemeError(f"scheme {scheme.version}: RCF-09 needs a [telephone] table")
    channels: list[str] = scheme.section("contact_points")["channels"]
    labels = scheme.enumerations["channels"]
    performed = {
        item
        for item, status in declaration.document["scope"]["channels"].items()
        if status == scheme.performed
    }
    declared = {cp["channel"] for cp in declaration.contact_points}
    findings = [
        declaration.finding(
            "channel_without_contact_point",
            item=f"channels.{channel}",
            item_label=labels[channel],
        )
        for channel in channels
        if channel in performed and channel not in declared
    ]
    for cp in declaration.contact_points:
        channel = cp["channel"]
        common = {"contact_point": cp["id"], "channel_label": labels[channel]}
        if channel not in performed:
            findings.append(declaration.finding("contact_point_channel_not_performed", **common))
        for site in cp["sites"]:
            if channel not in declaration.site_by_id[site]["channels"]:
                findings.append(
                    declaration.finding("contact_point_site_mismatch", site=site, **common)
                )
        if channel != "telephone":
            continue
        number = parse_phone(cp["value"], plan)  # valid: the input rules checked it
        code = None
        if not number.french:
            code = "foreign_phone_number"
        elif number.surcharged and cp["purpose"] == "customer_service":
            code = "surcharged_customer_service_number"
        elif number.telemarketing_range:
            code = "telemarketing_range_number"
        if code is not None:
            findings.append(
                declaration.finding(code, number=number.e164, national=number.national, **common)
            )
    return findings


METRICS = ("contributors", "in_france", "french_law_contract", "compliant", "share_compliant")


def check_scheme_fits(scheme: Scheme) -> None:
    """Refuse a scheme this engine cannot evaluate with, instead of failing halfway."""
    checks = checks_for(scheme.version)
    problems = [
        f"no check for requirement {r.id}" for r in scheme.requirements if r.id not in checks
    ]
    needed: dict[str, frozenset[str]] = {}
    for requirement in scheme.requirements:
        if requirement.id in checks:
            needed |= checks[requirement.id].findings
    problems += [f"missing finding {code}" for code in sorted(set(needed) - set(scheme.findings))]
    for code, variants in sorted(needed.items()):
        if code in scheme.findings and not variants <= set(scheme.findings[code].variants):
            problems.append(f"finding {code} needs the variants {', '.join(sorted(variants))}")
    problems += [
        f"missing status {s}" for s in (CONFORME, NON_APPLICABLE) if s not in scheme.statuses
    ]
    problems += [f"missing metric label {m}" for m in METRICS if m not in scheme.metric_labels]
    if problems:
        raise SchemeError(f"scheme {scheme.version} does not fit the engine: {'; '.join(problems)}")


def evaluate_declaration(
    declaration: Any,
    *,
    memberships: Iterable[Membership],
    payroll: Iterable[PayrollDeclaration],
    scheme: Scheme | None = None,
) -> Evaluation:
    """The ``rcf-evaluation/1`` of a declaration (a parsed ``rcf-declaration/N``) under
    ``scheme``, by default the version its ``format`` names.

    Raises :class:`DeclarationError` with every input error when the document is not valid.
    ``memberships`` may hold other SIRENs' memberships: only the applicant's are used.
    """
    scheme = scheme or scheme_for_declaration(declaration)
    errors = validate_declaration(declaration, scheme)
    if errors:
        raise DeclarationError(errors)
    check_scheme_fits(scheme)
    checks = checks_for(scheme.version)
    known = Declaration(declaration, scheme)
    memberships, payroll = list(memberships), list(payroll)

    requirements: list[RequirementResult] = []
    for requirement in scheme.requirements:
        findings = checks[requirement.id].check(known, memberships, payroll)
        if findings is None:
            status, findings = NON_APPLICABLE, []
        else:
            status = max(
                (f["status"] for f in findings),
                key=lambda s: scheme.statuses[s].severity or 0,
                default=CONFORME,
            )
        requirements.append({"id": requirement.id, "status": status, "findings": findings})

    held = {r["status"] for r in requirements}
    verdict = next(v.code for v in scheme.verdicts if v.if_any is None or v.if_any in held)
    return {
        "format": FORMAT,
        "scheme": scheme.scheme,
        "scheme_version": scheme.version,
        "reference_date": declaration["reference_date"],
        "applicant": {
            "siren": declaration["applicant"]["siren"],
            "name": declaration["applicant"]["name"],
        },
        "verdict": verdict,
        "requirements": requirements,
        "metrics": _metrics(known),
    }


def _metrics(declaration: Declaration) -> Metrics:
    """From the per-site sums made in one pass over the rows (integers: same as row by row)."""
    here = declaration.in_france
    by_site = declaration.headcount_by_site
    accepted = declaration.accepted_contracts_by_site
    contributors = sum(by_site.values())
    compliant = sum(n for site, n in accepted.items() if here[site])
    return {
        "contributors": contributors,
        "in_france": sum(n for site, n in by_site.items() if here[site]),
        "french_law_contract": sum(accepted.values()),
        "compliant": compliant,
        "share_compliant": round(compliant / contributors, 4) if contributors else 0.0,
    }


def dumps_evaluation(evaluation: Evaluation | Mapping[str, Any]) -> str:
    """The evaluation as published: UTF-8 JSON, keys in the order built, 2-space indent and a
    final newline, so that the same evaluation is always the same bytes. Also takes an
    evaluation read back from storage, which is plain JSON."""
    return json.dumps(evaluation, ensure_ascii=False, indent=2) + "\n"
