"""Fixtures of the registry tests: a signing key ring, a base URL, certified companies."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from rcf.accounts.models import User
from rcf.credentials.keys import Keyring, keyring_init
from tests.support.factories import (
    TELECOM_SIREN,
    example_declaration,
    make_certificate,
    make_organisation,
    make_user,
)

BASE_URL = "https://rcf.example.fr"


@pytest.fixture(autouse=True)
def base_url(settings: Any) -> str:
    settings.RCF_BASE_URL = BASE_URL
    return BASE_URL


@pytest.fixture
def keyring(settings: Any, tmp_path: Path) -> Keyring:
    path = tmp_path / "keys" / "signing-keys.json"
    settings.RCF_SIGNING_KEY_FILE = path
    return keyring_init(path)


@pytest.fixture
def certifier(db: None) -> User:
    return make_user("certificatrice", "certifier")


@pytest.fixture
def mutuelle(db: None) -> Any:
    """Mutuelle Exemple, certificate RCF-2026-0001, valid until 14 January 2029."""
    return make_certificate(
        make_organisation(name="Mutuelle Exemple des Deux-Sèvres"),
        number="RCF-2026-0001",
        status_index=1001,
    )


@pytest.fixture
def telecom(db: None) -> Any:
    """Télécom Exemple SA (brands TelEx, TelEx Mobile), certificate RCF-2026-0002."""
    return make_certificate(
        make_organisation(TELECOM_SIREN, "Télécom Exemple SA"),
        number="RCF-2026-0002",
        declaration=example_declaration("telecom-offshore.json"),
        status_index=2002,
    )
