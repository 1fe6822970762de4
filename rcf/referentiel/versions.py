"""The versions of the scheme: which exist, which is in effect on a day, which still accepts
new applications, and which one a declaration's ``format`` names (``referentiel-v2.md`` §3).

A version is its data file, ``schemes/relation-client-france-v<N>.toml``: adding one is adding
a file (plus the code of its new requirements, registered in :mod:`rcf.referentiel.engine`).
Its calendar is data too: ``effective_from`` (the day it takes effect) and, in the newer file,
``previous_accepted_until`` (the last day new applications under the previous version are
accepted).
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import re
from importlib import resources
from typing import Any

from rcf.referentiel.scheme import SCHEME_ID, Scheme, SchemeError, read_scheme

DECLARATION_FORMAT = "rcf-declaration/{version}"
"""The declaration format of each version: version N is judged on ``rcf-declaration/N``."""

_FILE = re.compile(re.escape(SCHEME_ID) + r"-v([1-9][0-9]*)\.toml")


class SchemeVersions:
    """Versions of the scheme, oldest first, whose calendars have been checked to follow each
    other. The module functions below ask the one made of the shipped files; tests make their
    own, with a version that is not shipped."""

    def __init__(self, schemes: list[Scheme]) -> None:
        check_calendar(schemes)
        self.schemes = schemes

    def get(self, version: str) -> Scheme:
        for scheme in self.schemes:
            if scheme.version == version:
                return scheme
        known = ", ".join(s.version for s in self.schemes)
        raise SchemeError(f"no scheme version {version!r} (known: {known})")

    def in_effect(self, on: dt.date) -> Scheme:
        started = [
            s for s in self.schemes if s.effective_from is not None and s.effective_from <= on
        ]
        if not started:
            raise SchemeError(f"no scheme version in effect on {on.isoformat()}")
        return started[-1]

    def accepts_new_applications(self, version: str, on: dt.date) -> bool:
        scheme = self.get(version)
        if scheme.effective_from is None or on < scheme.effective_from:
            return False
        later = self.schemes[self.schemes.index(scheme) + 1 :]
        successor = next((s for s in later if s.effective_from is not None), None)
        if successor is None:
            return True
        if successor.previous_accepted_until is not None:
            return on <= successor.previous_accepted_until
        assert successor.effective_from is not None
        return on < successor.effective_from

    def accepted_until(self, version: str) -> dt.date | None:
        """The last day new applications under that version are accepted, ``None`` while no
        successor has set one."""
        scheme = self.get(version)
        for later in self.schemes[self.schemes.index(scheme) + 1 :]:
            if later.effective_from is not None:
                return later.previous_accepted_until or later.effective_from - dt.timedelta(1)
        return None

    def version_of_format(self, declaration_format: object) -> str | None:
        for scheme in self.schemes:
            if declaration_format == DECLARATION_FORMAT.format(version=scheme.version):
                return scheme.version
        return None


def check_calendar(schemes: list[Scheme]) -> None:
    """Refuse versions whose calendar contradicts itself: the first has no previous version to
    accept; each later one takes effect strictly after the one before."""
    if not schemes:
        raise SchemeError("no scheme version shipped")
    if schemes[0].previous_accepted_until is not None:
        raise SchemeError(
            f"scheme {schemes[0].version}: 'previous_accepted_until' but no previous version"
        )
    for before, after in itertools.pairwise(schemes):
        if int(after.version) <= int(before.version):
            raise SchemeError(f"scheme {after.version} listed after version {before.version}")
        if after.effective_from is None:
            continue  # a version not yet scheduled changes nothing for the others
        if before.effective_from is None or before.effective_from >= after.effective_from:
            raise SchemeError(
                f"scheme {after.version}: 'effective_from' must come after version "
                f"{before.version}'s"
            )


@functools.cache
def shipped_versions() -> SchemeVersions:
    """The versions whose data files ship in ``rcf/referentiel/schemes/``."""
    folder = resources.files("rcf.referentiel").joinpath("schemes")
    found = [m.group(1) for entry in folder.iterdir() if (m := _FILE.fullmatch(entry.name))]
    return SchemeVersions([read_scheme(version) for version in sorted(found, key=int)])


def load_scheme(version: str) -> Scheme:
    """The scheme of that version (``"1"``), loaded once per process; :class:`SchemeError` when
    no such version ships. The version is required: which version a dossier is judged under is
    the caller's decision (its declaration's format, its certificate's version, or
    :func:`scheme_in_effect`)."""
    return shipped_versions().get(version)


def scheme_versions() -> tuple[str, ...]:
    """Every version shipped, oldest first."""
    return tuple(s.version for s in shipped_versions().schemes)


def scheme_in_effect(on: dt.date) -> Scheme:
    """The latest version that has taken effect on that day (what a renewal is judged under);
    :class:`SchemeError` before the first version took effect."""
    return shipped_versions().in_effect(on)


def accepts_new_applications(version: str, on: dt.date) -> bool:
    """Whether a new application under that version may be created or submitted on that day:
    from the day it takes effect until its successor takes effect, or until the successor's
    ``previous_accepted_until`` when the successor grants one (both are accepted in between)."""
    return shipped_versions().accepts_new_applications(version, on)


def accepted_until(version: str) -> dt.date | None:
    """The last day new applications under that version are accepted (``None``: no end set)."""
    return shipped_versions().accepted_until(version)


def upgrade_declaration(document: dict[str, Any], version: str) -> dict[str, Any]:
    """A copy of a declaration written in the format of ``version``: what it lacks is added
    empty, to be filled (version 2 adds ``contact_points``: an empty list, which RCF-09 then
    reports for every performed channel). A document already in that version or a later one
    is returned unchanged."""
    current = version_of_format(document.get("format"))
    if current is not None and int(current) >= int(version):
        return dict(document)
    upgraded = dict(document)
    upgraded["format"] = DECLARATION_FORMAT.format(version=version)
    if int(version) >= 2:
        upgraded.setdefault("contact_points", [])
    return upgraded


def version_of_format(declaration_format: object) -> str | None:
    """The version whose declarations have that ``format`` (``rcf-declaration/1`` → ``"1"``), or
    ``None`` when no shipped version has it."""
    return shipped_versions().version_of_format(declaration_format)


def scheme_for_declaration(document: object) -> Scheme:
    """The scheme a declaration is judged under: the one its ``format`` names. A document that
    names none is validated under the first version, whose schema then reports ``/format``:
    such a document gets exactly the errors it got before version 2 existed (a later version
    would add its own required fields to the list)."""
    declaration_format = document.get("format") if isinstance(document, dict) else None
    version = version_of_format(declaration_format) or scheme_versions()[0]
    return load_scheme(version)
