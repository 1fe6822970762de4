"""Builders for the journal tests."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import transaction

from rcf.accounts.choices import Role
from rcf.accounts.models import User
from rcf.accounts.services import user_create
from rcf.journal.models import JournalEntry
from rcf.journal.services import journal_record


@pytest.fixture
def certifier(db: None) -> User:
    return user_create("cecile", [Role.CERTIFIER])


def record(actor: User | None, n: int = 1, *, obj_id: object = 7) -> list[JournalEntry]:
    """``n`` entries about application ``obj_id``, each in its own transaction."""
    entries = []
    for i in range(n):
        with transaction.atomic():
            entries.append(
                journal_record(
                    actor=actor,
                    action="rcf.application.submitted",
                    obj_type="application",
                    obj_id=obj_id,
                    before="draft",
                    after="submitted",
                    data={"step": i},
                )
            )
    return entries


def verify(*args: str) -> tuple[int, str]:
    """Run `rcf journal verify ARGS…`: (exit status, stdout)."""
    out = io.StringIO()
    try:
        call_command("journal", "verify", *args, stdout=out)
    except SystemExit as exit_:
        return int(exit_.code or 0), out.getvalue()
    return 0, out.getvalue()
