"""`rcf users create` and `rcf tokens create|revoke`: output, exit statuses, nothing secret."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from rcf.accounts.choices import Role
from rcf.accounts.models import ApiToken, Organisation, User
from rcf.accounts.services import token_authenticate, user_create

from .conftest import SIREN


def run(*args: str, stdin: str | None = None) -> tuple[str, str]:
    out, err = io.StringIO(), io.StringIO()
    options: dict[str, Any] = {"stdin": io.StringIO(stdin)} if stdin is not None else {}
    call_command(*args, stdout=out, stderr=err, **options)
    return out.getvalue(), err.getvalue()


@pytest.mark.django_db
def test_it_creates_an_applicant_and_its_organisation_from_the_siren_alone() -> None:
    """--organisation SIREN is enough (platform-v1.md §3): the organisation is created unnamed."""
    out, _ = run(
        "users",
        "create",
        "alice",
        "--role",
        "applicant",
        "--organisation",
        SIREN,
        "--email",
        "alice@example.org",
    )

    user = User.objects.get(username="alice")
    assert user.has_role(Role.APPLICANT)
    assert user.email == "alice@example.org"
    assert Organisation.objects.get(siren=SIREN).name == ""
    assert out.splitlines()[0] == (
        f"Compte « alice » créé ; rôles : applicant ; organisation : {SIREN} "
        "(sans nom pour l'instant)."
    )
    assert "Mot de passe oublié" in out


@pytest.mark.django_db
def test_it_gives_several_roles_and_a_named_organisation() -> None:
    """--role repeats; --organisation-name names a company missing from the registry."""
    run("users", "create", "claire", "--role", "auditor", "--role", "certifier")
    run(
        "users",
        "create",
        "bea",
        "--role",
        "applicant",
        "--organisation",
        SIREN,
        "--organisation-name",
        "Dupont SA",
    )

    claire = User.objects.get(username="claire")
    assert claire.role_names == {"auditor", "certifier"}
    assert Organisation.objects.get(siren=SIREN).name == "Dupont SA"


@pytest.mark.django_db
def test_it_reads_the_password_from_stdin_and_never_prints_it() -> None:
    """--password-stdin sets an Argon2 password; the output contains no part of it."""
    secret = "Brume-Sur-Le-Marais-42"

    out, err = run(
        "users", "create", "erin", "--role", "afrc", "--password-stdin", stdin=secret + "\n"
    )

    user = User.objects.get(username="erin")
    assert user.password.startswith("argon2")
    assert user.check_password(secret)
    assert secret not in out + err
    assert "argon2" not in out + err
    assert out == "Compte « erin » créé ; rôles : afrc.\n"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--role", "boss"], "Rôle inconnu « boss »"),
        (["--role", "applicant"], "Un demandeur appartient à une organisation"),
        (
            ["--role", "applicant", "--organisation", "123456789", "--organisation-name", "X"],
            "n'est pas un numéro SIREN valide",
        ),
        (["--role", "auditor", "--password-stdin"], "aucun mot de passe"),
        (
            ["--role", "afrc", "--organisation", SIREN, "--organisation-name", "X"],
            "Seul un demandeur",
        ),
    ],
    ids=[
        "unknown-role",
        "applicant-alone",
        "bad-siren",
        "empty-stdin",
        "afrc-with-organisation",
    ],
)
def test_it_exits_2_with_a_clear_error(args: list[str], message: str) -> None:
    """Invalid input: exit status 2, the reason in the message, no account created."""
    with pytest.raises(CommandError) as caught:
        run("users", "create", "zoe", *args, stdin="")

    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_tokens_create_prints_only_a_working_token() -> None:
    """stdout is exactly the token and a newline; the token authenticates its user."""
    user = user_create("cecile", [Role.CERTIFIER])

    out, err = run("tokens", "create", "cecile")

    token = out.removesuffix("\n")
    assert "\n" not in token and " " not in token
    assert token.startswith("rcf_")
    assert token_authenticate(token) == user
    expires = timezone.localtime(ApiToken.objects.get().expires_at)
    assert err == (
        f"Jeton rcf_{token.split('_')[1]}_… de « cecile » valable jusqu'au "
        f"{expires:%Y-%m-%d %H:%M %Z} (365 jours).\n"
    )


@pytest.mark.django_db
def test_tokens_create_exits_2_for_an_unknown_or_deactivated_user() -> None:
    """No token for an account that does not exist or is deactivated."""
    user = user_create("cecile", [Role.CERTIFIER])
    user.is_active = False
    user.save()

    for username in ["nobody", "cecile"]:
        with pytest.raises(CommandError) as caught:
            run("tokens", "create", username)
        assert caught.value.returncode == 2
    assert not ApiToken.objects.exists()


@pytest.mark.django_db
def test_tokens_revoke_stops_a_token() -> None:
    """`rcf tokens revoke PREFIX` (or the whole token) revokes it."""
    user_create("cecile", [Role.CERTIFIER])
    token = run("tokens", "create", "cecile")[0].strip()
    prefix = token.split("_")[1]

    out, _ = run("tokens", "revoke", prefix)

    assert f"rcf_{prefix}_" in out and "révoqué" in out
    assert token_authenticate(token) is None
    with pytest.raises(CommandError) as caught:
        run("tokens", "revoke", "ffffffff")
    assert caught.value.returncode == 2


def test_the_rcf_command_line_exits_with_these_statuses(tmp_path: Path) -> None:
    """End to end through the installed `rcf` program, on a fresh SQLite database."""
    rcf = str(Path(sys.executable).with_name("rcf"))
    env = {**os.environ, "RCF_DATA_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)

    def rcf_run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [rcf, *args],
            env=env,
            input=stdin,
            capture_output=True,
            text=True,
            timeout=120,
            check=False,
        )

    assert rcf_run("migrate", "-v0").returncode == 0
    bad = rcf_run("users", "create", "zoe", "--role", "boss")
    assert bad.returncode == 2
    assert "boss" in bad.stderr
    alone = rcf_run("users", "create", "zoe", "--role", "applicant")
    assert alone.returncode == 2
    made = rcf_run(
        "users",
        "create",
        "zoe",
        "--role",
        "afrc",
        "--password-stdin",
        stdin="Brume-Sur-Le-Marais-42\n",
    )
    assert made.returncode == 0, made.stderr
    assert "Brume" not in made.stdout + made.stderr
    token = rcf_run("tokens", "create", "zoe")
    assert token.returncode == 0
    assert token.stdout.startswith("rcf_") and token.stdout.count("\n") == 1
    verify = rcf_run("journal", "verify")
    assert (verify.returncode, verify.stdout) == (0, "Journal intact : 0 entrées.\n")


@pytest.mark.django_db
def test_tokens_create_expires_when_asked() -> None:
    """--expires DAYS sets the lifetime; a bad number: exit 2 and no token."""
    user_create("cecile", [Role.CERTIFIER])

    out, err = run("tokens", "create", "cecile", "--expires", "30")

    row = ApiToken.objects.get()
    assert row.prefix in out
    assert "(30 jours)" in err
    assert f"{timezone.localtime(row.expires_at):%Y-%m-%d}" in err
    for days in ("0", "-5", "4000"):
        with pytest.raises(CommandError) as caught:
            run("tokens", "create", "cecile", "--expires", days)
        assert caught.value.returncode == 2
        assert "--expires : Durée de validité : de 1 à 3650 jours" in str(caught.value)
    assert ApiToken.objects.count() == 1
