"""The AFRC membership registry."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Member(models.Model):
    """A company's AFRC membership, as the AFRC keeps it (one row per member number).

    The label is reserved to AFRC members (RCF-01): the pre-check reads this table to decide
    whether the applicant's SIREN was a member on the declaration's reference date.
    """

    member_number = models.CharField(_("numéro d'adhérent"), max_length=32, unique=True)
    siren = models.CharField(_("SIREN"), max_length=9, db_index=True)
    name = models.CharField(_("raison sociale"), max_length=200)
    valid_from = models.DateField(_("adhérent depuis le"))
    valid_until = models.DateField(
        _("adhérent jusqu'au (inclus)"),
        null=True,
        blank=True,
        help_text=_("Vide : adhésion sans date de fin."),
    )
    updated_at = models.DateTimeField(_("mis à jour le"), auto_now=True)

    class Meta:
        ordering = ["name", "member_number"]
        verbose_name = _("adhérent")
        verbose_name_plural = _("adhérents")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(valid_until__isnull=True)
                | models.Q(valid_until__gte=models.F("valid_from")),
                name="member_valid_until_after_valid_from",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.member_number} {self.name} ({self.siren})"
