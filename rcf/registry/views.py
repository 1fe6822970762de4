"""Public pages: the registry, a company's page, the verification page a QR code points to.

Anyone may read them, logged in or not. An unknown SIREN or certificate number gets a friendly
404 page in the visitor's language.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from rcf.certification.models import Certificate
from rcf.certification.selectors.certificate import (
    certificates_in_order,
    phone_check,
    phone_read,
    registry_search,
)
from rcf.certification.selectors.search import registry_search_generation, remembered
from rcf.core.errors import NotFound
from rcf.credentials.qr import qr_svg
from rcf.referentiel.declaration.english import message_in
from rcf.referentiel.telephone import PhoneNumberError
from rcf.registry.forms import MAX_QUERY, PhoneCheckForm, RegistrySearchForm
from rcf.registry.fragments import (
    CHECKED_MARKER,
    CSRF_MARKER,
    Pages,
    fingerprint,
    is_anonymous_page,
    with_check_time,
    with_csrf_token,
)
from rcf.registry.labels import STATUS_HEADLINE, STATUS_MEANING, STATUS_VERDICT
from rcf.registry.opendata import verification_url
from rcf.registry.selectors import (
    certified_cities,
    company_certificates,
    last_valid_day,
    registry_updated_at,
    scheme_cycle,
    status_since,
    verification_get,
)

PAGE_SIZE = 20
CERTIFICATE_NUMBER = re.compile(r"RCF-[0-9]{4}-[0-9]{4,}")
"""The shape of a certificate number: one typed in lower case or with spaces is redirected."""


def verify_prefix() -> str:
    """How the address of every verification page begins: ``https://…/verifier/``."""
    from rcf.registry.urls import VERIFY_PREFIX

    return f"{settings.RCF_BASE_URL}/{VERIFY_PREFIX}"


def not_found(request: HttpRequest, *, number: str = "", siren: str = "") -> HttpResponse:
    return render(
        request,
        "registry/not_found.html",
        {"number": number, "siren": siren, "form": RegistrySearchForm()},
        status=404,
    )


SEARCH_FORMS = Pages(size=512)
RESULT_CARDS = Pages(size=4096)
SEARCH_PAGES = Pages(size=256)
"""Whole registry pages (≈ 20 KB each, 5 MB at most), for visitors who are not logged in."""


@require_safe
def search(request: HttpRequest) -> HttpResponse:
    """``/registre/``: the search form and one page of results, valid certificates only unless
    the visitor asks for every status.

    One scan of the registry gives the matching ids in display order, hence the count and the
    page. A query longer than :data:`MAX_QUERY` is cut, and the page says so (it is not
    dropped). For a visitor who is not logged in, the whole page is rendered once per
    (address, language, day, state of the registry) and then taken from memory
    (:mod:`rcf.registry.fragments`): it is made of certificates and names only, and any write
    to the certificates table changes ``registry_search_generation``, hence the key.
    """
    if not is_anonymous_page(request):
        return render(request, "registry/search.html", search_context(request))
    generation = registry_search_generation()
    if generation is None:  # nothing to tell a change by: render it
        return render(request, "registry/search.html", search_context(request))
    key = fingerprint(
        "registry-page",
        generation,
        timezone.localdate(),
        translation.get_language(),
        settings.RCF_BASE_URL,
        request.get_full_path(),
    )
    page = SEARCH_PAGES.get_or_render(
        key,
        lambda: render_to_string(
            "registry/search.html",
            {**search_context(request), "csrf_token": CSRF_MARKER},
            request,
        ),
    )
    return HttpResponse(with_csrf_token(request, page))


