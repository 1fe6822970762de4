"""The embeddable badge (``/badge/{number}.svg``): the label's name and the live status.

Pure and deterministic: the same arguments give the same bytes, every value is escaped. Only
an active certificate is green with a check mark and the word « valide »; a suspended,
withdrawn, expired or unknown one never looks valid. Each colour carries white text at a
contrast of at least 4.5:1 (WCAG 2.x level AA); the status is also in words, never in colour
alone.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from xml.sax.saxutils import escape, quoteattr

LABEL = "Relation Client France"
LABEL_BACKGROUND = "#000091"
TEXT_COLOUR = "#ffffff"
HEIGHT = 24
FONT_SIZE = 11
CHAR_WIDTH = 6.6
"""Average advance of the bold 11 px sans-serif, in px; ``textLength`` makes it exact."""
PADDING = 8
ICON_WIDTH = 14


@dataclass(frozen=True)
class BadgeStyle:
    background: str
    icon: str
    """SVG path data (white stroke), drawn left of the status; empty for none."""


CHECK_MARK = "M3 12.5l3.5 3.5 7-8"
STYLES = {
    "active": BadgeStyle("#18753c", CHECK_MARK),  # green, the only one
    "suspended": BadgeStyle("#b34000", "M5.5 7.5v9M11.5 7.5v9"),  # orange, pause bars
    "withdrawn": BadgeStyle("#ce0500", "M4 8l8 8M12 8l-8 8"),  # red, a cross
    "expired": BadgeStyle("#666666", ""),  # grey
    "unknown": BadgeStyle("#3a3a3a", ""),  # near black
}

WORDS = {
    "fr": {
        "active": "Certifié · valide jusqu'au {date}",
        "active_undated": "Certifié",
        "suspended": "Suspendu",
        "withdrawn": "Retiré",
        "expired": "Expiré",
        "unknown": "Inconnu",
        "certificate": "certificat",
    },
    "en": {
        "active": "Certified · valid until {date}",
        "active_undated": "Certified",
        "suspended": "Suspended",
        "withdrawn": "Withdrawn",
        "expired": "Expired",
        "unknown": "Unknown",
        "certificate": "certificate",
    },
}
DATE_FORMATS = {"fr": "%d/%m/%Y", "en": "%Y-%m-%d"}


def badge_status(status: str, valid_until: dt.date | None, today: dt.date | None = None) -> str:
    """The status the badge shows: ``status`` if known, ``unknown`` otherwise; an ``active``
    certificate past its last day shows ``expired`` (when ``today`` is given) even before the
    nightly ``rcf tick`` records it."""
    if status not in STYLES:
        return "unknown"
    past_end = today is not None and valid_until is not None and valid_until < today
    if status == "active" and past_end:
        return "expired"
    return status


def badge_text(status: str, valid_until: dt.date | None, *, lang: str = "fr") -> str:
    """The status in words, e.g. « Certifié · valide jusqu'au 12/03/2029 »."""
    words = WORDS[lang]
    if status == "active":
        if valid_until is None:
            return words["active_undated"]
        return words["active"].format(date=valid_until.strftime(DATE_FORMATS[lang]))
    return words[status]


def _width(text: str) -> int:
    return round(len(text) * CHAR_WIDTH)


def badge_svg(
    number: str,
    status: str,
    valid_until: dt.date | None,
    *,
    lang: str = "fr",
    today: dt.date | None = None,
) -> str:
    """The badge as an SVG document (text), accessible: ``role="img"``, a ``<title>`` and an
    ``aria-label`` that say the label, the status and the certificate number."""
    if lang not in WORDS:
        raise ValueError(f"langue {lang!r} : {' ou '.join(WORDS)} attendu")
    shown = badge_status(status, valid_until, today)
    style = STYLES[shown]
    text = badge_text(shown, valid_until, lang=lang)
    title = f"{LABEL} : {text} ({WORDS[lang]['certificate']} {number})"

    label_width = _width(LABEL)
    left = label_width + 2 * PADDING
    icon = ICON_WIDTH if style.icon else 0
    text_width = _width(text)
    right = icon + text_width + 2 * PADDING
    width = left + right
    baseline = HEIGHT // 2 + FONT_SIZE * 4 // 11  # optical centre of the capitals

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{HEIGHT}" '
        f'viewBox="0 0 {width} {HEIGHT}" role="img" lang="{lang}" '
        f"aria-label={quoteattr(title)}>",
        f"<title>{escape(title)}</title>",
        f'<rect width="{left}" height="{HEIGHT}" fill="{LABEL_BACKGROUND}"/>',
        f'<rect x="{left}" width="{right}" height="{HEIGHT}" fill="{style.background}"/>',
    ]
    if style.icon:
        parts.append(
            f'<path transform="translate({left + PADDING - 3} 0)" d="{style.icon}" fill="none" '
            f'stroke="{TEXT_COLOUR}" stroke-width="2" stroke-linecap="round" '
            'stroke-linejoin="round"/>'
        )
    parts += [
        f'<g fill="{TEXT_COLOUR}" font-family="Marianne, Arial, Helvetica, sans-serif" '
        f'font-size="{FONT_SIZE}" font-weight="bold">',
        f'<text x="{PADDING}" y="{baseline}" textLength="{label_width}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(LABEL)}</text>',
        f'<text x="{left + PADDING + icon}" y="{baseline}" textLength="{text_width}" '
        f'lengthAdjust="spacingAndGlyphs">{escape(text)}</text>',
        "</g>",
        "</svg>",
    ]
    return "\n".join(parts) + "\n"
