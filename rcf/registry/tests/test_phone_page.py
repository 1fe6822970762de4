"""``/numero/``: whose number is this, in words (referentiel-v2.md §4), and the contact points
on the company and verification pages."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from rcf.certification.models import Certificate
from rcf.certification.services.decision import _record_contact_points
from tests.support.factories import example_declaration, make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def certified(status: str = "active") -> Certificate:
    declaration: dict[str, Any] = example_declaration("mutuelle-v2-numero-surtaxe.json")
    declaration["contact_points"][1]["value"] = "09 69 32 00 00"
    certificate = make_certificate(make_organisation(), declaration=declaration, status=status)
    _record_contact_points(certificate, declaration)
    return certificate


def page(number: str | None, prefix: str = "") -> Any:
    return Client().get(f"{prefix}/numero/", {} if number is None else {"n": number})


def test_it_names_the_company_whose_customer_service_it_is() -> None:
    certificate = certified()
    response = page("09.69.32.00.00")
    body = response.content.decode()
    assert response.status_code == 200
    assert "service client de Mutuelle Exemple</strong>" in body
    assert certificate.number in body
    assert "réalisé en France" in body
    assert "ni surtaxé ni dans une tranche réservée au démarchage" in body


def test_a_suspended_certificate_says_so() -> None:
    certified("suspended")
    body = page("+33 9 69 32 00 00").content.decode()
    assert "est suspendu" in body


@pytest.mark.parametrize("status", ["withdrawn", "expired"])
def test_a_withdrawn_or_expired_certificate_no_longer_matches(status: str) -> None:
    certified(status)
    body = page("0969320000").content.decode()
    assert "Aucune entreprise certifiée" in body
    assert "service client de" not in body


def test_it_warns_of_a_surcharged_or_telemarketing_number() -> None:
    surcharged = page("0892 68 12 34").content.decode()
    assert "Ce numéro est surtaxé." in surcharged and "L121-16" in surcharged
    telemarketing = page("01 62 12 34 56").content.decode()
    assert "tranche réservée au démarchage téléphonique." in telemarketing


def test_an_invalid_number_is_shown_next_to_the_field() -> None:
    response = page("3949")
    body = response.content.decode()
    assert response.status_code == 422
    assert 'id="id_n_error"' in body and "dix chiffres" in body
    assert 'aria-invalid="true"' in body
    english = page("3949", prefix="/en").content.decode()
    assert "give the ten-digit number" in english and "dix chiffres" not in english


def test_the_empty_page_has_just_the_form_and_english_exists() -> None:
    body = page(None).content.decode()
    assert 'name="n"' in body and "phone-answer" not in body
    english = page("0969320000", prefix="/en")
    assert english.status_code == 200
    assert "Whose number is this?" in english.content.decode()


def test_company_and_verification_pages_list_contact_points_in_national_form() -> None:
    certificate = certified()
    verify = Client().get(f"/verifier/{certificate.number}/").content.decode()
    company = Client().get(f"/registre/{certificate.organisation.siren}/").content.decode()
    for body in (verify, company):
        assert "05 49 12 34 56" in body and "09 69 32 00 00" in body
        assert "contact@mutuelle-exemple.fr" in body
    assert 'action="/numero/"' in verify
    assert 'action="/numero/"' in Client().get("/").content.decode()


def test_open_data_lists_the_contact_points_of_live_certificates() -> None:
    import csv
    import io

    live = certified()
    declaration: dict[str, Any] = example_declaration("mutuelle-v2-numero-surtaxe.json")
    declaration["applicant"]["brands"] = ["=HYPERLINK()"]
    declaration["contact_points"] = [
        {**declaration["contact_points"][0], "brands": ["=HYPERLINK()"]}
    ]
    formula = make_certificate(
        make_organisation("552100554", "Formules"),
        number="RCF-2026-0002",
        declaration=declaration,
    )
    _record_contact_points(formula, declaration)
    gone = make_certificate(
        make_organisation("732829320", "Retirée"), number="RCF-2026-0003", status="withdrawn",
        declaration=declaration,
    )  # fmt: skip
    _record_contact_points(gone, declaration)
    body = Client().get("/opendata/contacts.csv").content.decode()
    rows = list(csv.DictReader(io.StringIO(body)))
    assert [(r["certificate"], r["channel"], r["value"]) for r in rows] == [
        (live.number, "telephone", "+33549123456"),
        (live.number, "telephone", "+33969320000"),
        (live.number, "email", "contact@mutuelle-exemple.fr"),
        ("RCF-2026-0002", "telephone", "+33549123456"),
    ]
    assert rows[1]["brands"] == "Mutuelle Exemple" and rows[0]["brands"] == ""
    assert rows[3]["brands"] == "'=HYPERLINK()"
    assert body.splitlines()[0] == "certificate,status,siren,name,channel,value,purpose,brands"
    data = Client().get("/opendata/contacts.json").json()
    assert [r["value"] for r in data] == [r["value"] for r in rows]
    schema = Client().get("/opendata/contacts-schema.json").json()
    assert [f["name"] for f in schema["fields"]] == list(rows[0])
