"""Login, logout, password and account pages: Django's views, French templates, the login
throttle, the language of one's e-mails."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import AuthenticationForm
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse, reverse_lazy
from django.utils.translation import gettext
from django.views.decorators.http import require_http_methods

from rcf.accounts.forms import AccountForm, LoginForm, PasswordResetForm
from rcf.accounts.models import User
from rcf.accounts.services import password_reset_allowed
from rcf.core.http import client_address, normalise_ip


class LoginView(auth_views.LoginView):
    """Public. The login form; 429 while the username or the address is locked."""

    template_name = "accounts/login.html"
    form_class = LoginForm
    redirect_authenticated_user = True
    next_page = "workspace"
    """Each role lands on its own workspace, with what waits for it."""

    def form_invalid(self, form: AuthenticationForm) -> HttpResponse:
        response = super().form_invalid(form)
        if getattr(form, "throttled", False):
            response.status_code = 429
        return response


class LogoutView(auth_views.LogoutView):
    """Logged-in users. POST only (a link could log anyone out); back to the home page."""

    next_page = "front:home"


class PasswordResetView(auth_views.PasswordResetView):
    """Public. Sends the reset link; the same answer whether the address is known or not."""

    form_class = PasswordResetForm
    template_name = "accounts/password_reset_form.html"
    email_template_name = "accounts/password_reset_email.txt"
    subject_template_name = "accounts/password_reset_subject.txt"
    success_url = reverse_lazy("accounts:password_reset_done")

    def form_valid(self, form: Any) -> HttpResponse:
        ip = normalise_ip(client_address(self.request))
        if not password_reset_allowed(email=form.cleaned_data["email"], ip=ip):
            # Same answer as a sent e-mail: the limit must not tell which addresses exist.
            return HttpResponseRedirect(self.get_success_url())
        return super().form_valid(form)

    # The link is built on RCF_BASE_URL, not on the request's Host header, which a client
    # could forge to have the platform mail a link to their own site.
    @property
    def extra_email_context(self) -> dict[str, str]:
        return {"base_url": settings.RCF_BASE_URL}


class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    """Public, with the link's token. Chooses the new password."""

    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


class PasswordChangeView(auth_views.PasswordChangeView):
    """Logged-in users. Changes one's own password (the old one is asked)."""

    template_name = "accounts/password_change_form.html"
    success_url = reverse_lazy("accounts:password_change_done")


class PasswordChangeDoneView(auth_views.PasswordChangeDoneView):
    template_name = "accounts/password_change_done.html"


@login_required
@require_http_methods(["GET", "POST"])
def account(request: HttpRequest) -> HttpResponse:
    """Logged-in users. One's own account: name, e-mail, the language of the e-mails."""
    user = request.user
    assert isinstance(user, User)
    form = AccountForm(request.POST or None, instance=user)
    if request.method == "POST":
        if form.is_valid():
            form.save()
            messages.success(request, gettext("Vos préférences sont enregistrées."))
            return HttpResponseRedirect(reverse("accounts:account"))
        return render(request, "accounts/account.html", {"form": form}, status=422)
    return render(request, "accounts/account.html", {"form": form})
