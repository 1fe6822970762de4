"""The embeddable SVG badge: accessible, escaped, and never valid-looking unless active."""

from __future__ import annotations

import colorsys
import datetime as dt
import xml.etree.ElementTree as ET

import pytest

from rcf.credentials.badge import CHECK_MARK, LABEL_BACKGROUND, STYLES, TEXT_COLOUR, badge_svg

SVG = "{http://www.w3.org/2000/svg}"
UNTIL = dt.date(2029, 3, 12)

EXPECTED_FR = {
    "active": "Certifié · valide jusqu'au 12/03/2029",
    "suspended": "Suspendu",
    "withdrawn": "Retiré",
    "expired": "Expiré",
    "unknown": "Inconnu",
}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, the thing under test)


def texts(root: ET.Element) -> list[str]:
    return [element.text or "" for element in root.iter(SVG + "text")]


def fills(root: ET.Element) -> set[str]:
    return {e.get("fill", "") for e in root.iter(SVG + "rect")}


def relative_luminance(colour: str) -> float:
    """WCAG 2.x relative luminance of a #rrggbb colour."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str) -> float:
    light, dark = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def is_greenish(colour: str) -> bool:
    r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
    hue, _lightness, saturation = colorsys.rgb_to_hls(r, g, b)
    return saturation > 0.15 and 75 <= hue * 360 <= 170


@pytest.mark.parametrize(("status", "words"), EXPECTED_FR.items())
def test_it_says_the_status_in_french_words(status: str, words: str) -> None:
    """Each status has its words, in the picture and in the accessible name."""
    svg = badge_svg("RCF-2026-0042", status, UNTIL)
    root = parse(svg)
    assert root.tag == SVG + "svg"
    assert root.get("role") == "img"
    assert root.get("lang") == "fr"
    title = root.find(SVG + "title")
    assert title is not None
    expected_title = f"Relation Client France : {words} (certificat RCF-2026-0042)"
    assert title.text == root.get("aria-label") == expected_title
    assert next(iter(root)) is title  # the first child, as SVG accessibility mappings expect
    assert texts(root) == ["Relation Client France", words]


@pytest.mark.parametrize("status", ["suspended", "withdrawn", "expired", "unknown"])
def test_it_never_makes_an_inactive_certificate_look_valid(status: str) -> None:
    """No « valide », « Certifié », green or check mark unless the certificate is active."""
    svg = badge_svg("RCF-2026-0042", status, UNTIL)
    lowered = svg.lower()
    assert "valide" not in lowered and "certifié" not in lowered
    assert STYLES["active"].background not in lowered
    assert CHECK_MARK not in svg and "✓" not in svg and "✔" not in svg
    assert not any(is_greenish(colour) for colour in fills(parse(svg)))


def test_it_shows_only_the_active_status_in_green_with_a_check_mark() -> None:
    """The active badge is the one with green and the check mark."""
    svg = badge_svg("RCF-2026-0042", "active", UNTIL)
    assert is_greenish(STYLES["active"].background)
    assert STYLES["active"].background in fills(parse(svg))
    assert f'd="{CHECK_MARK}"' in svg
    for status, style in STYLES.items():
        assert is_greenish(style.background) == (status == "active")


def test_it_gives_each_status_its_own_colour_with_aa_contrast() -> None:
    """Distinct backgrounds; white text on each at 4.5:1 or more (WCAG AA, normal text)."""
    backgrounds = [style.background for style in STYLES.values()]
    assert len(set(backgrounds)) == len(backgrounds)
    for background in [*backgrounds, LABEL_BACKGROUND]:
        assert contrast(TEXT_COLOUR, background) >= 4.5, background


def test_it_shows_expired_once_the_last_day_is_past() -> None:
    """An active certificate past its last day already shows « Expiré » when today is given."""
    on_last_day = badge_svg("RCF-2026-0042", "active", UNTIL, today=UNTIL)
    day_after = badge_svg("RCF-2026-0042", "active", UNTIL, today=UNTIL + dt.timedelta(days=1))
    assert texts(parse(on_last_day))[1] == EXPECTED_FR["active"]
    assert texts(parse(day_after))[1] == "Expiré"


def test_it_shows_an_unknown_status_as_unknown() -> None:
    """A status it does not know is « Inconnu », not a guess."""
    assert texts(parse(badge_svg("RCF-2026-0042", "certified?", UNTIL)))[1] == "Inconnu"
    assert texts(parse(badge_svg("RCF-2026-0042", "active", None)))[1] == "Certifié"


def test_it_escapes_everything() -> None:
    """A hostile number stays text: the SVG parses and holds no injected element."""
    hostile = "\"><script>alert(1)</script><x a='&"
    svg = badge_svg(hostile, "suspended", UNTIL)
    root = parse(svg)
    assert "<script" not in svg
    assert not list(root.iter("script")) and not list(root.iter(SVG + "script"))
    title = root.find(SVG + "title")
    assert title is not None and title.text is not None
    assert hostile in title.text
    assert root.get("aria-label") == title.text


def test_it_is_deterministic_and_speaks_english_on_request() -> None:
    """Same arguments, same bytes; lang="en" gives English words; other languages refused."""
    assert badge_svg("RCF-2026-0042", "active", UNTIL) == badge_svg(
        "RCF-2026-0042", "active", UNTIL
    )
    english = parse(badge_svg("RCF-2026-0042", "active", UNTIL, lang="en"))
    assert english.get("lang") == "en"
    assert texts(english)[1] == "Certified · valid until 2029-03-12"
    assert texts(parse(badge_svg("X", "withdrawn", UNTIL, lang="en")))[1] == "Withdrawn"
    with pytest.raises(ValueError, match="langue 'de'"):
        badge_svg("RCF-2026-0042", "active", UNTIL, lang="de")
