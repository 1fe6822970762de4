"""Where the declaration editor shows an error of a site's whole location: an unknown commune
code is reported by the commune field, not by « Pays »."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db


def test_an_unknown_commune_code_is_reported_on_the_commune_field(cast: Cast) -> None:
    application = pages.draft(cast)
    data = pages.browser_data(application, "sites")
    data["sites-2-commune_insee"] = "99999"
    response = pages.browser(cast, "applicant").post(
        reverse("applications:section", args=(application.pk, "sites")), data
    )
    html = response.content.decode()
    assert "code commune INSEE inconnu" in html
    # The message is under the commune field and the summary links to it.
    assert re.search(r'id="id_sites-2-commune_insee_error"[^>]*>\s*<li>[^<]*inconnu', html)
    assert 'href="#id_sites-2-commune_insee"' in html
    assert 'id="id_sites-2-country_error"' not in html
