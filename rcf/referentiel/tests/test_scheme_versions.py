"""The versions of the scheme are explicit: a registry of data files with their calendar, and
checks registered per version (``referentiel-v2.md`` §3)."""

from __future__ import annotations

import copy
import datetime as dt
import re
from typing import Any

import pytest

from rcf.referentiel import versions
from rcf.referentiel.declaration import DeclarationError
from rcf.referentiel.engine import CheckRegistry, checks_for, evaluate_declaration
from rcf.referentiel.scheme import Scheme, SchemeError, parse_scheme
from rcf.referentiel.tests.builders import eligible
from rcf.referentiel.tests.test_scheme import scheme_data
from rcf.referentiel.versions import (
    SchemeVersions,
    accepts_new_applications,
    load_scheme,
    scheme_for_declaration,
    scheme_in_effect,
    scheme_versions,
    version_of_format,
)


def _scheme(**changes: Any) -> Scheme:
    """Version 1's data with some top-level keys changed (``None`` removes the key)."""
    data = copy.deepcopy(scheme_data())
    for key, value in changes.items():
        if value is None:
            data.pop(key, None)
        else:
            data[key] = value
    return parse_scheme(data, source="test.toml")


def _version_2(previous_accepted_until: dt.date | None = dt.date(2027, 11, 30)) -> Scheme:
    return _scheme(
        version="2",
        effective_from=dt.date(2026, 12, 1),
        previous_accepted_until=previous_accepted_until,
    )


def test_it_requires_the_version_to_load_a_scheme() -> None:
    """Which version a dossier is judged under is the caller's decision: no default."""
    with pytest.raises(TypeError):
        load_scheme()  # type: ignore[call-arg]
    assert load_scheme("1").version == load_scheme(version="1").version == "1"


def test_it_refuses_a_version_that_does_not_ship() -> None:
    with pytest.raises(SchemeError, match="no scheme version '3'"):
        load_scheme("3")


def test_it_ships_version_1_in_effect_from_june_2021() -> None:
    scheme = load_scheme("1")
    assert scheme_versions() == ("1", "2")
    assert (scheme.scheme, scheme.effective_from) == ("relation-client-france", dt.date(2021, 6, 1))
    assert scheme.previous_accepted_until is None


def test_it_ships_version_2_from_december_2026_with_a_year_of_both() -> None:
    """referentiel-v2.md §3: version 2 takes effect on 2026-12-01; version 1 applications are
    accepted until 2027-11-30."""
    scheme = load_scheme("2")
    assert (scheme.effective_from, scheme.previous_accepted_until) == (
        dt.date(2026, 12, 1),
        dt.date(2027, 11, 30),
    )
    assert [r.id for r in scheme.requirements] == [f"RCF-0{n}" for n in range(1, 10)]
    assert [item["id"] for item in scheme.section("audit_checklist")][-1] == "RCF-A6"
    assert "RCF-A6" not in [item["id"] for item in load_scheme("1").section("audit_checklist")]


def test_it_knows_which_version_is_in_effect_on_a_day() -> None:
    assert scheme_in_effect(dt.date(2021, 6, 1)).version == "1"
    assert scheme_in_effect(dt.date(2026, 11, 30)).version == "1"
    assert scheme_in_effect(dt.date(2026, 12, 1)).version == "2"
    assert scheme_in_effect(dt.date(2030, 1, 1)).version == "2"
    with pytest.raises(SchemeError, match="no scheme version in effect on 2021-05-31"):
        scheme_in_effect(dt.date(2021, 5, 31))


def test_the_shipped_calendar_accepts_both_versions_until_the_end_of_the_transition() -> None:
    assert accepts_new_applications("1", dt.date(2026, 12, 1)) is True
    assert accepts_new_applications("1", dt.date(2027, 11, 30)) is True
    assert accepts_new_applications("1", dt.date(2027, 12, 1)) is False
    assert accepts_new_applications("1", dt.date(2021, 5, 31)) is False
    assert accepts_new_applications("2", dt.date(2026, 11, 30)) is False
    assert accepts_new_applications("2", dt.date(2030, 1, 1)) is True


def test_version_1_stops_after_the_successors_previous_accepted_until() -> None:
    """Version 2's file says until when version 1 applications are still accepted; both are
    accepted in between, only version 2 after."""
    registry = SchemeVersions([load_scheme("1"), _version_2()])
    accepts = registry.accepts_new_applications
    assert [accepts("1", day) for day in (dt.date(2026, 11, 30), dt.date(2027, 11, 30))] == [
        True,
        True,
    ]
    assert accepts("1", dt.date(2027, 12, 1)) is False
    assert accepts("2", dt.date(2026, 11, 30)) is False
    assert accepts("2", dt.date(2026, 12, 1)) is True
    assert registry.in_effect(dt.date(2026, 11, 30)).version == "1"
    assert registry.in_effect(dt.date(2026, 12, 1)).version == "2"
    assert registry.version_of_format("rcf-declaration/2") == "2"


