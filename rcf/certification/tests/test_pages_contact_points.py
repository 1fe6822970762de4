"""The editor's contact points page (version 2) and the upgrade of a version 1 draft."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any
from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation

from rcf.certification.models import Application
from rcf.referentiel import versions
from rcf.referentiel.versions import SchemeVersions, load_scheme
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


def _calendar(previous_accepted_until: dt.date) -> Any:
    """The shipped versions with another end of the transition (version 2's
    ``previous_accepted_until``), for the length of a ``with``."""
    one, two = load_scheme("1"), load_scheme("2")
    moved = dataclasses.replace(two, previous_accepted_until=previous_accepted_until)
    return mock.patch.object(versions, "shipped_versions", lambda: SchemeVersions([one, moved]))


def test_the_upgrade_offer_gives_the_end_of_the_transition_from_the_calendar(cast: Cast) -> None:
    """The last day version 1 dossiers are accepted is the scheme calendar's, written in the
    page's language: the shipped 30 November 2027, or any other day the data files give."""
    with translation.override("fr"):
        application = pages.draft(cast)
        client = pages.browser(cast, "applicant")
        french, english = url(application.pk), f"/en{url(application.pk)}"
        shipped = client.get(french).content.decode()
        assert "ne sont plus acceptés après le 30 novembre 2027." in shipped
        with _calendar(dt.date(2028, 3, 31)):
            body = client.get(french).content.decode()
            assert "ne sont plus acceptés après le 31 mars 2028." in body
            assert "2027" not in body
            body = client.get(english).content.decode()
            assert "are no longer accepted after 31 March 2028." in body
            assert "2027" not in body and "mars" not in body
        body = client.get(english).content.decode()
        assert "are no longer accepted after 30 November 2027." in body
