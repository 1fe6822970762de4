"""The typed contract of ``rcf-evaluation/1`` says what is published: the same keys, in the
same order, so that a reader of the types reads the document."""

from __future__ import annotations

from typing import get_type_hints

from rcf.referentiel.engine import (
    OBJECT_KEYS,
    EvaluatedApplicant,
    Evaluation,
    Finding,
    Metrics,
    RequirementResult,
)
from rcf.referentiel.tests.builders import example, run


def test_the_types_list_the_published_keys_in_order() -> None:
    evaluation = run(example("telecom-offshore"), payroll=[])
    assert list(evaluation) == list(Evaluation.__annotations__)
    assert list(evaluation["applicant"]) == list(EvaluatedApplicant.__annotations__)
    assert list(evaluation["metrics"]) == list(Metrics.__annotations__)
    for result in evaluation["requirements"]:
        assert list(result) == list(RequirementResult.__annotations__)
        for finding in result["findings"]:
            # A finding holds only the objects it is about, in the order of the type.
            assert set(finding) <= Finding.__optional_keys__ | Finding.__required_keys__
            assert list(finding) == [k for k in Finding.__annotations__ if k in finding]


def test_a_finding_names_its_objects_as_the_engine_writes_them() -> None:
    """The optional keys of :class:`Finding` are exactly the engine's ``OBJECT_KEYS``."""
    assert Finding.__required_keys__ == {"code", "status", "message"}
    assert list(Finding.__optional_keys__) and set(Finding.__optional_keys__) == set(OBJECT_KEYS)
    assert [k for k in Finding.__annotations__ if k in OBJECT_KEYS] == list(OBJECT_KEYS)
    assert get_type_hints(Metrics)["share_compliant"] is float