def test_without_previous_accepted_until_the_previous_version_stops_when_the_next_starts() -> None:
    registry = SchemeVersions([load_scheme("1"), _version_2(previous_accepted_until=None)])
    assert registry.accepts_new_applications("1", dt.date(2026, 11, 30)) is True
    assert registry.accepts_new_applications("1", dt.date(2026, 12, 1)) is False


def test_it_refuses_versions_whose_calendar_goes_backwards() -> None:
    late_first = _scheme(effective_from=dt.date(2027, 1, 1))
    with pytest.raises(SchemeError, match="'effective_from' must come after version 1's"):
        SchemeVersions([late_first, _version_2()])
    with pytest.raises(SchemeError, match="'previous_accepted_until' but no previous version"):
        SchemeVersions([_version_2()])


@pytest.mark.parametrize(
    ("changes", "complaint"),
    [
        (
            {"effective_from": "2021-06-01"},
            "test.toml: 'effective_from' must be a TOML date (YYYY-MM-DD, without quotes)",
        ),
        (
            {"effective_from": dt.datetime(2021, 6, 1, 12, 0)},
            "test.toml: 'effective_from' must be a TOML date",
        ),
        (
            {"previous_accepted_until": 20271130, "effective_from": dt.date(2026, 12, 1)},
            "test.toml: 'previous_accepted_until' must be a TOML date",
        ),
        (
            {"previous_accepted_until": dt.date(2027, 11, 30), "effective_from": None},
            "test.toml: 'previous_accepted_until' needs 'effective_from'",
        ),
        (
            {
                "previous_accepted_until": dt.date(2026, 11, 1),
                "effective_from": dt.date(2026, 12, 1),
            },
            "test.toml: 'previous_accepted_until' (2026-11-01) leaves days before",
        ),
        ({"version": "1.1"}, "test.toml: 'version' must be a whole number"),
    ],
)
def test_it_refuses_a_bad_calendar_in_the_scheme_file(
    changes: dict[str, Any], complaint: str
) -> None:
    """The calendar is validated at load like everything else, and the error says where."""
    with pytest.raises(SchemeError, match=re.escape(complaint)):
        _scheme(**changes)


def test_it_reads_the_version_from_the_declaration_format() -> None:
    assert version_of_format("rcf-declaration/1") == "1"
    assert version_of_format("rcf-declaration/2") == "2"
    assert version_of_format("rcf-declaration/3") is None
    assert version_of_format(1) is None
    assert scheme_for_declaration(eligible()).version == "1"


def test_it_judges_a_declaration_under_the_version_its_format_names() -> None:
    """Without a scheme given, the evaluation names the version of the declaration's format;
    an unknown format is an input error at /format."""
    assert evaluate_declaration(eligible(), memberships=[], payroll=[])["scheme_version"] == "1"
    document = eligible()
    document["format"] = "rcf-declaration/9"
    with pytest.raises(DeclarationError) as raised:
        evaluate_declaration(document, memberships=[], payroll=[])
    assert [e.pointer for e in raised.value.errors] == ["/format"]


def test_the_registry_gives_rcf_01_to_08_for_version_1() -> None:
    assert list(checks_for("1")) == [f"RCF-0{i}" for i in range(1, 9)]


def test_a_later_version_reuses_the_checks_and_adds_its_own() -> None:
    """A check applies from its version on, until a newer check of the same requirement."""
    registry = CheckRegistry()

    @registry.register("RCF-01", findings={})
    def first(*_: object) -> list[Any]:
        return []

    @registry.register("RCF-09", findings={"new": ()}, since="2")
    def ninth(*_: object) -> list[Any]:
        return []

    @registry.register("RCF-01", findings={}, since="3")
    def first_again(*_: object) -> list[Any]:
        return []

    def checks(version: str) -> dict[str, object]:
        return {r: c.check for r, c in registry.for_version(version).items()}

    assert checks("1") == {"RCF-01": first}
    assert checks("2") == {"RCF-01": first, "RCF-09": ninth}
    assert checks("3") == {"RCF-01": first_again, "RCF-09": ninth}
    with pytest.raises(ValueError, match="RCF-09 already has a check since version 2"):
        registry.register("RCF-09", findings={}, since="2")(ninth)


def test_the_module_registry_is_the_one_shipped() -> None:
    assert versions.shipped_versions().get("1") is load_scheme("1")
