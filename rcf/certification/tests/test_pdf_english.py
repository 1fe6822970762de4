"""The certificate and the audit report in English, for an English reader: downloaded from the
/en/ address of the page, or with ``?lang=en``; French otherwise, as before."""

from __future__ import annotations

import io
import re

import pytest
from django.urls import reverse
from django.utils import translation
from pypdf import PdfReader

from rcf.certification.certificate_pdf import document_language
from rcf.certification.models import Audit
from rcf.referentiel.scheme import read_scheme
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db

FRENCH = re.compile(
    r"Certificat\b|Émis le|valide jusqu|Certifié depuis|Périmètre|Téléphone|Courriel|"
    r"établissement|Organisme certificateur|Propriétaire|Départements|Contributeurs|"
    r"Rapport d'audit|Dossier n°|Liste de contrôle|Exigence|Constats|Preuves|Bilan|"
    r"Non-conformités|échantillon|Aucun|statut|Édité le|contrat de travail|sur site"
)
"""Words of the French PDFs (their template and the scheme's texts they print)."""


def text_of(pdf: bytes) -> str:
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return " ".join(
        " ".join(page.extract_text().replace("-\n", "-").split()) for page in reader.pages
    )


def url(name: str, *args: object, language: str) -> str:
    with translation.override(language):
        return reverse(name, args=args)


def test_the_language_of_a_document() -> None:
    assert document_language("en", "fr") == "en"
    assert document_language(None, "en") == "en"
    assert document_language("de", "en-gb") == "en"
    assert document_language("", None) == "fr"
    assert document_language("fr", "en") == "fr"


@pytest.mark.parametrize(
    ("language", "query"), [("en", ""), ("fr", "?lang=en")], ids=["/en/", "?lang=en"]
)
def test_the_certificate_reads_in_english(cast: Cast, language: str, query: str) -> None:
    certificate = pages.certified(cast)
    client = pages.browser(cast, "applicant")
    response = client.get(url("certificates:pdf", certificate.number, language=language) + query)
    assert response.status_code == 200
    text = text_of(response.content)
    assert FRENCH.search(text.replace("Mutuelle Exemple", "")) is None, text
    start = certificate.valid_from
    for english in (
        "Relation Client France Certificate",
        f"No. {certificate.number}",
        "AFNOR Certification certifies that the company",
        "performs 100% of its remote customer relations in France",
        "Certified scope",
        "Telephone",
        f"Issued on {start.day} {start:%B} {start.year}",
        "Certification body",
        "Owner of the label",
    ):
        assert english in text, english


def test_the_certificate_stays_french_by_default(cast: Cast) -> None:
    certificate = pages.certified(cast)
    response = pages.browser(cast, "applicant").get(
        url("certificates:pdf", certificate.number, language="fr")
    )
    text = text_of(response.content)
    assert "Certificat Relation Client France" in text
    assert f"Émis le {certificate.valid_from:%d/%m/%Y}" in text
    assert "Téléphone" in text


def test_the_audit_report_reads_in_english(cast: Cast) -> None:
    application = pages.audited(cast)
    audit = Audit.objects.get(application=application)
    client = pages.browser(cast, "auditor")
    response = client.get(url("audits:report_pdf", audit.pk, language="en"))
    assert response.status_code == 200
    text = text_of(response.content)
    # The reasons the sample proposal gave stay French (docs/i18n.md): they are left out.
    for entry in audit.sampled_sites:
        text = text.replace(" ".join(str(entry.get("reason", "")).split()), "")
    assert FRENCH.search(text.replace("Mutuelle Exemple", "")) is None, text
    for english in (
        "Audit report",
        "Checklist",
        read_scheme("1").in_language("en").checklist["RCF-A2"][:60],
        "Conforming",
        "No major nonconformity open: the application can go to the certification decision.",
        f"Application no. {application.pk}",
    ):
        assert english in text, english

    french = text_of(client.get(url("audits:report_pdf", audit.pk, language="fr")).content)
    assert "Rapport d'audit" in french
    assert "Aucune non-conformité majeure ouverte" in french


def test_the_fullest_certificate_stays_on_one_page_in_english() -> None:
    """English is longer than French in places: the one-page rule holds for it too."""
    from rcf.certification.certificate_pdf import certificate_pdf
    from tests.support.factories import example_declaration, make_certificate, make_organisation

    declaration = example_declaration()
    declaration["applicant"]["brands"] = [f"Brand number {i}" for i in range(1, 11)]
    for dimension in ("channels", "activities", "phases"):
        for item in declaration["scope"][dimension]:
            declaration["scope"][dimension][item] = "performed"
    departments = [f"{n:02d}" for n in range(1, 20)] + ["2A", "2B"]
    departments += [str(n) for n in range(21, 43)] + ["971", "972", "974", "976", "973"]
    for index, department in enumerate(departments):
        declaration["sites"].append(
            {
                "id": f"home-{index}",
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
    pdf = certificate_pdf(certificate, language="en")
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert "departments, listed on the verification page" in text
    assert "Certificate suspended" in text
    assert "This document does not attest a certification in force." in text
