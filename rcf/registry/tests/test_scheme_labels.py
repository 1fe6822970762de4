"""The scheme's labels on the public pages come from the scheme file, in the page's language."""

from __future__ import annotations

from django.utils import translation

from rcf.registry.labels import scope_choices, scope_label, territory_choices, territory_label


def test_they_read_in_english_under_en() -> None:
    with translation.override("en"):
        assert scope_label("channels", "telephone") == "Telephone"
        assert scope_label("phases", "after_sale") == "After-sale"
        assert territory_label("metropole") == "Metropolitan France"
        assert ("postal_mail", "Postal mail") in scope_choices("channels")
        assert ("drom", "Overseas departments and regions") in territory_choices()


def test_they_read_in_french_otherwise() -> None:
    with translation.override("fr"):
        assert scope_label("channels", "telephone") == "Téléphone"
        assert territory_label("metropole") == "France métropolitaine"
        assert ("postal_mail", "Courrier postal") in scope_choices("channels")
    assert scope_label("channels", "fax") == "fax"
    assert territory_label("mars") == "mars"
