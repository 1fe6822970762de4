"""The certificate as a one-page A4 PDF, and the PDF rendering shared with the audit report.

Documents are rendered by WeasyPrint from Django templates, in French, or in English for an
English reader (``language="en"``: the ``/en/`` address of the download or ``?lang=en``, see
:func:`document_language`), with the fonts installed on the machine
(DejaVu) and nothing fetched: every image is inlined, and the URL fetcher refuses any address
that is not a ``data:`` URI, so a template that names a remote or local file fails loudly
instead of leaking a request or reading the disk.
"""

from __future__ import annotations

import base64
import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _
from weasyprint import HTML
from weasyprint.document import Document
from weasyprint.urls import URLFetcher

from rcf.certification.choices import CertificateStatus
from rcf.certification.models import Certificate
from rcf.certification.selectors.certificate import last_valid_day, status_since
from rcf.credentials.qr import qr_png
from rcf.referentiel.versions import load_scheme

CERTIFICATE_TEMPLATE = "certificates/pdf/certificate.html"
DEPARTMENTS_LISTED = 30
"""Above this many departments the certificate gives their number and leaves the list to the
verification page, which always has room for it."""
QR_SCALE = 10
"""Pixels per module of the embedded QR code. Drawn 33 mm wide without smoothing, a version 4
code (41 modules with its quiet zone, 410 pixels) prints at about 315 dpi, sharp edges."""


def offline_fetcher() -> URLFetcher:
    """A fetcher that allows ``data:`` URIs only; any other address stops the rendering."""
    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


LANGUAGES = ("fr", "en")
DAY_FORMATS = {"fr": "d/m/Y", "en": "j F Y"}
"""How a document writes a date: ``15/01/2026``, ``15 January 2026``."""


def document_language(requested: str | None, page_language: str | None) -> str:
    """The language of a document: ``requested`` (the ``lang`` query parameter) if it is one
    of :data:`LANGUAGES`, else the language of the address it was asked from, else French."""
    for language in (requested, (page_language or "").split("-")[0]):
        if language in LANGUAGES:
            return language
    return "fr"


def render_document(
    template_name: str, context: Mapping[str, Any], language: str = "fr"
) -> Document:
    """Lay out a template as pages, in ``language``, without fetching anything."""
    with translation.override(language):
        html = render_to_string(template_name, {"day_format": DAY_FORMATS[language], **context})
        return HTML(string=html, url_fetcher=offline_fetcher()).render()


def pdf_bytes(document: Document) -> bytes:
    pdf = document.write_pdf()
    assert pdf is not None  # write_pdf() without a target returns the bytes
    return pdf


def render_pdf(template_name: str, context: Mapping[str, Any], language: str = "fr") -> bytes:
    """Render a template to PDF bytes, in ``language``, without fetching anything."""
    return pdf_bytes(render_document(template_name, context, language))


def data_uri(content_type: str, content: bytes) -> str:
    return f"data:{content_type};base64,{base64.b64encode(content).decode('ascii')}"


def logo_svg() -> str:
    """The label's logo (``rcf/static/rcf/logo.svg``), inlined in the documents; empty if the
    file is absent, so a missing picture never stops a certificate."""
    path = Path(settings.BASE_DIR) / "static" / "rcf" / "logo.svg"
    return path.read_text("utf-8") if path.is_file() else ""


def verification_url(number: str) -> str:
    """The public page a certificate's QR code points to (platform-v1.md §3)."""
    return f"{settings.RCF_BASE_URL}/verifier/{number}/"


def _labels(codes: list[str], labels: Mapping[str, str]) -> list[str]:
    # A code the scheme does not name is printed as it is rather than dropped.
    return [labels.get(code, code) for code in codes]


def certificate_context(
    certificate: Certificate, *, today: dt.date, language: str = "fr"
) -> dict[str, Any]:
    """What the certificate prints: the certified scope in the scheme's words in ``language``,
    dates, QR code."""
    scheme = load_scheme(certificate.scheme_version).in_language(language)
    scope = certificate.scope
    sites = scope["sites"]
    url = verification_url(certificate.number)
    status = certificate.public_status
    return {
        "certificate": certificate,
        "organisation": certificate.organisation,
        "brands": scope.get("brands", []),
        "scheme_title": scheme.title,
        "scope_rows": [
            (scheme.scope_dimensions.get(dimension, dimension), labels)
            for dimension, labels in (
                ("channels", _labels(scope["channels"], scheme.enumerations["channels"])),
                ("activities", _labels(scope["activities"], scheme.enumerations["activities"])),
                ("phases", _labels(scope["phases"], scheme.enumerations["phases"])),
            )
        ],
        "sites": sites,
        "departments": sites["departments"],
        "list_departments": len(sites["departments"]) <= DEPARTMENTS_LISTED,
        "territories": [
            scheme.territories[t].label if t in scheme.territories else t
            for t in sites["territories"]
        ],
        "operators": scope.get("operators", 0),
        "contributors": scope["contributors"],
        "verification_url": url,
        "qr_src": data_uri("image/png", qr_png(url, QR_SCALE)),
        "logo_svg": logo_svg(),
        "status": status,
        "status_label": CertificateStatus(status).label,  # lazy: in the language of the document
        "is_active": status == CertificateStatus.ACTIVE,
        **stopped_on(certificate, status),
        "today": today,
    }


STOPPED_WORDS = {
    CertificateStatus.SUSPENDED: _("Suspendu le"),
    CertificateStatus.WITHDRAWN: _("Retiré le"),
    CertificateStatus.EXPIRED: _("Expiré le"),
}
"""The box that takes the place of « Validité » on a certificate that is not valid today."""


def stopped_on(certificate: Certificate, status: str) -> dict[str, Any]:
    """For a certificate that is not valid today: the day it stopped being valid and the last
    day it was (its validity is printed as history only, never as « valide jusqu'au »)."""
    since = status_since(certificate, status)
    if since is None:
        return {}
    return {
        "stopped_words": STOPPED_WORDS[CertificateStatus(status)],
        "stopped_on": since,
        "last_valid_day": last_valid_day(certificate, status),
    }


def certificate_pdf(
    certificate: Certificate, *, today: dt.date | None = None, language: str = "fr"
) -> bytes:
    """The certificate as a one-page A4 PDF in French, or in ``language`` (``en``).

    A certificate that is not valid today (suspended, withdrawn, expired) is printed with its
    status in a red band: a document downloaded today never shows it as valid. The QR code and
    the address under it lead to the live status, which is what counts for a printed copy.
    """
    today = today or timezone.localdate()
    # Read again with its status as of ``today``: the one rule of what the public sees.
    certificate = (
        Certificate.objects.with_public_status(today)
        .select_related("organisation")
        .get(pk=certificate.pk)
    )
    context = certificate_context(certificate, today=today, language=language)
    # A long name, many brands or departments could push the last lines onto a second page:
    # then the tighter layout is used, so the certificate stays one sheet.
    document = render_document(CERTIFICATE_TEMPLATE, {**context, "compact": False}, language)
    if len(document.pages) > 1:
        document = render_document(CERTIFICATE_TEMPLATE, {**context, "compact": True}, language)
    return pdf_bytes(document)
