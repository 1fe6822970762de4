"""QR codes that point to a certificate's verification page (``/verifier/{number}/``).

Error correction level Q (25 % of the symbol may be lost): the code is printed on paper
certificates and stickers, where a stain or a fold must not stop a scan. The level is fixed
(segno's ``boost_error`` is off) so the same URL always gives the same symbol. The quiet zone
is the standard 4 modules, on white, so the code scans on any background.
"""

from __future__ import annotations

import io

import segno

ERROR_LEVEL = "Q"
BORDER = 4
DARK = "#000000"
LIGHT = "#ffffff"


def qr_code(url: str) -> segno.QRCode:
    """The QR code symbol for ``url`` (byte mode, level Q, smallest version that fits)."""
    return segno.make_qr(url, error=ERROR_LEVEL, boost_error=False)


def qr_svg(url: str) -> str:
    """A scalable SVG document (``viewBox``, no fixed size: the page or the PDF sizes it),
    with ``role="img"`` and a ``<title>`` naming the address it encodes."""
    out = io.BytesIO()
    qr_code(url).save(
        out,
        kind="svg",
        xmldecl=False,
        border=BORDER,
        dark=DARK,
        light=LIGHT,
        title=f"Code QR : {url}",
        omitsize=True,
        svgclass=None,
        lineclass=None,
        nl=False,
    )
    svg = out.getvalue().decode("utf-8")
    return svg.replace("<svg ", '<svg role="img" ', 1)


def qr_png(url: str, scale: int) -> bytes:
    """A PNG with ``scale`` pixels per module (at 300 dpi, scale 10 prints a version 4 code,
    quiet zone included, 3.5 cm wide)."""
    if scale < 1:
        raise ValueError("scale : au moins 1 pixel par module")
    out = io.BytesIO()
    qr_code(url).save(out, kind="png", scale=scale, border=BORDER, dark=DARK, light=LIGHT)
    return out.getvalue()
