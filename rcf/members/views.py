"""Pages of the AFRC membership registry (under ``/espace/adherents/``): the list with its
search, and the CSV import. AFRC staff only (403 for other roles)."""

from __future__ import annotations

import io

from django.conf import settings
from django.contrib import messages
from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext

from rcf.accounts.choices import Role
from rcf.accounts.pages import require_roles
from rcf.core.pages import form_summary
from rcf.core.pages import workflow_page as page
from rcf.members.forms import MembersImportForm
from rcf.members.models import Member
from rcf.members.services import MembersImportError, members_import


@page
def member_list(request: HttpRequest) -> HttpResponse:
    """The AFRC. Every membership, searchable by name, SIREN or member number, with whether
    it is current today."""
    require_roles(request, Role.AFRC)
    q = request.GET.get("q", "").strip()
    members = Member.objects.all()
    for word in q.split():
        members = members.filter(
            Q(name__icontains=word) | Q(siren__contains=word) | Q(member_number__icontains=word)
        )
    today = timezone.localdate()
    rows = [
        {
            "member": member,
            "current": member.valid_from <= today
            and (member.valid_until is None or today <= member.valid_until),
        }
        for member in members[:1000]
    ]
    return render(
        request,
        "members/list.html",
        {"rows": rows, "q": q, "total": Member.objects.count()},
    )


@page
def member_import(request: HttpRequest) -> HttpResponse:
    """The AFRC. Load a CSV file into the registry: all or nothing, every refused line listed
    with its number."""
    require_roles(request, Role.AFRC)
    form = MembersImportForm()
    errors: list[str] = []
    if request.method == "POST":
        form = MembersImportForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            if (upload.size or 0) > settings.RCF_UPLOAD_MAX_BYTES:
                form.add_error("file", gettext("Le fichier est trop volumineux."))
            else:
                errors = _import(request, upload)
                if not errors:
                    return redirect("members:list")
    return render(
        request,
        "members/import.html",
        {"form": form, "errors": errors, "summary": form_summary(form)},
    )


def _import(request: HttpRequest, upload: object) -> list[str]:
    """Run the import; the errors that refused it (nothing is written then)."""
    name = getattr(upload, "name", "") or "adherents.csv"
    try:
        text = upload.read().decode("utf-8")  # type: ignore[attr-defined]
    except UnicodeDecodeError:
        return [gettext("%(file)s : le fichier n'est pas un texte UTF-8.") % {"file": name}]
    try:
        result = members_import(io.StringIO(text, newline=""), source=name)
    except MembersImportError as exc:
        return list(exc.errors)
    messages.success(
        request,
        gettext(
            "Registre importé : %(created)s adhérent(s) ajouté(s), %(updated)s mis à jour, "
            "%(unchanged)s inchangé(s)."
        )
        % {
            "created": len(result.created),
            "updated": len(result.updated),
            "unchanged": len(result.unchanged),
        },
    )
    return []
