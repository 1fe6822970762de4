"""user_create: roles, organisation rules, passwords (Argon2), and the role helpers."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import check_password
from django.db import IntegrityError, transaction

from rcf.accounts.choices import Role
from rcf.accounts.models import Organisation, User, UserRole
from rcf.accounts.services import organisation_name_fill, user_create
from rcf.core.errors import InvalidInput

from .conftest import OTHER_SIREN, SIREN


def pointers(error: InvalidInput) -> list[str]:
    return [e.pointer for e in error.errors]


@pytest.mark.django_db
def test_it_stores_each_role_as_a_row_and_answers_has_role() -> None:
    """A certification-body employee may be both auditor and certifier; roles are queryable."""
    user = user_create("claire", [Role.AUDITOR, Role.CERTIFIER, Role.AUDITOR])

    assert sorted(UserRole.objects.filter(user=user).values_list("role", flat=True)) == [
        "auditor",
        "certifier",
    ]
    fresh = User.objects.get(pk=user.pk)
    assert fresh.has_role(Role.AUDITOR) and fresh.has_role("certifier")
    assert not fresh.has_role(Role.APPLICANT)
    assert list(User.objects.with_role(Role.CERTIFIER)) == [fresh]
    assert list(User.objects.with_role(Role.AUDITOR).with_role(Role.CERTIFIER)) == [fresh]
    assert not User.objects.with_role(Role.AFRC).exists()


@pytest.mark.django_db
def test_it_creates_the_applicants_organisation_with_the_given_name() -> None:
    """An unknown SIREN creates the organisation, named by organisation_name."""
    user = user_create(
        "alice", [Role.APPLICANT], organisation_siren=SIREN, organisation_name="Dupont SA"
    )

    organisation = Organisation.objects.get(siren=SIREN)
    assert organisation.name == "Dupont SA"
    assert user.organisation == organisation


@pytest.mark.django_db
def test_it_creates_an_unnamed_organisation_from_the_siren_alone() -> None:
    """Without a name, the organisation is created unnamed and shows as its SIREN.

    The accounts layer does not read the membership registry (it sits below it): the
    registry import or the first declaration names the organisation later.
    """
    user = user_create("alice", [Role.APPLICANT], organisation_siren=OTHER_SIREN)

    organisation = Organisation.objects.get(siren=OTHER_SIREN)
    assert user.organisation == organisation
    assert organisation.name == ""
    assert organisation.display_name == OTHER_SIREN
    assert str(organisation) == OTHER_SIREN


@pytest.mark.django_db
def test_organisation_name_fill_names_only_an_unnamed_organisation() -> None:
    """A name given by someone is never overwritten; an empty one is filled once."""
    user_create("alice", [Role.APPLICANT], organisation_siren=OTHER_SIREN)
    user_create("bob", [Role.APPLICANT], organisation_siren=SIREN, organisation_name="Dupont SA")

    assert organisation_name_fill(siren=OTHER_SIREN, name=" Mutuelle Exemple ") is True
    assert organisation_name_fill(siren=OTHER_SIREN, name="Autre nom") is False
    assert organisation_name_fill(siren=SIREN, name="Autre nom") is False
    assert dict(Organisation.objects.values_list("siren", "name")) == {
        OTHER_SIREN: "Mutuelle Exemple",
        SIREN: "Dupont SA",
    }
    with pytest.raises(InvalidInput) as caught:
        organisation_name_fill(siren=SIREN, name="Dupont\u202eAS")
    assert pointers(caught.value) == ["organisation_name"]


@pytest.mark.django_db
def test_it_joins_an_existing_organisation() -> None:
    """Two applicants of one company share its organisation."""
    first = user_create("a1", ["applicant"], organisation_siren=SIREN, organisation_name="X")
    second = user_create("a2", ["applicant"], organisation_siren=SIREN)

    assert first.organisation_id == second.organisation_id
    assert Organisation.objects.count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("roles", "siren", "pointer"),
    [
        ([Role.APPLICANT], None, "organisation"),
        ([Role.AUDITOR], SIREN, "organisation"),
        ([Role.APPLICANT], "732829321", "organisation"),
        (["boss"], None, "roles"),
        ([], None, "roles"),
    ],
    ids=["applicant-without", "auditor-with", "bad-siren", "unknown-role", "no-role"],
)
def test_it_refuses_roles_and_organisation_that_do_not_fit(
    roles: list[str], siren: str | None, pointer: str
) -> None:
    """An applicant belongs to exactly one organisation; only an applicant; known roles only."""
    with pytest.raises(InvalidInput) as caught:
        user_create("zoe", roles, organisation_siren=siren, organisation_name="Z")

    assert pointer in pointers(caught.value)
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_refuses_a_taken_username_and_a_bad_email() -> None:
    """Every problem is reported at once."""
    user_create("bob", [Role.AFRC])

    with pytest.raises(InvalidInput) as caught:
        user_create("bob", [Role.AFRC], email="not-an-address")

    assert pointers(caught.value) == ["username", "email"]
    assert User.objects.count() == 1


@pytest.mark.django_db
def test_it_hashes_the_password_with_argon2() -> None:
    """Passwords are stored with Argon2id (argon2-cffi), never in clear."""
    user = user_create("erin", [Role.AFRC], password="correct horse battery staple")

    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert check_password("correct horse battery staple", user.password)


@pytest.mark.django_db
def test_it_refuses_a_weak_password() -> None:
    """The password validators of the settings apply (10 characters at least, not common)."""
    with pytest.raises(InvalidInput) as caught:
        user_create("erin", [Role.AFRC], password="azerty")

    assert set(pointers(caught.value)) == {"password"}
    assert not User.objects.exists()


@pytest.mark.django_db
def test_it_leaves_the_password_unusable_when_none_is_given() -> None:
    """Such a user chooses a password through the reset e-mail."""
    user = user_create("frank", [Role.CERTIFIER])

    user.refresh_from_db()
    assert not user.has_usable_password()


@pytest.mark.django_db
def test_the_database_refuses_a_role_twice_or_an_unknown_role() -> None:
    """The table itself keeps one row per user and role, and known roles only."""
    user = user_create("gina", [Role.AFRC])

    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=user, role=Role.AFRC)
    with pytest.raises(IntegrityError), transaction.atomic():
        UserRole.objects.create(user=user, role="boss")
