"""`rcf keys init` and `rcf keys rotate`: exit statuses, the kid printed, nothing secret."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.test import override_settings

from rcf.credentials.keys import jwks, load_keyring
from tests.support.commands import run_rcf

KID = re.compile(r"[A-Za-z0-9_-]{43}")


@pytest.fixture
def ring(keyring_path: Path) -> Iterator[Path]:
    with override_settings(RCF_SIGNING_KEY_FILE=keyring_path):
        yield keyring_path


def private_parts(path: Path) -> list[str]:
    data = json.loads(path.read_text())
    return [data["current"]["jwk"]["d"]]


def test_it_initialises_the_ring_and_prints_its_kid_only(ring: Path) -> None:
    """`rcf keys init` creates the 0600 ring and prints the new kid, and nothing else."""
    run = run_rcf("keys", "init")
    assert run.status == 0, run.stderr
    kid = run.stdout.strip()
    assert KID.fullmatch(kid)
    assert run.stdout == kid + "\n"
    assert run.stderr == ""
    assert load_keyring(ring).current.kid == kid
    assert ring.stat().st_mode & 0o777 == 0o600


def test_it_refuses_to_initialise_twice(ring: Path) -> None:
    """A second `rcf keys init` exits 2 with a message and leaves the ring as it was."""
    assert run_rcf("keys", "init").status == 0
    before = ring.read_bytes()
    run = run_rcf("keys", "init")
    assert run.status == 2
    assert run.stdout == ""
    assert f"{ring} : un trousseau existe déjà" in run.stderr
    assert ring.read_bytes() == before


def test_it_refuses_to_rotate_a_missing_ring(ring: Path) -> None:
    """`rcf keys rotate` without a ring exits 2 and says how to create one."""
    run = run_rcf("keys", "rotate")
    assert run.status == 2
    assert run.stdout == ""
    assert "pas de trousseau de clés" in run.stderr
    assert "rcf keys init" in run.stderr
    assert not ring.exists()


def test_it_rotates_and_prints_the_new_kid(ring: Path) -> None:
    """`rcf keys rotate` prints the new kid; the JWKS then holds the new and the old key."""
    first = run_rcf("keys", "init").stdout.strip()
    run = run_rcf("keys", "rotate")
    assert run.status == 0, run.stderr
    second = run.stdout.strip()
    assert KID.fullmatch(second) and second != first
    assert [key["kid"] for key in jwks(load_keyring(ring))["keys"]] == [second, first]


def test_it_prints_no_private_key_material(ring: Path) -> None:
    """Neither command's output holds a private key (`d`), current or retired."""
    init = run_rcf("keys", "init")
    secrets = private_parts(ring)
    rotate = run_rcf("keys", "rotate")
    secrets += private_parts(ring)
    for run in (init, rotate):
        output = run.stdout + run.stderr
        assert '"d"' not in output
        for secret in secrets:
            assert secret not in output


def test_it_refuses_a_world_readable_ring(ring: Path) -> None:
    """`rcf keys rotate` on a 0644 ring exits 2 with the chmod to run."""
    assert run_rcf("keys", "init").status == 0
    ring.chmod(0o644)
    run = run_rcf("keys", "rotate")
    assert run.status == 2
    assert "mode 0644" in run.stderr
    assert f"chmod 600 {ring}" in run.stderr
