"""Suite-wide test rules.

* ``postgres`` tests check what only PostgreSQL can show (real concurrency). They run when the
  database under test is PostgreSQL and are skipped, with the reason, otherwise.
* ``browser`` tests drive Debian's Chromium through Playwright and skip, with the reason, when
  either is missing.
* ``nginx`` tests run Debian's nginx with the shipped configuration (``deploy/``) in front of
  ``rcf serve`` and skip, with the reason, when nginx is missing.
* With ``CI=true`` a skipped ``browser`` or ``nginx`` test is a failure, and so is a skipped
  ``postgres`` test in a run whose ``DATABASE_URL`` names PostgreSQL: CI must not go green on
  tests it never ran.
"""

from __future__ import annotations

import os

import pytest

from tests.support.cast import cast

__all__ = ["cast"]

STRICT = os.environ.get("CI", "").lower() == "true"


@pytest.fixture(autouse=True)
def _forget_remembered_searches() -> None:
    """Every test starts from the same database state, hence the same generation of the
    registry: what a search remembered in one test must not answer in the next one."""
    from rcf.certification.selectors.search import forget

    forget()


@pytest.fixture(autouse=True)
def _forget_the_observatory() -> None:
    """The observatory follows the registry change by change from what it read; a test's
    database is rolled back under it (ids and journal counts come back), so each test starts
    it afresh."""
    from rcf.observatory.selectors import forget

    forget()


def _database_is_postgres() -> bool:
    return os.environ.get("DATABASE_URL", "").startswith(("postgres://", "postgresql://"))


def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    if _database_is_postgres():
        return
    skip = pytest.mark.skip(reason="needs PostgreSQL: run with DATABASE_URL=postgres://… (.ci/run)")
    for item in items:
        if "postgres" in item.keywords:
            item.add_marker(skip)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item: pytest.Item, call: pytest.CallInfo[None]):  # type: ignore[no-untyped-def]
    outcome = yield
    report = outcome.get_result()
    if not (STRICT and report.skipped):
        return
    if "postgres" in item.keywords and not _database_is_postgres():
        return  # skipped by design outside PostgreSQL, even when it also needs nginx
    kinds = [kind for kind in ("browser", "nginx", "postgres") if kind in item.keywords]
    if kinds:
        report.outcome = "failed"
        kind = kinds[0]
        report.longrepr = f"CI=true: a {kind} test may not skip ({report.longrepr})"
