"""Forms of the login pages: Django's, with the login throttle and accessible error links."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.forms import PasswordResetForm as DjangoPasswordResetForm
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from rcf.accounts.models import User
from rcf.accounts.services import (
    LOGIN_LOCK,
    login_attempt_begin,
    login_attempt_succeeded,
)
from rcf.core.http import client_address, normalise_ip


class LoginForm(AuthenticationForm):
    """Username and password, refused for a while after repeated failures.

    The lock message is the same whether the account exists or not, and the password is not
    checked at all while the lock lasts (so a correct guess during the lock tells nothing).
    """

    errors_id = "erreurs-connexion"
    error_messages = {
        **AuthenticationForm.error_messages,
        "throttled": _(
            "Trop de tentatives de connexion ont échoué. Par sécurité, la connexion est "
            "suspendue pendant %(minutes)s minutes : réessayez plus tard, ou choisissez un "
            "nouveau mot de passe avec « Mot de passe oublié ? »."
        ),
    }
    throttled = False

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        password = self.cleaned_data.get("password")
        if not username or not password:
            # A field is missing: its own error says so, and nothing was tried.
            return super().clean()
        ip = normalise_ip(client_address(self.request)) if self.request else None
        attempt = login_attempt_begin(username=username, ip=ip)
        if attempt is None:
            self.throttled = True
            raise ValidationError(
                self.error_messages["throttled"],
                code="throttled",
                params={"minutes": int(LOGIN_LOCK.total_seconds() // 60)},
            )
        cleaned = super().clean()  # a wrong password leaves the reserved failure as it is
        login_attempt_succeeded(attempt)
        return cleaned

    def full_clean(self) -> None:
        super().full_clean()
        if self.is_bound and self.non_field_errors():
            # The error concerns both fields: link them to it, so screen readers announce it.
            for field in self.fields.values():
                field.widget.attrs["aria-describedby"] = self.errors_id
                field.widget.attrs["aria-invalid"] = "true"


class PasswordResetForm(DjangoPasswordResetForm):
    """Django's form, which also serves accounts created without a password.

    ``rcf users create`` leaves the password unusable unless one is given: the reset e-mail
    is how such a user chooses their first password.
    """

    def get_users(self, email: str) -> Iterator[User]:
        users = User.objects.filter(email__iexact=email, is_active=True)
        return (user for user in users if user.email.casefold() == email.casefold())


class AccountForm(forms.ModelForm):
    """What a person sets on their own account: the language of their e-mails."""

    class Meta:
        model = User
        fields = ["language"]
        widgets = {"language": forms.RadioSelect}
