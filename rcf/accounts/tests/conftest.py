"""Small builders for the accounts tests."""

from __future__ import annotations

import pytest

from rcf.accounts.choices import Role
from rcf.accounts.models import Organisation, User
from rcf.accounts.services import organisation_create, user_create

SIREN = "732829320"  # valid check digit
OTHER_SIREN = "552100554"


@pytest.fixture
def organisation(db: None) -> Organisation:
    return organisation_create(siren=SIREN, name="Dupont Relation Client")


@pytest.fixture
def applicant(organisation: Organisation) -> User:
    return user_create("alice", [Role.APPLICANT], organisation_siren=organisation.siren)