def search_context(request: HttpRequest) -> dict[str, Any]:
    """What ``registry/search.html`` shows for the query of ``request``."""
    data = request.GET.copy()
    query = data.get("q", "")
    cut = len(query) > MAX_QUERY
    if cut:
        data["q"] = query[:MAX_QUERY]
    form = RegistrySearchForm(data or None)
    criteria = form.filters()
    # The order asked for; without one, relevance for a query and the name otherwise (valid
    # certificates first in every order: rcf.certification.selectors.search).
    sort = form.sort_key() if data.get("sort") else ""
    words = {key: criteria[key] for key in ("q", "territory", "department", "channel")}

    def matching(status: str) -> list[int]:
        return registry_search(
            q=criteria["q"],
            status=status,
            territory=criteria["territory"],
            department=criteria["department"],
            channel=criteria["channel"],
            sort=sort,
        )

    ids = matching(criteria["status"])
    page = Paginator(ids, PAGE_SIZE).get_page(request.GET.get("page"))
    # By default only valid certificates are listed: say how many others match, with a link.
    hidden = 0
    if not data.get("status"):
        hidden = len(matching("")) - len(ids)
    language = translation.get_language()

    def cards() -> list[str]:
        rows = certificates_in_order(list(page.object_list), application=True)
        return [result_card(row, row.public_status, language) for row in rows]

    # The cards of a page are made of certificates and names only: kept while the registry
    # does not change (rcf.certification.selectors.search.remembered).
    key = ("registry-cards", language, timezone.localdate(), tuple(page.object_list))
    page_cards = remembered(key, cards)
    search_form = SEARCH_FORMS.get_or_render(
        fingerprint(language, [(k, data.getlist(k)) for k in sorted(data)]),
        lambda: render_to_string(
            "registry/_search_form.html",
            {
                "form": form,
                "with_filters": True,
                "refined": any(words[k] for k in words if k != "q")
                or bool(data.get("status"))
                or bool(data.get("sort")),
            },
            request,
        ),
    )
    return {
        "search_form": mark_safe(search_form),  # noqa: S308 -- rendered by a template
        "criteria": criteria,
        "filtered": any(words.values()) or bool(data.get("status")),
        "page": page,
        "cut": cut,
        "max_query": MAX_QUERY,
        "hidden": hidden,
        "updated_at": registry_updated_at(),
        "cards": [mark_safe(card) for card in page_cards],  # noqa: S308 -- templates
    }


def result_card(certificate: Certificate, status: str, language: str | None) -> str:
    """One result of the registry, rendered by ``registry/_result.html`` (kept in memory)."""
    scope = certificate.scope
    key = fingerprint(
        language,
        status,
        certificate.number,
        certificate.organisation.siren,
        certificate.organisation.name,
        scope.get("brands", []),
        certificate.valid_from,
        certificate.valid_until,
        certificate.status_changed_at,
        certificate.application_id,
    )
    # The cities come from the application's declaration: read only to render the card (the
    # key names the application, whose declaration a decision has fixed).
    return RESULT_CARDS.get_or_render(
        key,
        lambda: render_to_string(
            "registry/_result.html",
            {
                "certificate": certificate,
                "status": status,
                "since": status_since(certificate, status),
                "until": last_valid_day(certificate, status),
                "cities": certified_cities(certificate),
            },
        ),
    )


@require_safe
def company(request: HttpRequest, siren: str) -> HttpResponse:
    """``/registre/{siren}/``: what is certified, the certificates and their history."""
    canonical = "".join(siren.split())
    if canonical != siren and canonical:
        return redirect("registry:company", siren=canonical, permanent=True)
    if not (len(siren) == 9 and siren.isdigit()):
        return not_found(request, siren=siren)
    try:
        certificates = company_certificates(siren)
    except NotFound:
        return not_found(request, siren=siren)
    main = certificates[0]
    number = main.certificate.number
    alt = _("Relation Client France : vérifier le statut du certificat %(number)s") % {
        "number": number
    }
    return render(
        request,
        "registry/company.html",
        {
            "organisation": main.certificate.organisation,
            "main": main,
            "certificates": certificates,
            "snippet": badge_snippet(number, alt),
        },
    )


