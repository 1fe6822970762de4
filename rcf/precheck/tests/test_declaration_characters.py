"""A name or brand holding a control, bidirectional-override or surrogate character is an input
error wherever a declaration comes in: ``rcf evaluate`` exits 2, the API answers 422, and
nothing is created (the rule itself: rcf/referentiel/tests/test_declaration_names.py)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from rcf.certification.models import Application
from tests.support.cast import Cast
from tests.support.commands import run_rcf
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

OVERRIDE = (
    "contient un caractère de mise en forme invisible U+202E (RIGHT-TO-LEFT OVERRIDE) en position 9"
)


def test_rcf_evaluate_exits_2_on_a_bidi_override_in_a_brand(tmp_path: Path) -> None:
    declaration = example_declaration()
    declaration["applicant"]["brands"] = ["Mutuelle\u202eelleutuM"]
    path = tmp_path / "d.json"
    path.write_text(json.dumps(declaration, ensure_ascii=False), encoding="utf-8")
    result = run_rcf("evaluate", str(path))
    assert (result.status, result.stdout) == (2, "")
    assert result.stderr.splitlines() == [f"{path}: /applicant/brands/0: {OVERRIDE}"]


def test_rcf_evaluate_exits_2_on_a_nul_in_the_applicant_name(tmp_path: Path) -> None:
    """A NUL written as ``\\u0000`` in the JSON text is refused, not stored."""
    declaration = example_declaration()
    declaration["applicant"]["name"] = "Mutuelle\x00"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(declaration), encoding="utf-8")
    result = run_rcf("evaluate", str(path))
    assert result.status == 2
    assert result.stderr.splitlines() == [
        f"{path}: /applicant/name: contient un caractère de contrôle U+0000 en position 9"
    ]


def test_the_api_answers_422_at_the_pointer_and_creates_nothing(cast: Cast) -> None:
    declaration = example_declaration()
    declaration["operators"][0]["name"] = "Brest Co\u202eSAS"
    response = cast.applicant.call("post", "/api/v1/applications", declaration)
    assert response.status_code == 422
    assert [(e["pointer"], e["message"]) for e in response.json()["errors"]] == [
        ("/operators/0/name", OVERRIDE)
    ]
    assert not Application.objects.exists()
