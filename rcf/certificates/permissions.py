"""Who may see and do what with a certificate in the private pages.

The public registry shows every certificate to anyone; these rules are for the private pages
(the company's certificate page, the certifier's list and actions).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import QuerySet

from rcf.accounts.choices import Role
from rcf.accounts.permissions import active_user, has_any_role, has_role, is_member_of
from rcf.certificates.models import Certificate

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User


def visible_certificates(user: User | AnonymousUser) -> QuerySet[Certificate]:
    """Certificates a user may open here: the company's own, and every one for the AFRC and
    certifiers (404 for the others; the public pages show every certificate to anyone)."""
    certificates = Certificate.objects.select_related("organisation")
    if has_any_role(user, Role.CERTIFIER, Role.AFRC):
        return certificates
    account = active_user(user)
    if account is not None and account.has_role(Role.APPLICANT) and account.organisation_id:
        return certificates.filter(organisation_id=account.organisation_id)
    return certificates.none()


def certificate_abilities(user: User | AnonymousUser, certificate: Certificate) -> dict[str, bool]:
    """What ``user`` may do with ``certificate``, whatever its state (the services check it)."""
    own = is_member_of(user, certificate.organisation)
    certifier = has_role(user, Role.CERTIFIER)
    return {
        "view": own or has_any_role(user, Role.CERTIFIER, Role.AFRC),
        "download": own or has_any_role(user, Role.CERTIFIER, Role.AFRC),
        "renew": own,
        "suspend": certifier,
        "reinstate": certifier,
        "withdraw": certifier,
    }
