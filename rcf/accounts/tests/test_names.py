"""User and organisation names: no hidden characters, one name per person whatever its case.

Each input below used to be accepted (a right-to-left override, a zero-width space, a control
character, ``AFRC`` beside ``afrc``) or to end in a traceback (the full-width ``ａｆｒｃ``, a name
longer than the column).
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import IntegrityError, connection, transaction
from django.db.migrations.executor import MigrationExecutor

from rcf.accounts.choices import Role
from rcf.accounts.models import Organisation, User
from rcf.accounts.services import organisation_create, user_create
from rcf.core.errors import InvalidInput

from .conftest import SIREN

HIDDEN = {
    "rlo": "crfa\u202e",
    "zero-width": "af\u200brc",
    "escape": "afrc\x1b[31m",
    "nul": "af\x00rc",
    "newline": "af\nrc",
    "surrogate": "afrc\udc80",
}


def pointers(error: InvalidInput) -> list[str]:
    return [e.pointer for e in error.errors]


@pytest.mark.django_db
@pytest.mark.parametrize("username", HIDDEN.values(), ids=HIDDEN.keys())
def test_it_refuses_a_username_with_a_hidden_character(username: str) -> None:
    """Control, format (bidi, zero-width) and surrogate characters: a located error."""
    with pytest.raises(InvalidInput) as caught:
        user_create(username, [Role.AFRC])

    assert pointers(caught.value) == ["username"]
    assert "Caractère interdit U+" in caught.value.errors[0].message
    assert not User.objects.exists()


@pytest.mark.django_db
@pytest.mark.parametrize("name", HIDDEN.values(), ids=HIDDEN.keys())
def test_it_refuses_an_organisation_name_with_a_hidden_character(name: str) -> None:
    """The same rule for the name of a new organisation; nothing is created."""
    with pytest.raises(InvalidInput) as caught:
        user_create(
            "alice", [Role.APPLICANT], organisation_siren=SIREN, organisation_name="Dupont" + name
        )

    assert pointers(caught.value) == ["organisation_name"]
    assert not User.objects.exists()
    assert not Organisation.objects.exists()
    with pytest.raises(InvalidInput) as direct:
        organisation_create(siren=SIREN, name="Dupont" + name)
    assert pointers(direct.value) == ["organisation_name"]


@pytest.mark.django_db
@pytest.mark.parametrize("other", ["AFRC", "Afrc", "ａｆｒｃ", "ＡＦＲＣ"])
def test_usernames_are_unique_ignoring_case_and_unicode_forms(other: str) -> None:
    """``AFRC`` and the full-width ``ａｆｒｃ`` are ``afrc``: refused, naming the holder."""
    user_create("afrc", [Role.AFRC])

    with pytest.raises(InvalidInput) as caught:
        user_create(other, [Role.AFRC])

    assert pointers(caught.value) == ["username"]
    assert "« afrc »" in caught.value.errors[0].message
    assert list(User.objects.values_list("username", flat=True)) == ["afrc"]


@pytest.mark.django_db
def test_a_unicode_case_pair_is_one_name_too() -> None:
    """Non-ASCII letters fold too, on SQLite as on PostgreSQL (the key is computed in Python)."""
    user_create("élodie", [Role.AUDITOR])

    with pytest.raises(InvalidInput):
        user_create("ÉLODIE", [Role.AUDITOR])
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_the_database_refuses_two_names_that_clash() -> None:
    """Whoever writes the row (admin, createsuperuser, a script), the unique key holds."""
    User.objects.create_user(username="bob")

    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(username="BOB")
    renamed = User.objects.create_user(username="robert")
    renamed.username = "Bob"
    with pytest.raises(IntegrityError), transaction.atomic():
        renamed.save(update_fields=["username"])
    assert sorted(User.objects.values_list("username_key", flat=True)) == ["bob", "robert"]


@pytest.mark.django_db
def test_it_refuses_names_longer_than_their_column() -> None:
    """A clear error, not a database error (PostgreSQL) or a silent overflow (SQLite)."""
    with pytest.raises(InvalidInput) as caught:
        user_create("a" * 151, [Role.AFRC])
    assert pointers(caught.value) == ["username"]
    assert "151 caractères, 150 au plus" in caught.value.errors[0].message

    with pytest.raises(InvalidInput) as caught:
        user_create(
            "alice", [Role.APPLICANT], organisation_siren=SIREN, organisation_name="D" * 201
        )
    assert pointers(caught.value) == ["organisation_name"]
    assert not User.objects.exists()
    assert not Organisation.objects.exists()

    user_create("a" * 150, [Role.AFRC])
    assert User.objects.get().username == "a" * 150


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("username", "message"),
    [
        (
            "\u202eafrc",
            "username : Caractère interdit U+202E (RIGHT-TO-LEFT OVERRIDE) en position 1",
        ),
        ("ａｆｒｃ", "username : L'identifiant « afrc » est déjà pris."),
        ("AFRC", "username : L'identifiant « AFRC » est déjà pris sous la forme « afrc »"),
        ("x" * 200, "username : Trop long : 200 caractères, 150 au plus."),
        ("jean dupont", "username : L'identifiant « jean dupont » ne peut contenir"),
    ],
    ids=["rlo", "full-width", "upper-case", "too-long", "space"],
)
def test_the_command_exits_2_naming_the_field(username: str, message: str) -> None:
    """`rcf users create` reports the field and the reason, exit 2, no second account."""
    user_create("afrc", [Role.AFRC])

    with pytest.raises(CommandError) as caught:
        call_command("users", "create", username, "--role", "afrc", stdout=io.StringIO())

    assert caught.value.returncode == 2
    assert message in str(caught.value)
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_the_command_names_the_organisation_name_field() -> None:
    """A hidden character in --organisation-name: exit 2, located on organisation_name."""
    with pytest.raises(CommandError) as caught:
        call_command(
            "users",
            "create",
            "alice",
            "--role",
            "applicant",
            "--organisation",
            SIREN,
            "--organisation-name",
            "Dupont\u200b SA",
            stdout=io.StringIO(),
        )

    assert caught.value.returncode == 2
    assert "organisation_name : Caractère interdit U+200B (ZERO WIDTH SPACE)" in str(caught.value)
    assert not Organisation.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_the_migration_refuses_a_database_holding_two_clashing_names() -> None:
    """Upgrading a database where ``AFRC`` and ``afrc`` both exist stops, names them, changes
    nothing; once one is renamed, it goes through."""
    executor = MigrationExecutor(connection)
    before, after = [("accounts", "0002_reset_requests")], [("accounts", "0003_username_key")]
    executor.migrate(before)
    OldUser = executor.loader.project_state(before).apps.get_model("accounts", "User")
    try:
        OldUser.objects.create(username="afrc", password="!")
        clashing = OldUser.objects.create(username="AFRC", password="!")

        executor = MigrationExecutor(connection)
        with pytest.raises(CommandError) as caught:
            executor.migrate(after)

        message = str(caught.value)
        assert "migration accounts.0003 refusée" in message
        assert "« afrc » (id" in message and "« AFRC » (id" in message
        assert "Rien n'a été modifié" in message
        executor = MigrationExecutor(connection)
        assert ("accounts", "0003_username_key") not in executor.loader.applied_migrations
        with connection.cursor() as cursor:
            columns = [
                c.name
                for c in connection.introspection.get_table_description(cursor, "accounts_user")
            ]
        assert "username_key" not in columns

        OldUser.objects.filter(pk=clashing.pk).update(username="afrc-2")
        executor.migrate(after)
        NewUser = executor.loader.project_state(after).apps.get_model("accounts", "User")
        assert sorted(NewUser.objects.values_list("username_key", flat=True)) == [
            "afrc",
            "afrc-2",
        ]
    finally:
        # The model of 0002 (the current one has columns later migrations add).
        OldUser.objects.all().delete()
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())
