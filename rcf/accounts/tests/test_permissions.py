"""Role checks and the abilities on an organisation."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from rcf.accounts.choices import Role
from rcf.accounts.models import Organisation, User
from rcf.accounts.permissions import has_any_role, has_role, is_member_of, require_role
from rcf.accounts.services import organisation_create, user_create
from rcf.core.errors import ActionForbidden

from .conftest import OTHER_SIREN


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("own-applicant", {"retrieve": True, "update": False, "manage_users": False}),
        ("other-applicant", {"retrieve": False, "update": False, "manage_users": False}),
        (Role.AFRC, {"retrieve": True, "update": True, "manage_users": True}),
        (Role.CERTIFIER, {"retrieve": True, "update": False, "manage_users": False}),
        (Role.AUDITOR, {"retrieve": False, "update": False, "manage_users": False}),
        ("anonymous", {"retrieve": False, "update": False, "manage_users": False}),
    ],
)
def test_it_grants_organisation_abilities_by_role(
    organisation: Organisation, applicant: User, role: str, expected: dict[str, bool]
) -> None:
    """Applicants see their own company only; the AFRC edits it; certifiers see it."""
    user: User | AnonymousUser
    if role == "own-applicant":
        user = applicant
    elif role == "other-applicant":
        organisation_create(siren=OTHER_SIREN, name="Autre")
        user = user_create("other", [Role.APPLICANT], organisation_siren=OTHER_SIREN)
    elif role == "anonymous":
        user = AnonymousUser()
    else:
        user = user_create("staff", [role])

    assert organisation.get_abilities(user) == expected


@pytest.mark.django_db
def test_a_deactivated_user_holds_no_role(organisation: Organisation, applicant: User) -> None:
    """Deactivating an account removes every right at once."""
    applicant.is_active = False
    applicant.save()

    assert not has_role(applicant, Role.APPLICANT)
    assert not is_member_of(applicant, organisation)
    assert organisation.get_abilities(applicant)["retrieve"] is False


@pytest.mark.django_db
def test_require_role_returns_the_user_or_raises_forbidden() -> None:
    """require_role is the one-line guard of services: 403 for a missing role."""
    auditor = user_create("audrey", [Role.AUDITOR])

    assert require_role(auditor, Role.CERTIFIER, Role.AUDITOR) == auditor
    assert has_any_role(auditor, Role.AFRC, Role.AUDITOR)
    with pytest.raises(ActionForbidden) as caught:
        require_role(auditor, Role.CERTIFIER)
    assert caught.value.status_code == 403
    with pytest.raises(ActionForbidden):
        require_role(AnonymousUser(), Role.AUDITOR)


@pytest.mark.django_db
def test_a_superuser_holds_no_role_by_being_superuser() -> None:
    """is_superuser opens the admin only; business roles are explicit."""
    admin = User.objects.create_superuser("root", "root@example.org", "x" * 12)

    assert not has_any_role(admin, *Role)
