"""The pre-check as the platform runs it: the engine fed with the membership registry and the
DSN evidence. The command line (``rcf evaluate``) and the web platform call the same functions.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from rcf.members.selectors import memberships_of
from rcf.referentiel.declaration import (
    DeclarationError,
    InputError,
    parse_declaration_json,
    validate_declaration,
)
from rcf.referentiel.engine import evaluate_declaration
from rcf.referentiel.evaluation import Evaluation
from rcf.referentiel.evidence import PayrollDeclaration

EXIT_STATUS = {"eligible": 0, "not_eligible": 1, "to_verify": 3}
"""Exit status of ``rcf evaluate`` per verdict (``declaration-v1.md`` §4)."""
INPUT_ERROR_STATUS = 2


class PrecheckInputError(Exception):
    """The input files were refused; ``errors`` are ready to print, one per line:
    ``FILE: /pointer: message`` for the declaration, ``FILE:LINE: message`` for a DSN."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


def _applicant_siren(document: Any) -> str:
    applicant = document.get("applicant") if isinstance(document, dict) else None
    siren = applicant.get("siren") if isinstance(applicant, dict) else None
    return siren if isinstance(siren, str) else ""


def declaration_evaluate(
    *, declaration: Any, payroll: Sequence[PayrollDeclaration] = ()
) -> Evaluation:
    """The ``rcf-evaluation/1`` of a parsed declaration, RCF-01 judged against the membership
    registry. Raises :class:`DeclarationError` with every input error."""
    memberships = memberships_of(_applicant_siren(declaration))
    return evaluate_declaration(declaration, memberships=memberships, payroll=payroll)


def _declaration_lines(path: str, errors: list[InputError]) -> list[str]:
    return [f"{path}: {error.pointer}: {error.message}" for error in errors]


def precheck_files(*, declaration_path: str, dsn_paths: Sequence[str] = ()) -> Evaluation:
    """Read a declaration file and DSN files, and evaluate.

    Raises :class:`PrecheckInputError` with every error of every file: a declaration that is
    not JSON (with its line and column) or not a valid ``rcf-declaration/1``, a malformed DSN.
    """
    errors: list[str] = []
    document: Any = None
    try:
        document = parse_declaration_json(Path(declaration_path).read_bytes())
    except OSError as exc:
        errors.append(f"{declaration_path}: : lecture impossible ({exc.strerror})")
    except DeclarationError as exc:
        errors += _declaration_lines(declaration_path, exc.errors)

    payroll: list[PayrollDeclaration] = []
    if dsn_paths:
        from rcf.dsn import DsnFileError, read_payroll_evidence

        try:
            payroll = read_payroll_evidence(list(dsn_paths))
        except DsnFileError as exc:
            errors += exc.errors

    if errors:
        if document is not None:
            # Say everything at once: the declaration's own errors too.
            errors[:0] = _declaration_lines(declaration_path, validate_declaration(document))
        raise PrecheckInputError(errors)
    try:
        return declaration_evaluate(declaration=document, payroll=payroll)
    except DeclarationError as exc:
        raise PrecheckInputError(_declaration_lines(declaration_path, exc.errors)) from None
