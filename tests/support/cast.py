"""People of a certification, with API tokens, for the workflow tests."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from rcf.accounts.models import User
from rcf.accounts.services import token_create
from tests.support.factories import make_member, make_organisation, make_user


@dataclass
class Actor:
    user: User
    token: str
    client: Client

    def call(self, method: str, path: str, body: Any = None) -> Any:
        kwargs: dict[str, Any] = {"HTTP_AUTHORIZATION": f"Bearer {self.token}"}
        if body is not None:
            kwargs["data"] = json.dumps(body)
            kwargs["content_type"] = "application/json"
        return getattr(self.client, method.lower())(path, **kwargs)


@dataclass
class Cast:
    applicant: Actor
    other_applicant: Actor
    afrc: Actor
    certifier: Actor
    auditor: Actor
    certifier_auditor: Actor


def _actor(user: User) -> Actor:
    return Actor(user, token_create(user=user), Client())


@pytest.fixture
def cast(db: None) -> Cast:
    make_member()
    mutuelle = make_organisation()
    telecom = make_organisation("804072387", "Télécom Exemple SA")
    return Cast(
        applicant=_actor(make_user("claire", "applicant", organisation=mutuelle)),
        other_applicant=_actor(make_user("tom", "applicant", organisation=telecom)),
        afrc=_actor(make_user("anne", "afrc")),
        certifier=_actor(make_user("cedric", "certifier")),
        auditor=_actor(make_user("alice", "auditor")),
        certifier_auditor=_actor(make_user("bruno", "certifier", "auditor")),
    )
