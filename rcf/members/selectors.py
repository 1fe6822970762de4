"""Reading the membership registry."""

from __future__ import annotations

from rcf.members.models import Member
from rcf.referentiel.evidence import Membership


def memberships_of(siren: str) -> list[Membership]:
    """Every membership period of a SIREN, as the pre-check engine takes them (RCF-01)."""
    return [
        Membership(m.member_number, m.siren, m.valid_from, m.valid_until)
        for m in Member.objects.filter(siren=siren).order_by("valid_from", "member_number")
    ]
