"""The editor's contact points page (version 2) and the upgrade of a version 1 draft."""

from __future__ import annotations

from typing import Any

import pytest
from django.urls import reverse
from django.utils import translation

from rcf.certification.models import Application
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db

SLUG = "points-de-contact"


def url(pk: int) -> str:
    return reverse("applications:section", args=[pk, SLUG])


def v2() -> dict[str, Any]:
    return example_declaration("mutuelle-v2-numero-surtaxe.json")


def test_it_creates_new_dossiers_in_the_version_in_effect(cast: Cast) -> None:
    pages.browser(cast, "applicant").post(
        reverse("applications:create"), {"action": "empty", "reference_date": "2026-12-31"}
    )
    application = Application.objects.get()
    assert application.declaration["format"] == "rcf-declaration/2"
    assert application.declaration["contact_points"] == []
    assert application.scheme_version == "2"


def test_it_shows_numbers_in_national_form_and_saves_the_page_unchanged(cast: Cast) -> None:
    document = v2()
    document["contact_points"][0]["value"] = "+33 5 49 12 34 56"
    application = pages.draft(cast, document)
    body = pages.browser(cast, "applicant").get(url(application.pk)).content.decode()
    assert 'value="05 49 12 34 56"' in body
    assert 'value="0 892 68 12 34"' in body
    data = pages.browser_data(application, SLUG)
    response = pages.browser(cast, "applicant").post(url(application.pk), data)
    assert response.status_code == 302
    application.refresh_from_db()
    saved = application.declaration["contact_points"]
    assert [cp["value"] for cp in saved] == [
        "05 49 12 34 56",
        "0 892 68 12 34",
        "contact@mutuelle-exemple.fr",
    ]
    assert saved[0]["sites"] == ["niort", "brest"] and saved[1]["brands"] == ["Mutuelle Exemple"]


def test_it_puts_an_error_next_to_its_field_and_changes_nothing(cast: Cast) -> None:
    application = pages.draft(cast, v2())
    before = application.declaration
    data = pages.browser_data(application, SLUG)
    data["contact_points-1-value"] = "3949"
    data["contact_points-2-sites"] = "niort, maison"
    response = pages.browser(cast, "applicant").post(url(application.pk), data)
    body = response.content.decode()
    assert response.status_code == 200
    assert 'id="id_contact_points-1-value_error"' in body
    assert "dix chiffres" in body
    assert 'id="id_contact_points-2-sites_error"' in body
    application.refresh_from_db()
    assert application.declaration == before


def test_a_version_1_draft_is_offered_the_upgrade(cast: Cast) -> None:
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    declaration_page = client.get(
        reverse("applications:declaration", args=[application.pk])
    ).content.decode()
    assert url(application.pk) not in declaration_page  # not listed for version 1
    body = client.get(url(application.pk)).content.decode()
    assert 'value="upgrade"' in body
    response = client.post(url(application.pk), {"action": "upgrade"})
    assert response.status_code == 302
    application.refresh_from_db()
    assert application.declaration["format"] == "rcf-declaration/2"
    assert application.declaration["contact_points"] == []
    assert application.scheme_version == "2"
    rest = {
        k: v for k, v in application.declaration.items() if k not in {"format", "contact_points"}
    }
    assert rest == {k: v for k, v in example_declaration().items() if k != "format"}


def test_only_the_company_upgrades_its_draft(cast: Cast) -> None:
    application = pages.draft(cast)
    response = pages.browser(cast, "afrc").post(url(application.pk), {"action": "upgrade"})
    assert response.status_code in {403, 404}
    application.refresh_from_db()
    assert application.declaration["format"] == "rcf-declaration/1"


def test_a_contact_point_finding_links_to_its_row(cast: Cast) -> None:
    application = pages.draft(cast, v2())
    body = (
        pages.browser(cast, "applicant")
        .get(reverse("applications:precheck", args=[application.pk]))
        .content.decode()
    )
    assert f"{url(application.pk)}#contact-point-1" in body


def test_the_page_and_its_errors_read_in_english_under_en(cast: Cast) -> None:
    """The scheme's English (channels, purposes), the input errors in English, RCF-09 in English
    on the pre-check."""
    # A request under /en/ leaves English active in this thread: give French back after.
    with translation.override("fr"):
        application = pages.draft(cast, v2())
        client = pages.browser(cast, "applicant")
        # The French addresses, taken before a request under /en/ activates English.
        section = f"/en{url(application.pk)}"
        precheck_url = "/en" + reverse("applications:precheck", args=[application.pk])
        body = client.get(section).content.decode()
        assert ">Customer service (performance of the contract, complaints)<" in body
        assert ">Sales<" in body and ">Vente<" not in body
        data = pages.browser_data(application, SLUG)
        data["contact_points-1-value"] = "3949"
        body = client.post(section, data).content.decode()
        assert "give the ten-digit number that reaches it" in body and "dix chiffres" not in body
        precheck = client.get(precheck_url).content.decode()
        assert "Customer service number “reclamations” (0 892 68 12 34) is surcharged" in precheck
