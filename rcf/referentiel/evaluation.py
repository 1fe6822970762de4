"""The typed contract of ``rcf-evaluation/1``: what
:func:`rcf.referentiel.engine.evaluate_declaration` returns and publishes, key for key, in the
order the keys are written.

No ``from __future__ import annotations`` here: ``NotRequired`` must be evaluated when the class
is made for ``Finding.__required_keys__`` to tell the truth at run time.
"""

from typing import NotRequired, TypedDict


class Finding(TypedDict):
    """One finding of an ``rcf-evaluation/1``: its code and status, the objects it is about
    (only those that apply, in the order of ``rcf.referentiel.engine.OBJECT_KEYS``) and its
    French message."""

    code: str
    status: str
    contact_point: NotRequired[str]
    site: NotRequired[str]
    operator: NotRequired[str]
    workforce_index: NotRequired[int]
    item: NotRequired[str]
    siren: NotRequired[str]
    siret: NotRequired[str]
    headcount: NotRequired[int]
    payroll: NotRequired[int]
    number: NotRequired[str]
    message: str


class RequirementResult(TypedDict):
    """A requirement's status in an evaluation, with its findings (empty when conforme or
    non applicable)."""

    id: str
    status: str
    findings: list[Finding]


class Metrics(TypedDict):
    """Headcounts of the workforce rows (référentiel §2), and the compliant share rounded to
    four decimals."""

    contributors: int
    in_france: int
    french_law_contract: int
    compliant: int
    share_compliant: float


class EvaluatedApplicant(TypedDict):
    siren: str
    name: str


class Evaluation(TypedDict):
    """An ``rcf-evaluation/1`` document, keys in the order they are published."""

    format: str
    scheme: str
    scheme_version: str
    reference_date: str
    applicant: EvaluatedApplicant
    verdict: str
    requirements: list[RequirementResult]
    metrics: Metrics
