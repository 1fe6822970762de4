"""QR codes: both the PNG and the SVG decode back to the URL, at error correction level Q."""

from __future__ import annotations

import io
import re
import xml.etree.ElementTree as ET

import pytest
import zxingcpp
from PIL import Image

from rcf.credentials.qr import qr_png, qr_svg

SVG = "{http://www.w3.org/2000/svg}"
URL = "https://rcf.example.fr/verifier/RCF-2026-0042/"


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)  # noqa: S314 (our own output, the thing under test)


def decode(image: Image.Image) -> list[tuple[str, str]]:
    """Decoded by zxing-cpp, an independent implementation: (text, error correction level)."""
    return [(found.text, found.ec_level) for found in zxingcpp.read_barcodes(image)]


def rasterise(svg: str, scale: int = 8) -> Image.Image:
    """Draw the SVG's module path (``M``/``m`` moves, ``h`` runs of dark modules at half-row
    heights, as segno writes it) into a bitmap, so the decoder reads what the SVG says."""
    root = parse(svg)
    _x, _y, width, height = (int(v) for v in root.get("viewBox", "").split())
    (path,) = [p for p in root.iter(SVG + "path") if p.get("stroke")]
    image = Image.new("1", (width * scale, height * scale), 1)
    x = y = 0.0
    for command, a, b in re.findall(r"([MmHh])(-?[\d.]+)(?:\s+(-?[\d.]+))?", path.get("d", "")):
        if command == "M":
            x, y = float(a), float(b)
        elif command == "m":
            x, y = x + float(a), y + float(b)
        else:
            row = int(y - 0.5)
            for column in range(int(x), int(x + float(a))):
                box = (column * scale, row * scale, (column + 1) * scale, (row + 1) * scale)
                image.paste(0, box)
            x += float(a)
    return image


def test_it_makes_a_png_that_decodes_to_the_url_at_level_q() -> None:
    """The PNG scans back to the exact URL; the symbol uses error correction level Q."""
    png = qr_png(URL, 6)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    image = Image.open(io.BytesIO(png))
    assert decode(image) == [(URL, "Q")]
    # Version 4 (33 modules) plus a 4-module quiet zone on each side, 6 px per module.
    assert image.size == ((33 + 8) * 6, (33 + 8) * 6)


def test_it_makes_an_svg_that_decodes_to_the_url() -> None:
    """The SVG, drawn from its own path data, scans back to the exact URL at level Q."""
    svg = qr_svg(URL)
    assert decode(rasterise(svg)) == [(URL, "Q")]


def test_it_makes_an_accessible_scalable_svg() -> None:
    """role="img", a title naming the address, a viewBox and no fixed size, white background."""
    root = parse(qr_svg(URL))
    assert root.get("role") == "img"
    assert root.get("viewBox") == "0 0 41 41"
    assert root.get("width") is None and root.get("height") is None
    title = root.find(SVG + "title")
    assert title is not None and title.text == f"Code QR : {URL}"
    assert [p.get("fill") for p in root.iter(SVG + "path") if p.get("fill")] == ["#fff"]


def test_it_escapes_the_url_in_the_svg_title() -> None:
    """A URL with &, < or quotes keeps the SVG well-formed and still decodes."""
    url = 'https://rcf.example.fr/verifier/?a=1&b="<x>"'
    svg = qr_svg(url)
    root = parse(svg)
    title = root.find(SVG + "title")
    assert title is not None and title.text == f"Code QR : {url}"
    assert decode(rasterise(svg)) == [(url, "Q")]


def test_it_is_deterministic_and_refuses_a_zero_scale() -> None:
    """Same URL, same bytes; a scale below 1 pixel per module is refused."""
    assert qr_svg(URL) == qr_svg(URL)
    assert qr_png(URL, 3) == qr_png(URL, 3)
    with pytest.raises(ValueError, match="scale"):
        qr_png(URL, 0)
