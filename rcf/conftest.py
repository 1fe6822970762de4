"""Fixtures shared by every app's tests."""

from rcf.applications.tests.conftest import cast

__all__ = ["cast"]
