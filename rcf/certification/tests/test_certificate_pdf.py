"""The certificate PDF: one A4 page in French that says who is certified for what, until when,
and where to check the live status (a QR code and the same address in print)."""

from __future__ import annotations

import datetime as dt
import io
from typing import Any

import pytest
import zxingcpp
from django.test import override_settings
from pypdf import PdfReader
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from rcf.certification.certificate_pdf import (
    DEPARTMENTS_LISTED,
    certificate_pdf,
    offline_fetcher,
    verification_url,
)
from tests.support.factories import example_declaration, make_certificate, make_organisation

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 2, 1)
A4_POINTS = (595.28, 841.89)


def read(pdf: bytes) -> PdfReader:
    assert pdf.startswith(b"%PDF-")
    return PdfReader(io.BytesIO(pdf))


def page_text(reader: PdfReader, index: int = 0) -> str:
    """The page's text with runs of whitespace (line breaks of the layout) made single spaces."""
    return " ".join(reader.pages[index].extract_text().split())


def decoded_qr_codes(reader: PdfReader) -> list[tuple[str, str]]:
    """Every QR code found in the page's images, read by zxing-cpp: (text, error level)."""
    found = []
    for image in reader.pages[0].images:
        found += [(code.text, code.ec_level) for code in zxingcpp.read_barcodes(image.image)]
    return found


@pytest.fixture
def certificate() -> Any:
    organisation = make_organisation(name="Mutuelle Exemple des Deux-Sèvres")
    return make_certificate(organisation, number="RCF-2026-0007")


def test_it_prints_the_certificate_on_one_a4_page_in_french(certificate: Any) -> None:
    """Title, number, company (name, SIREN, brands), the certified scope in French words, the
    scheme version, the dates in dd/mm/yyyy, the certification body and the AFRC."""
    reader = read(certificate_pdf(certificate, today=TODAY))

    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width), 2), round(float(box.height), 2)) == A4_POINTS
    text = page_text(reader)
    for expected in [
        "Certificat Relation Client France",
        "N° RCF-2026-0007",
        "Mutuelle Exemple des Deux-Sèvres",
        "SIREN 845333145",
        "Marque : Mutuelle Exemple",
        "Référentiel version 1",
        "Canaux Téléphone, Courriel, Courrier postal",
        "Activités Front office (contact direct), Back office (traitement sans contact direct)",
        "Phases Vente, Après-vente",
        "3 sites : 2 établissements, 1 en télétravail",
        "29, 79 (France métropolitaine)",
        "98 personnes",
        "1 sous-traitant ou entreprise de travail temporaire",
        "Émis le 15/01/2026",
        "valide jusqu'au 14/01/2029",
        "Certifié depuis le 15/01/2026",
        "AFNOR Certification",
        "AFRC",
        "Association française de la relation client",
        "Document édité le 01/02/2026",
    ]:
        assert expected in text
    # An active certificate carries no warning band.
    assert "n'atteste pas" not in text
    assert reader.metadata is not None
    assert reader.metadata.title == "Certificat Relation Client France RCF-2026-0007"


@override_settings(RCF_BASE_URL="https://rcf.example.fr")
def test_it_prints_a_qr_code_and_the_address_of_the_verification_page(certificate: Any) -> None:
    """The QR code, read back from the PDF's image, is the verification URL built from
    RCF_BASE_URL; the same URL is printed under it, with the line about the live status."""
    url = "https://rcf.example.fr/verifier/RCF-2026-0007/"
    assert verification_url("RCF-2026-0007") == url

    reader = read(certificate_pdf(certificate, today=TODAY))

    assert decoded_qr_codes(reader) == [(url, "Q")]
    text = page_text(reader)
    assert url in text
    assert "Statut en vigueur à cette adresse" in text
    assert "a pu être suspendu ou retiré depuis son émission" in text


@pytest.mark.parametrize(
    ("status", "words"),
    [("suspended", "Certificat suspendu"), ("withdrawn", "Certificat retiré")],
)
def test_it_marks_a_certificate_that_is_not_valid_today(status: str, words: str) -> None:
    """A suspended or withdrawn certificate is printed with its status and the date, and the
    statement that the document attests no certification in force."""
    certificate = make_certificate(make_organisation(), status=status)

    text = page_text(read(certificate_pdf(certificate, today=TODAY)))

    assert f"{words} — statut au 01/02/2026." in text
    assert "Ce document n'atteste pas une certification en vigueur." in text