def badge_snippet(number: str, alt: str) -> str:
    """The HTML a company pastes in its pages: the live badge, linked to the verification page
    on this site (a logo that links elsewhere proves nothing)."""
    base_url = settings.RCF_BASE_URL
    # A plain string (not marked safe): the page shows it as text, escaped once more.
    return '<a href="{}"><img src="{}" alt="{}" height="24"></a>'.format(
        escape(verification_url(base_url, number)),
        escape(f"{base_url}/badge/{number}.svg"),
        escape(alt),
    )


VERIFY_PAGES = Pages(size=2048)


@functools.lru_cache(maxsize=4096)
def qr_of(url: str) -> SafeString:
    """The inline QR code of a page. Drawing one takes longer than rendering the rest of the
    page (~15 ms), and it depends on the address only: kept across changes of status."""
    return mark_safe(qr_svg(url))  # noqa: S308 -- segno's SVG, every text in it escaped


@require_safe
def verify(request: HttpRequest, number: str) -> HttpResponse:
    """``/verifier/{number}/``: the status in words and colour, for a consumer.

    One query; the page is rendered once per (address, language, public facts) and then served
    from memory (:mod:`rcf.registry.fragments`): a change of status changes the facts.
    """
    canonical = number.strip().upper()
    if canonical != number and CERTIFICATE_NUMBER.fullmatch(canonical):
        # Typed by hand or copied with spaces: one address per certificate (and per language).
        return redirect("registry:verify", number=canonical, permanent=True)
    try:
        view = verification_get(number)
    except NotFound:
        return not_found(request, number=number)
    certificate = view.certificate
    base_url = settings.RCF_BASE_URL
    url = verification_url(base_url, certificate.number)
    context = {
        "view": view,
        "certificate": certificate,
        "headline": STATUS_HEADLINE[view.status],  # type: ignore[index]
        "meaning": STATUS_MEANING[view.status],  # type: ignore[index]
        "verdict": STATUS_VERDICT[view.status],  # type: ignore[index]
        "verify_url": url,
        "qr": lambda: qr_of(url),  # called only when the page is rendered
        "verify_prefix": verify_prefix(),
        "cycle": scheme_cycle(),
    }
    checked = date_format(timezone.localtime(), r"j F Y, H\hi")
    if not is_anonymous_page(request):
        return render(request, "registry/verify.html", {**context, "checked": checked})
    key = fingerprint(
        request.get_full_path(),
        translation.get_language(),
        base_url,
        view.status,
        certificate.number,
        certificate.organisation.siren,
        certificate.organisation.name,
        certificate.scheme_version,
        certificate.first_issued_on,
        certificate.valid_from,
        certificate.valid_until,
        certificate.status_changed_at,
        view.last_audit_on,
        certificate.scope,
    )
    page = VERIFY_PAGES.get_or_render(
        key,
        lambda: render_to_string(
            "registry/verify.html",
            {**context, "csrf_token": CSRF_MARKER, "checked": CHECKED_MARKER},
            request,
        ),
    )
    return HttpResponse(with_check_time(with_csrf_token(request, page), checked))


@require_safe
def phone(request: HttpRequest) -> HttpResponse:
    """``/numero/?n=…``: public. Whose customer service a number is, in words: the certified
    company that declared it and its certificate's live status, or that none did; and in every
    case whether it is surcharged or in a range reserved for telemarketing."""
    form = PhoneCheckForm(request.GET if "n" in request.GET else None)
    answer = None
    if form.is_bound and form.is_valid():
        try:
            answer = phone_check(phone_read(form.cleaned_data["n"]))
        except PhoneNumberError as exc:
            # telephone.py words it in French (the API's format); English pages in English.
            form.add_error("n", message_in(exc.message, get_language()))
    status = 200 if answer is not None or not form.is_bound else 422
    return render(request, "registry/phone.html", {"form": form, "answer": answer}, status=status)
