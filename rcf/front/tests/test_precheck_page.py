"""The public pre-check page: anyone tests a declaration; nothing is stored."""

from __future__ import annotations

import datetime as dt
import html
import io
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from rcf.certification.models import Application, PayrollEvidence
from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, fake_nir, generate_dsn
from tests.support.factories import make_member

pytestmark = pytest.mark.django_db
EXAMPLES = Path(__file__).resolve().parents[2] / "referentiel" / "examples"


def upload(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, (EXAMPLES / name).read_bytes(), "application/json")


def dsn_for_niort(people: int) -> bytes:
    employees = [
        Employee(fake_nir(n), contracts=(Contract(start=dt.date(2020, 1, 1)),))
        for n in range(1, people + 1)
    ]
    out = io.BytesIO()
    generate_dsn(
        DsnSpec((Declaration("845333145", "00017", "2026-06", employees, pay_lines=3),)), out
    )
    return out.getvalue()


def test_it_shows_the_form(client: Client) -> None:
    response = client.get("/pre-controle/")
    assert response.status_code == 200
    assert 'type="file" name="declaration"' in response.content.decode()


def test_it_explains_the_verdict_and_each_finding(client: Client) -> None:
    """The mutuelle without DSN: « À vérifier », with the RCF-07 finding in French."""
    make_member()
    response = client.post("/pre-controle/", {"declaration": upload("mutuelle-sans-dsn.json")})
    page = html.unescape(response.content.decode())
    assert response.status_code == 200
    assert "À vérifier" in page
    assert "Aucune DSN fournie pour l'établissement 84533314500017" in page
    assert '"verdict": "to_verify"' in page
    assert not Application.objects.exists()


def test_it_lists_every_input_error_with_its_pointer(client: Client) -> None:
    response = client.post("/pre-controle/", {"declaration": upload("erreurs-de-saisie.json")})
    page = response.content.decode()
    assert response.status_code == 422
    for pointer in [
        "/operators/0",
        "/sites/0/location",
        "/workforce/1/headcount",
        "/workforce/2/site",
    ]:
        assert f"<code>{pointer} :" in page


def test_a_dsn_makes_the_mutuelle_eligible_and_is_not_kept(client: Client) -> None:
    """65 active people at Niort: RCF-07 holds (67 ≤ 65 + 2); no DSN is stored."""
    make_member()
    response = client.post(
        "/pre-controle/",
        {
            "declaration": upload("mutuelle-sans-dsn.json"),
            "dsn": [SimpleUploadedFile("niort-2026-06.dsn", dsn_for_niort(65))],
        },
    )
    assert response.status_code == 200
    assert '"verdict": "eligible"' in html.unescape(response.content.decode())
    assert not PayrollEvidence.objects.exists()


def test_a_malformed_dsn_is_refused_with_its_own_name_and_line(client: Client) -> None:
    broken = dsn_for_niort(3).replace(b"S21.G00.06.001,'845333145'", b"S21.G00.06.001,''")
    response = client.post(
        "/pre-controle/",
        {
            "declaration": upload("mutuelle-sans-dsn.json"),
            "dsn": [SimpleUploadedFile("cassee.dsn", broken)],
        },
    )
    page = response.content.decode()
    assert response.status_code == 422
    assert "cassee.dsn:" in page
    assert "rcf-precheck-" not in page


def test_a_file_that_is_not_a_dsn_is_named_once_not_line_by_line(client: Client) -> None:
    """The DSN field's error names the DSN file, once; it is not « la déclaration »."""
    from pathlib import Path

    from django.core.files.uploadedfile import SimpleUploadedFile

    example = Path(__file__).resolve().parents[2] / "referentiel" / "examples"
    declaration = (example / "mutuelle-sans-dsn.json").read_bytes()
    response = client.post(
        "/pre-controle/",
        {
            "declaration": SimpleUploadedFile("declaration.json", declaration),
            "dsn": [SimpleUploadedFile("notes.txt", b"bonjour\n" * 300)],
        },
    )
    html = response.content.decode()
    assert response.status_code == 422
    assert "Le fichier DSN « notes.txt » est refusé" in html
    assert "La déclaration est refusée" not in html
    assert "pas une DSN : une DSN est un fichier texte" in html
    assert "notes.txt:1: ligne mal formée" in html
    assert html.count("ligne mal formée") == 1
