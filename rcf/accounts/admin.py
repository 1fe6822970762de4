"""Back office of the accounts app."""

from __future__ import annotations

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UsernameField
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.forms.models import BaseInlineFormSet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from rcf.accounts.models import (
    ApiToken,
    LoginAttempt,
    Organisation,
    User,
    UserRole,
    username_key,
)
from rcf.accounts.services import organisation_rule_problem, token_revoke
from rcf.referentiel.characters import forbidden_character


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "siren", "created_at"]
    search_fields = ["name", "siren"]

    def get_readonly_fields(
        self, request: HttpRequest, obj: Organisation | None = None
    ) -> list[str]:
        # The SIREN is the company's identity: fixed once the organisation exists.
        return ["siren", "created_at"] if obj is not None else ["created_at"]


class UserRoleFormSet(BaseInlineFormSet):
    """Keeps the rule of ``user_create``: an applicant, and only an applicant, has a company."""

    def clean(self) -> None:
        super().clean()
        roles = [
            form.cleaned_data["role"]
            for form in self.forms
            if form.cleaned_data.get("role") and not form.cleaned_data.get("DELETE")
        ]
        if roles:
            has_organisation = self.instance.organisation_id is not None
            problem = organisation_rule_problem(roles, has_organisation=has_organisation)
            if problem:
                raise ValidationError(problem)


class UserRoleInline(admin.TabularInline):
    model = UserRole
    formset = UserRoleFormSet
    extra = 0
    readonly_fields = ["granted_at"]


class UserAdminForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"
        field_classes = {"username": UsernameField}

    def clean_username(self) -> str:
        """The rules of ``user_create`` for a renamed user, rather than a database error."""
        username: str = self.cleaned_data["username"]
        problem = forbidden_character(username)
        if problem is not None:
            raise ValidationError(
                _("Caractère interdit %(codepoint)s en position %(position)s."),
                params={"codepoint": problem.codepoint, "position": problem.position},
            )
        clash = User.objects.filter(username_key=username_key(username)).exclude(
            pk=self.instance.pk
        )
        if clash.exists():
            raise ValidationError(
                _("Un autre compte porte déjà ce nom, à la casse ou à la forme Unicode près.")
            )
        return username


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    list_display = ["username", "email", "organisation", "roles_display", "is_active"]
    list_filter = ["roles__role", "is_active", "is_staff"]
    search_fields = ["username", "email", "organisation__name", "organisation__siren"]
    autocomplete_fields = ["organisation"]
    inlines = [UserRoleInline]
    form = UserAdminForm
    fieldsets = (
        *DjangoUserAdmin.fieldsets,  # type: ignore[misc]
        (_("Organisation"), {"fields": ["organisation"]}),
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        # Accounts are created by `rcf users create` (the user_create service and its rules).
        return False

    def get_queryset(self, request: HttpRequest) -> QuerySet[User]:
        return (
            super().get_queryset(request).select_related("organisation").prefetch_related("roles")
        )

    @admin.display(description=_("rôles"))
    def roles_display(self, user: User) -> str:
        return ", ".join(sorted(user.role_names))


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    """Tokens are created with ``rcf tokens create`` (the clear token is shown once there)."""

    list_display = ["__str__", "user", "created_at", "expires_at", "last_used_at", "revoked_at"]
    list_filter = ["revoked_at"]
    search_fields = ["prefix", "user__username"]
    fields = ["user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    readonly_fields = ["user", "prefix", "created_at", "expires_at", "last_used_at", "revoked_at"]
    actions = ["revoke"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    @admin.action(description=_("Révoquer les jetons choisis"))
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiToken]) -> None:
        for token in queryset:
            token_revoke(token=token)
        self.message_user(request, _("Jetons révoqués."), messages.SUCCESS)


@admin.register(LoginAttempt)
class LoginAttemptAdmin(admin.ModelAdmin):
    """Read-only: the throttle's record, kept one day."""

    list_display = ["attempted_at", "outcome", "ip"]
    list_filter = ["outcome"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
