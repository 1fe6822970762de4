"""The documents of an audit: evidence files (added by the assigned auditor, downloaded only
through a permission check) and the audit report as a PDF.

Who may use a view is said in its docstring.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext

from rcf.accounts.pages import acting_user
from rcf.certification import refusals
from rcf.certification.choices import AuditStatus
from rcf.certification.forms.audit import EvidenceForm
from rcf.certification.models import EvidenceFile
from rcf.certification.permissions import audit_abilities, visible_applications
from rcf.certification.selectors.audit import audit_for
from rcf.certification.services import audit as services
from rcf.core.pages import form_summary, refuse_unless, submitted
from rcf.core.pages import workflow_page as page
from rcf.core.storage import evidence_storage


@page
def evidence(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the audit sees its evidence files; the assigned auditor adds one while
    the audit is planned (403 for others, 409 once closed)."""
    audit = audit_for(request.user, pk)
    abilities = audit_abilities(request.user, audit)
    form = EvidenceForm(scheme_version=audit.application.scheme_version)
    if request.method == "POST":
        form = EvidenceForm(
            request.POST, request.FILES, scheme_version=audit.application.scheme_version
        )
        if submitted(
            request,
            form,
            lambda data: services.evidence_add(
                actor=acting_user(request),
                audit=audit,
                requirement=data["requirement"],
                name=data["file"].name or "",
                handle=data["file"],
                size=data["file"].size or 0,
            ),
        ):
            messages.success(request, gettext("La pièce est ajoutée."))
            return redirect("audits:evidence", audit.pk)
        # Everyone sees the files, only the auditor the form: a refused file is not shown
        # back, with its errors, to someone who may not add one.
        refuse_unless(abilities["fill"], refusals.FILL_AUDIT)
    return render(
        request,
        "audits/evidence.html",
        {
            "audit": audit,
            "abilities": abilities,
            "planned": audit.status == AuditStatus.PLANNED,
            "form": form,
            "summary": form_summary(form),
            "files": audit.evidence.select_related("uploaded_by").order_by("uploaded_at", "id"),
        },
    )


@page
def evidence_download(request: HttpRequest, evidence_id: int) -> HttpResponseBase:
    """Whoever may see the audit's application (404 otherwise). The file, as an attachment,
    with its recognised type and ``nosniff``: a browser never renders it inside the site."""
    item = (
        EvidenceFile.objects.select_related("audit")
        .filter(pk=evidence_id, audit__application__in=visible_applications(request.user))
        .first()
    )
    if item is None:
        raise Http404(gettext("Aucune pièce n° %(id)s.") % {"id": evidence_id})
    # Through STORAGES["evidence"], where evidence_add wrote it (any instance's).
    storage = evidence_storage()
    if not storage.exists(item.stored_name):
        raise Http404(gettext("Le fichier de cette pièce est introuvable."))
    response = FileResponse(
        storage.open(item.stored_name, "rb"),
        as_attachment=True,
        filename=item.original_name,
        content_type=item.content_type,
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


@page
def report_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """Whoever may see the audit (404 otherwise): the audit report as a PDF attachment,
    provisional while the audit is planned; in the language of the address (``/en/…``) or of
    ``?lang=en``."""
    from rcf.certification.audit_report import audit_report_pdf
    from rcf.certification.certificate_pdf import document_language

    audit = audit_for(request.user, pk)
    language = document_language(request.GET.get("lang"), get_language())
    response = HttpResponse(
        audit_report_pdf(audit, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="rapport-audit-{audit.pk}.pdf"'
    return response
