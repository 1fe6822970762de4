"""Fixtures of the credentials tests: a key ring in a temporary directory."""

from __future__ import annotations

from pathlib import Path

import pytest

from rcf.credentials.keys import Keyring, keyring_init


@pytest.fixture
def keyring_path(tmp_path: Path) -> Path:
    return tmp_path / "keys" / "signing-keys.json"


@pytest.fixture
def keyring(keyring_path: Path) -> Keyring:
    return keyring_init(keyring_path)
