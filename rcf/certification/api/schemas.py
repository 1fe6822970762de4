"""The bodies the API answers, as django-ninja schemas: the OpenAPI document describes every
field of them, and every answer is checked against them before it leaves.

The formats are published (platform-v1.md §3): each schema lists its fields in the order the
answer has always given them, and a field that may be ``null`` is required and nullable, so
the bytes of an answer are the ones the selectors build. Error bodies are written by
``rcf.api``; :class:`Error` and :class:`InvalidInputError` document them.
"""

from __future__ import annotations

from typing import Annotated, Any

from ninja import Schema
from pydantic import Field, WithJsonSchema

Day = Annotated[str, Field(json_schema_extra={"format": "date"})]
"""A day as ``YYYY-MM-DD``."""


# --- errors --------------------------------------------------------------------------------


class Error(Schema):
    """401, 403, 404, 409, 413: what went wrong, in French."""

    detail: str


class InputErrorOut(Schema):
    pointer: str = Field(
        description="JSON Pointer (RFC 6901) of the value in the body, or of the parameter "
        "(`/id`, `/q`); empty for the body as a whole."
    )
    message: str


class InvalidInputError(Schema):
    """422: the input was refused as a whole; ``errors`` lists every problem found."""

    detail: str
    errors: list[InputErrorOut]


# --- the pre-check (rcf-evaluation/1, declaration-v1.md §3) ---------------------------------

EvaluationFinding = Annotated[
    dict[str, Any],
    WithJsonSchema(
        {
            "type": "object",
            "description": "A finding: `code`, `status`, `message` (French), and as relevant "
            "the objects it concerns (declaration-v1.md §3).",
            "properties": {
                "code": {"type": "string"},
                "status": {"type": "string"},
                "site": {"type": "string"},
                "operator": {"type": "string"},
                "workforce_index": {"type": "integer"},
                "item": {"type": "string"},
                "siren": {"type": "string"},
                "siret": {"type": "string"},
                "headcount": {"type": "integer"},
                "payroll": {"type": "integer"},
                "message": {"type": "string"},
            },
            "required": ["code", "status", "message"],
        }
    ),
]
"""Passed through as the engine wrote it: its keys depend on the finding."""


class EvaluationApplicant(Schema):
    siren: str
    name: str


class RequirementResult(Schema):
    id: str
    status: str
    findings: list[EvaluationFinding]


class EvaluationMetrics(Schema):
    contributors: int
    in_france: int
    french_law_contract: int
    compliant: int
    share_compliant: float


class Evaluation(Schema):
    """``rcf-evaluation/1``: the automated pre-check of the declaration."""

    format: str
    scheme: str
    scheme_version: str
    reference_date: Day
    applicant: EvaluationApplicant
    verdict: str = Field(description="`eligible`, `to_verify` or `not_eligible`.")
    requirements: list[RequirementResult]
    metrics: EvaluationMetrics


# --- applications --------------------------------------------------------------------------


class ApplicationCreated(Schema):
    id: int
    status: str
    evaluation: Evaluation


class Organisation(Schema):
    siren: str
    name: str


class AuditSummary(Schema):
    id: int
    kind: str
    status: str
    auditor: str
    planned_on: Day
    sampled_sites: list[str]


class CertificateRef(Schema):
    number: str


class ApplicationOut(Schema):
    """``GET /api/v1/applications/{id}``, and the answer of every change of the dossier."""

    id: int
    status: str
    kind: str
    organisation: Organisation
    evaluation: Evaluation
    audits: list[AuditSummary]
    certificate: CertificateRef | None


class ApplicationStatusOut(Schema):
    id: int
    status: str


class IssuedCertificate(Schema):
    number: str
    valid_from: Day
    valid_until: Day


class DecisionOut(Schema):
    status: str
    certificate: IssuedCertificate | None = Field(
        description="The certificate issued, or `null` for a refusal."
    )


# --- audits --------------------------------------------------------------------------------


class SampleEntry(Schema):
    site: str
    reason: str


class ChecklistItemOut(Schema):
    requirement: str
    result: str | None = Field(description="`null` until the auditor judges the item.")
    notes: str


class ActionOut(Schema):
    id: int
    description: str
    verdict: str = Field(description="`pending`, `accepted` or `rejected`.")
    comment: str


class FindingOut(Schema):
    id: int
    requirement: str
    severity: str
    status: str
    description: str
    due_on: Day | None
    actions: list[ActionOut]


class FindingVerified(FindingOut):
    application_status: str


class AuditOut(Schema):
    id: int
    application: int
    kind: str
    status: str
    auditor: str
    planned_on: Day
    sampled_sites: list[str] = Field(description="The site ids of `sample`, in its order.")
    sample: list[SampleEntry]
    checklist: list[ChecklistItemOut]
    findings: list[FindingOut]


class AuditClosed(Schema):
    id: int
    status: str
    major: int
    minor: int
    application_status: str


# --- certificates and the registry -----------------------------------------------------------


class PublicOrganisation(Schema):
    siren: str
    name: str
    brands: list[str]


class CertificateSites(Schema):
    count: int
    departments: list[str]
    territories: list[str]


class HistoryEntry(Schema):
    on: Day
    status: str


class PublicContactPoint(Schema):
    """A contact point of a certificate (referentiel-v2.md §4): telephone values in E.164."""

    channel: str
    value: str
    purpose: str
    brands: list[str]


class CertificatePublic(Schema):
    """``GET /api/v1/certificates/{number}``: what anyone may check."""

    number: str
    status: str
    organisation: PublicOrganisation
    scheme_version: str
    valid_from: Day
    valid_until: Day
    first_issued_on: Day
    last_audit_on: Day | None
    sites: CertificateSites
    channels: list[str]
    activities: list[str]
    phases: list[str]
    contributors: int
    history: list[HistoryEntry]
    contact_points: list[PublicContactPoint]
    """Empty for a version 1 certificate."""


class PhoneMatchOrganisation(Schema):
    siren: str
    name: str


class PhoneMatch(Schema):
    """A live certificate that declared the number: its number, public status (active or
    suspended), company, the contact point's brands and purpose."""

    certificate: str
    status: str
    organisation: PhoneMatchOrganisation
    brands: list[str]
    purpose: str


class PhoneCheck(Schema):
    """``GET /api/v1/phone-check``: whose number is this (referentiel-v2.md §4)."""

    number: str
    national: str
    french: bool
    surcharged: bool
    telemarketing_range: bool
    matches: list[PhoneMatch]


class RegistrySites(Schema):
    count: int
    territories: list[str]


class RegistryEntry(Schema):
    number: str
    status: str
    organisation: PublicOrganisation
    valid_from: Day
    valid_until: Day
    sites: RegistrySites
    contributors: int


class RegistryPage(Schema):
    count: int = Field(description="Certificates matching the search, on every page.")
    page: int
    page_size: int
    results: list[RegistryEntry]


class CertificateStatusOut(Schema):
    number: str
    status: str


def responses(ok: dict[int, Any], *errors: int) -> dict[int, Any]:
    """The ``response=`` of an operation: its 2xx bodies and the error statuses it can give.

    Every operation may also answer 429 (with ``Retry-After``): the rate limit per client
    address holds for the whole API (``rcf/core/ratelimit.py``).
    """
    statuses = sorted({*errors, 429})
    return {**ok, **{s: InvalidInputError if s == 422 else Error for s in statuses}}
