"""A certificate that is not valid today never reads as valid: its status and the day it
stopped come first, and its validity period is given only as history (« était valide du … »)."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from rcf.certification.models import Certificate
from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db

STOPPED = dt.datetime(2026, 6, 3, 10, 0, tzinfo=dt.UTC)


def revoke(certificate: Any, status: str) -> None:
    """Suspend or withdraw by the service, then date the change (3 June 2026)."""
    from rcf.certification.services import certificate as services
    from tests.support.factories import make_user

    certifier = make_user("certif-revoke", "certifier")
    if status == "suspended":
        services.certificate_suspend(actor=certifier, certificate=certificate, reason="x")
    else:
        services.certificate_withdraw(actor=certifier, certificate=certificate, reason="x")
    Certificate.objects.filter(pk=certificate.pk).update(status_changed_at=STOPPED)


def text_of(html: str) -> str:
    return " ".join(re.sub(r"<[^>]+>", " ", html).split())


@pytest.mark.parametrize(
    ("status", "words"),
    [("suspended", "Suspendu depuis le 3 juin 2026"), ("withdrawn", "Retiré le 3 juin 2026")],
)
@pytest.mark.parametrize("path", ["/verifier/RCF-2026-0001/", "/registre/{siren}/", "/registre/"])
def test_a_revoked_certificate_shows_its_date_and_no_validity(
    client: Client, status: str, words: str, path: str
) -> None:
    certificate = make_certificate(make_organisation(name="Mutuelle Exemple"))
    revoke(certificate, status)
    query = "?status=all" if path == "/registre/" else ""
    html = client.get(path.format(siren=certificate.organisation.siren) + query).content.decode()
    text = text_of(html)
    assert words in text
    assert "était valide du 15 janvier 2026 au 3 juin 2026" in text
    assert "Valide du" not in text and "Valide jusqu'au" not in text
    assert "Période de validité : du" not in text


def test_an_expired_certificate_gives_its_expiry_and_its_period_as_history(client: Client) -> None:
    make_certificate(make_organisation(), number="RCF-2022-0007", valid_from=dt.date(2022, 3, 1))
    text = text_of(client.get("/verifier/RCF-2022-0007/").content.decode())
    assert "Expiré depuis le 1 mars 2025" in text
    assert "était valide du 1 mars 2022 au 28 février 2025" in text
    assert "Valide jusqu'au" not in text


def test_a_valid_certificate_still_gives_its_period(client: Client) -> None:
    make_certificate(make_organisation())
    text = text_of(client.get("/verifier/RCF-2026-0001/").content.decode())
    assert "Valide jusqu'au 14 janvier 2029" in text and "était valide" not in text


def test_the_withdrawn_certificate_pdf_prints_no_validity_box() -> None:
    from rcf.certification.certificate_pdf import certificate_pdf
    from rcf.certification.tests.test_certificate_pdf import page_text, read

    certificate = make_certificate(make_organisation())
    revoke(certificate, "withdrawn")
    text = page_text(read(certificate_pdf(certificate, today=timezone.localdate())))
    assert "valide jusqu'au" not in text
    assert "Retiré le 03/06/2026" in text
    assert "était valide du 15/01/2026 au 03/06/2026" in text
    assert "avait certifié que l'entreprise" in text and "certifie que" not in text


def test_the_verification_page_says_when_it_was_checked_and_by_whom(client: Client) -> None:
    """Kept in memory, the page still gives the time of each request (not of its rendering)."""
    make_certificate(make_organisation())
    first = text_of(client.get("/verifier/RCF-2026-0001/").content.decode())
    assert re.search(r"Statut lu dans le registre le \d{1,2} \w+ \d{4}, \d\dh\d\d\.", first)
    assert "checked-" not in first
    assert "AFNOR Certification" in first
    assert "forme lisible par un logiciel" in first


def test_a_revoked_company_page_says_its_scope_is_no_longer_guaranteed(client: Client) -> None:
    certificate = make_certificate(make_organisation())
    revoke(certificate, "withdrawn")
    text = text_of(client.get(f"/registre/{certificate.organisation.siren}/").content.decode())
    assert "Ce qui était certifié" in text and "Ce qui est certifié" not in text
    assert "ce périmètre n'est plus garanti" in text