def test_it_marks_an_expired_certificate_even_before_the_tick_records_it() -> None:
    """Still ``active`` in the database but past its validity: printed as expired."""
    certificate = make_certificate(make_organisation(), valid_from=dt.date(2022, 1, 10))
    assert certificate.status == "active"

    text = page_text(read(certificate_pdf(certificate, today=TODAY)))

    assert "Certificat expiré — statut au 01/02/2026." in text
    assert "Expiré le 10/01/2025" in text
    assert "valide jusqu'au" not in text


def test_it_keeps_the_fullest_scope_on_one_page() -> None:
    """A long name, many brands, every channel and phase, and sites in 49 departments still
    fit on one page, the QR code and its address included; the departments are then counted
    rather than listed."""
    declaration = example_declaration()
    declaration["applicant"]["brands"] = [f"Marque numéro {i}" for i in range(1, 11)]
    for dimension in ("channels", "activities", "phases"):
        for item in declaration["scope"][dimension]:
            declaration["scope"][dimension][item] = "performed"
    departments = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"]
    departments += [str(n) for n in range(21, 43)] + ["971", "972", "974", "976", "973"]
    for index, department in enumerate(departments):
        declaration["sites"].append(
            {
                "id": f"domicile-{index}",
                "operator": "applicant",
                "kind": "telework",
                "location": {"country": "FR", "department": department},
                "channels": ["email"],
                "activities": ["back_office"],
                "phases": ["after_sale"],
            }
        )
    organisation = make_organisation(
        name="Société mutualiste interprofessionnelle de prévoyance et d'assurance des "
        "travailleurs indépendants du Grand Ouest Atlantique"
    )
    certificate = make_certificate(organisation, declaration=declaration, status="suspended")
    count = len(certificate.scope["sites"]["departments"])
    assert count > DEPARTMENTS_LISTED

    reader = read(certificate_pdf(certificate, today=TODAY))

    assert len(reader.pages) == 1
    text = page_text(reader)
    assert "Marque numéro 10" in text
    assert "Visioconférence" in text
    assert f"{count} départements, listés sur la page de vérification" in text
    assert verification_url(certificate.number) in text
    assert "Seul le statut en ligne fait foi." in text
    assert [code for code, _level in decoded_qr_codes(reader)] == [
        verification_url(certificate.number)
    ]


def test_it_prints_markup_from_the_declaration_as_text() -> None:
    """A brand written as HTML is printed as it was typed: it neither becomes markup nor makes
    the renderer fetch the address it names."""
    declaration = example_declaration()
    declaration["applicant"]["brands"] = ['<img src="https://tracker.example/x.png">']
    certificate = make_certificate(make_organisation(), declaration=declaration)

    reader = read(certificate_pdf(certificate, today=TODAY))

    assert 'Marque : <img src="https://tracker.example/x.png">' in page_text(reader)
    assert decoded_qr_codes(reader) == [(verification_url(certificate.number), "Q")]


@pytest.mark.parametrize(
    "url", ["https://example.com/logo.png", "http://127.0.0.1:9/x.css", "file:///etc/hostname"]
)
def test_it_fetches_nothing_but_inline_data(url: str) -> None:
    """The fetcher used for every document refuses any address but ``data:``, and stops the
    rendering rather than leave a hole: nothing leaves the machine, nothing is read from disk."""
    with pytest.raises(ValueError, match="disallowed protocol"):
        offline_fetcher().fetch(url)
    with pytest.raises(FatalURLFetchingError):
        HTML(string=f'<img src="{url}">', url_fetcher=offline_fetcher()).write_pdf()
    inline = "data:image/svg+xml,<svg xmlns='http://www.w3.org/2000/svg' width='1' height='1'/>"
    pdf = HTML(string=f'<img src="{inline}">', url_fetcher=offline_fetcher()).write_pdf()
    assert pdf is not None and pdf.startswith(b"%PDF-")
