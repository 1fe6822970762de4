"""Organisations, users and their roles, API tokens, and the record of login attempts."""

from __future__ import annotations

import unicodedata
from datetime import datetime
from functools import cached_property
from typing import TYPE_CHECKING, Any, ClassVar

from django.contrib.auth.models import AbstractUser
from django.contrib.auth.models import UserManager as DjangoUserManager
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from stdnum.exceptions import ValidationError as StdnumValidationError
from stdnum.fr import siren as stdnum_siren

from rcf.accounts.choices import LoginOutcome, Role

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser


def validate_siren(value: str) -> None:
    """Refuse anything but the nine digits of a SIREN with a valid check digit."""
    try:
        compact = stdnum_siren.validate(value)
    except StdnumValidationError:
        raise ValidationError(
            _("« %(value)s » n'est pas un numéro SIREN valide (9 chiffres, clé de Luhn)."),
            code="invalid_siren",
            params={"value": value},
        ) from None
    if compact != value:
        raise ValidationError(
            _("Le SIREN s'écrit en 9 chiffres, sans espace : « %(value)s »."),
            code="siren_not_compact",
            params={"value": value},
        )


class Organisation(models.Model):
    """A company that applies for the label, identified by its SIREN.

    Applicant users belong to exactly one organisation; the applications are owned by it.
    """

    siren = models.CharField(_("SIREN"), max_length=9, unique=True, validators=[validate_siren])
    # Empty until someone names it: `rcf users create --organisation SIREN` may create the
    # organisation from its SIREN alone (docs/accounts.md); the registry import or the first
    # declaration fills it through ``organisation_name_fill``.
    name = models.CharField(_("raison sociale"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)

    class Meta:
        ordering = ["name", "siren"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return f"{self.name} ({self.siren})" if self.name else self.siren

    @property
    def display_name(self) -> str:
        """The name, or the SIREN while the organisation has none yet."""
        return self.name or self.siren

    def get_abilities(self, user: User | AnonymousUser) -> dict[str, bool]:
        """What ``user`` may do with this organisation (rules in ``permissions.py``)."""
        from rcf.accounts.permissions import organisation_abilities

        return organisation_abilities(user, self)


class UserQuerySet(models.QuerySet["User"]):
    def with_role(self, role: Role | str) -> UserQuerySet:
        """Users holding ``role``; chain the call to require several roles."""
        return self.filter(roles__role=Role(role))


class UserManager(DjangoUserManager.from_queryset(UserQuerySet)):  # type: ignore[misc]
    """Django's user manager (``create_user``…) plus :meth:`UserQuerySet.with_role`."""


def username_key(username: str) -> str:
    """The form under which two usernames are the same name: NFKC, then case folded.

    ``AFRC``, ``afrc`` and the full-width ``ａｆｒｃ`` share the key ``afrc``, so they cannot
    belong to two people (one would pass for the other in the journal and in e-mails).
    """
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


class User(AbstractUser):
    """A person who logs in. Roles are rows of :class:`UserRole`, so they can be queried."""

    # Unique: usernames differing only by case or by Unicode compatibility form are one name.
    # Derived from the username in save(), whoever writes it (the command, the admin, Django's
    # createsuperuser), because a key that could drift from its username would protect nothing.
    username_key = models.CharField(
        _("identifiant normalisé"), max_length=150, unique=True, editable=False
    )

    organisation = models.ForeignKey(
        Organisation,
        verbose_name=_("organisation"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Obligatoire pour un demandeur ; vide pour les autres rôles."),
    )

    # The language of the e-mails the platform sends this person (the pages follow the URL).
    language = models.CharField(
        _("langue des e-mails"),
        max_length=8,
        choices=[("fr", "Français"), ("en", "English")],
        default="fr",
        help_text=_("Les e-mails de la plateforme vous sont écrits dans cette langue."),
    )

    objects: ClassVar[UserManager] = UserManager()

    class Meta:
        verbose_name = _("utilisateur")
        verbose_name_plural = _("utilisateurs")

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.username_key = username_key(self.username)
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "username" in update_fields:
            kwargs["update_fields"] = {*update_fields, "username_key"}
        super().save(*args, **kwargs)

    @cached_property
    def role_names(self) -> frozenset[str]:
        """The user's roles, read once per instance (uses ``prefetch_related("roles")``)."""
        return frozenset(grant.role for grant in self.roles.all())

    def has_role(self, role: Role | str) -> bool:
        return Role(role).value in self.role_names


class UserRole(models.Model):
    """One role held by one user."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("rôle"), max_length=16, choices=Role.choices)
    granted_at = models.DateTimeField(_("attribué le"), auto_now_add=True)

    class Meta:
        ordering = ["user", "role"]
        verbose_name = _("rôle d'un utilisateur")
        verbose_name_plural = _("rôles des utilisateurs")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="userrole_unique_per_user"),
            models.CheckConstraint(
                condition=models.Q(role__in=Role.values), name="userrole_role_known"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id} {self.role}"


class ApiToken(models.Model):
    """A bearer token for the HTTP API, stored as the SHA-256 of its secret part.

    The clear token (``rcf_<prefix>_<secret>``) is shown once, at creation. The prefix is
    public and finds the row; the secret is 32 random bytes, so a fast hash is enough (no
    dictionary can guess it) and lets every API request be checked cheaply.
    """

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="api_tokens")
    prefix = models.CharField(_("préfixe"), max_length=16, unique=True)
    secret_sha256 = models.CharField(_("empreinte SHA-256 du secret"), max_length=64)
    created_at = models.DateTimeField(_("créé le"), auto_now_add=True)
    expires_at = models.DateTimeField(_("expire le"))
    last_used_at = models.DateTimeField(_("dernière utilisation"), null=True, blank=True)
    revoked_at = models.DateTimeField(_("révoqué le"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("jeton d'API")
        verbose_name_plural = _("jetons d'API")

    def __str__(self) -> str:
        return f"rcf_{self.prefix}_…"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None

    def has_expired(self, now: datetime) -> bool:
        return self.expires_at <= now


class LoginAttempt(models.Model):
    """One attempt to log in through the web form, kept one day for the throttle.

    The username is stored as a keyed digest, never in clear: people type passwords in the
    username field, and the throttle only needs to recognise the same name again.
    """

    username_digest = models.CharField(_("empreinte de l'identifiant"), max_length=64)
    ip = models.GenericIPAddressField(_("adresse IP"), null=True, blank=True)
    attempted_at = models.DateTimeField(_("le"), db_index=True)
    outcome = models.CharField(_("résultat"), max_length=16, choices=LoginOutcome.choices)

    class Meta:
        ordering = ["-attempted_at"]
        verbose_name = _("tentative de connexion")
        verbose_name_plural = _("tentatives de connexion")
        indexes = [
            models.Index(fields=["username_digest", "attempted_at"]),
            models.Index(fields=["ip", "attempted_at"]),
        ]

    def __str__(self) -> str:
        return f"{self.attempted_at:%Y-%m-%d %H:%M:%S} {self.outcome}"
