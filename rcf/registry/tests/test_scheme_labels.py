"""Every scheme label a public page shows is in the translation catalogue's source list."""

from __future__ import annotations

from django.utils import translation

from rcf.referentiel.versions import load_scheme
from rcf.registry.labels import scope_label, territory_label
from rcf.registry.scheme_labels import SCHEME_LABELS


def test_the_list_covers_the_scheme() -> None:
    scheme = load_scheme("1")
    shown = {
        label
        for dimension in ("channels", "activities", "phases")
        for label in scheme.enumerations[dimension].values()
    }
    shown |= {territory.label for territory in scheme.territories.values()}
    assert shown <= set(SCHEME_LABELS)


def test_they_read_in_english_under_en() -> None:
    with translation.override("en"):
        assert scope_label("channels", "telephone") == "Telephone"
        assert scope_label("phases", "after_sale") == "After-sale"
        assert territory_label("metropole") == "Metropolitan France"
