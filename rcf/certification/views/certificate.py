"""Pages of certificates (under ``/espace/certificats/``): the company's certificate, its PDF
and badge kit, its renewal; the certifier's list with suspension, reinstatement and withdrawal.

The public pages (registry, verification, badge) belong to the public site; these pages are for
the people of the workflow. Who may use a view is said in its docstring.
"""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.html import escape
from django.utils.translation import get_language, gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from rcf.accounts.choices import Role
from rcf.accounts.pages import acting_user, require_roles
from rcf.accounts.permissions import has_role
from rcf.certification import refusals
from rcf.certification.choices import CertificateStatus
from rcf.certification.forms.certificate import ReasonForm
from rcf.certification.models import Certificate
from rcf.certification.permissions import certificate_abilities, visible_certificates
from rcf.certification.selectors.certificate import (
    certificate_history,
    certificates_in_order,
    registry_search,
)
from rcf.certification.services import certificate as services
from rcf.certification.services.dossier import application_start_renewal
from rcf.core.pages import bound, form_summary, refuse_unless, submitted
from rcf.core.pages import workflow_page as page

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from rcf.accounts.models import User

CHANGES = {
    "suspendre": {
        "service": services.certificate_suspend,
        "ability": "suspend",
        "title": _("Suspendre le certificat"),
        "explanation": _(
            "Le certificat apparaît aussitôt comme suspendu dans le registre, la page de "
            "vérification et le badge. Sans rétablissement dans les 6 mois, il est retiré."
        ),
        "button": _("Suspendre"),
        "done": _("Le certificat est suspendu."),
    },
    "retablir": {
        "service": services.certificate_reinstate,
        "ability": "reinstate",
        "title": _("Rétablir le certificat"),
        "explanation": _("Le certificat redevient valide jusqu'à la fin de sa période."),
        "button": _("Rétablir"),
        "done": _("Le certificat est rétabli."),
    },
    "retirer": {
        "service": services.certificate_withdraw,
        "ability": "withdraw",
        "title": _("Retirer le certificat"),
        "explanation": _(
            "Le retrait est définitif : l'entreprise devra repasser une certification initiale. "
            "Le certificat reste visible dans le registre avec le statut « retiré »."
        ),
        "button": _("Retirer définitivement"),
        "done": _("Le certificat est retiré."),
    },
}


def _certificate_for(user: User | AnonymousUser, number: str) -> Certificate:
    certificate = visible_certificates(user).filter(number=number).first()
    if certificate is None:
        raise Http404(number)
    return certificate


@page
def certificate_list(request: HttpRequest) -> HttpResponse:
    """Certifiers and the AFRC (every certificate), applicants (their company's); 403 for
    auditors. Search by name, brand, SIREN or number; filter by status."""
    require_roles(request, Role.CERTIFIER, Role.AFRC, Role.APPLICANT)
    q = request.GET.get("q", "").strip()
    status = request.GET.get("statut", "")
    found = registry_search(q=q, status=status if status in CertificateStatus.values else "")
    visible = set(visible_certificates(request.user).values_list("pk", flat=True))
    certificates = certificates_in_order([pk for pk in found if pk in visible][:500])
    return render(
        request,
        "certificates/list.html",
        {
            "certificates": certificates,
            "q": q,
            "status": status,
            "statuses": CertificateStatus.choices,
            "certifier": has_role(request.user, Role.CERTIFIER),
        },
    )


@page
def certificate_detail(request: HttpRequest, number: str) -> HttpResponse:
    """The company, the AFRC and certifiers (404 for others). Status, validity and history; the
    PDF and the badge kit; renewal for the company; suspension, reinstatement, withdrawal for
    certifiers."""
    certificate = _certificate_for(request.user, number)
    base = settings.RCF_BASE_URL
    verify_url = f"{base}/verifier/{certificate.number}/"
    badge_url = f"{base}/badge/{certificate.number}.svg"
    alt = gettext("Label Relation Client France, certificat %(number)s : vérifier sa validité") % {
        "number": certificate.number
    }
    return render(
        request,
        "certificates/detail.html",
        {
            "certificate": certificate,
            "status": certificate.public_status,
            "abilities": certificate_abilities(request.user, certificate),
            "history": [
                {**event, "on": dt.date.fromisoformat(event["on"]), "label": _label(event)}
                for event in certificate_history(certificate)
            ],
            "verify_url": verify_url,
            "badge_url": badge_url,
            "badge_path": f"/badge/{certificate.number}.svg",
            # Shown as text in a textarea (escaped again there): the HTML to paste as it is.
            "snippet": '<a href="{}"><img src="{}" alt="{}" height="24"></a>'.format(
                *(escape(value) for value in (verify_url, badge_url, alt))
            ),
            "renewable": certificate.status
            in {CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED},
        },
    )


def _label(event: dict[str, str]) -> str:
    status = event["status"]
    return str(CertificateStatus(status).label) if status in CertificateStatus.values else status


@page
def certificate_download(request: HttpRequest, number: str) -> HttpResponse:
    """The company, the AFRC and certifiers (404 for others). The certificate as a PDF
    attachment, in the language of the address (``/en/…``) or of ``?lang=en``."""
    certificate = _certificate_for(request.user, number)
    # WeasyPrint is heavy to import: only the pages that make a PDF pay for it.
    from rcf.certification.certificate_pdf import certificate_pdf, document_language

    language = document_language(request.GET.get("lang"), get_language())
    response = HttpResponse(
        certificate_pdf(certificate, language=language), content_type="application/pdf"
    )
    response["Content-Disposition"] = f'attachment; filename="certificat-{certificate.number}.pdf"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


@page
def certificate_change(request: HttpRequest, number: str, change: str) -> HttpResponse:
    """Certifiers (403 for others who may see the certificate). A form page asking for the
    reason, then the suspension, reinstatement or withdrawal; refused (409) when the status
    does not allow it."""
    certificate = _certificate_for(request.user, number)
    spec = CHANGES.get(change)
    if spec is None:
        raise Http404(change)
    form = ReasonForm(bound(request))
    if submitted(
        request,
        form,
        lambda data: spec["service"](  # type: ignore[operator]
            actor=acting_user(request),
            certificate=certificate,
            reason=data["reason"],
        ),
    ):
        messages.success(request, str(spec["done"]))
        return redirect("certificates:detail", certificate.number)
    refuse_unless(
        certificate_abilities(request.user, certificate)[str(spec["ability"])],
        refusals.CHANGE_CERTIFICATE,
    )
    return render(
        request,
        "certificates/change.html",
        {
            "certificate": certificate,
            "spec": spec,
            "form": form,
            "summary": form_summary(form),
        },
    )


@require_POST
@page
def renew(request: HttpRequest, number: str) -> HttpResponse:
    """The certified company (404 for those who may not see the certificate, 403 for other
    roles), while the certificate is valid or suspended and no renewal is under way (409).
    Starts a renewal application from the certified declaration."""
    certificate = _certificate_for(request.user, number)
    application = application_start_renewal(
        actor=acting_user(request),
        certificate_number=certificate.number,
    )
    messages.success(
        request,
        gettext("Le dossier de renouvellement est créé à partir de la déclaration certifiée."),
    )
    return redirect("applications:detail", application.pk)
