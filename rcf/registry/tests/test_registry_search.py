"""The registry page ``/registre/``: search, filters, empty results, pagination, languages."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

import pytest
from django.test import Client
from stdnum import luhn

from tests.support.factories import make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def siren(serial: int) -> str:
    """A valid SIREN (Luhn check digit) built from a serial number."""
    body = f"{500_000_00 + serial:08d}"
    return body + luhn.calc_check_digit(body)


def result_names(html: str) -> list[str]:
    return re.findall(r'<h3><a href="/(?:en/)?registre/\d{9}/">([^<]+)</a></h3>', html)


def test_it_lists_every_certified_company_with_status_number_and_validity(
    client: Client, mutuelle: Any, telecom: Any
) -> None:
    """Each result shows the name, the brands, the status in words, the number and validity."""
    response = client.get("/registre/")
    assert response.status_code == 200
    html = response.content.decode()
    assert result_names(html) == ["Mutuelle Exemple des Deux-Sèvres", "Télécom Exemple SA"]
    assert "2 certificats" in html
    assert "TelEx, TelEx Mobile" in html
    assert 'class="tag tag-ok"' in html and "Valide" in html
    assert 'href="/verifier/RCF-2026-0002/"' in html
    assert "du 15 janvier 2026 au 14 janvier 2029" in html
    assert 'href="/registre/804072387/"' in html


def test_it_finds_a_name_ignoring_accents_and_case(
    client: Client, mutuelle: Any, telecom: Any
) -> None:
    """« telecom » finds « Télécom Exemple SA », and « TÉLÉCOM » too."""
    for q in ("telecom", "TÉLÉCOM", "télécom exemple"):
        html = client.get("/registre/", {"q": q}).content.decode()
        assert result_names(html) == ["Télécom Exemple SA"], q


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("telex mobile", "Télécom Exemple SA"),
        ("845333145", "Mutuelle Exemple des Deux-Sèvres"),
        ("rcf-2026-0002", "Télécom Exemple SA"),
    ],
)
def test_it_finds_brands_sirens_and_certificate_numbers(
    client: Client, mutuelle: Any, telecom: Any, q: str, expected: str
) -> None:
    """The words match names, brands, SIREN and certificate numbers."""
    assert result_names(client.get("/registre/", {"q": q}).content.decode()) == [expected]


def test_it_filters_by_status_territory_department_and_channel(
    client: Client, certifier: Any, mutuelle: Any, telecom: Any
) -> None:
    """Every filter narrows the results; the status filter uses the public status."""
    from rcf.certification.services.certificate import certificate_suspend

    certificate_suspend(actor=certifier, certificate=telecom, reason="Audit manqué")

    def names(**criteria: str) -> list[str]:
        criteria.setdefault("status", "all")  # valid only is the default
        return result_names(client.get("/registre/", criteria).content.decode())

    assert names(status="suspended") == ["Télécom Exemple SA"]
    assert names(status="active") == ["Mutuelle Exemple des Deux-Sèvres"]
    assert names(department="29") == ["Mutuelle Exemple des Deux-Sèvres"]
    assert names(department="80") == ["Télécom Exemple SA"]
    assert names(channel="chat") == ["Télécom Exemple SA"]
    assert names(territory="metropole") == [
        "Mutuelle Exemple des Deux-Sèvres",
        "Télécom Exemple SA",
    ]
    assert names(territory="drom") == []
    assert names(q="exemple", channel="postal_mail", department="79") == [
        "Mutuelle Exemple des Deux-Sèvres"
    ]


def test_it_shows_an_expired_certificate_as_expired_and_filters_it_so(
    client: Client, mutuelle: Any
) -> None:
    """An active certificate past its validity is shown « Expiré », never « Valide »."""
    make_certificate(
        make_organisation(siren(999), "Ancienne Assurance"),
        number="RCF-2022-0001",
        valid_from=dt.date(2022, 1, 10),
    )
    html = client.get("/registre/", {"q": "ancienne", "status": "all"}).content.decode()
    assert 'class="tag tag-neutral"><span class="visually-hidden">Statut : </span>Expiré' in html
    assert "tag-ok" not in html
    expired = client.get("/registre/", {"status": "expired"}).content.decode()
    assert result_names(expired) == ["Ancienne Assurance"]
    active = client.get("/registre/", {"status": "active"}).content.decode()
    assert result_names(active) == ["Mutuelle Exemple des Deux-Sèvres"]


def test_it_says_clearly_when_nothing_matches(client: Client, mutuelle: Any) -> None:
    """No result: the words searched are repeated, with suggestions and a way back."""
    response = client.get("/registre/", {"q": "Boulangerie <Dupont>"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "0 certificat" in html
    assert "Aucune entreprise ne correspond à « Boulangerie &lt;Dupont&gt; »." in html
    assert "Suggestions" in html
    assert 'href="/registre/"' in html
    assert result_names(html) == []


def test_it_reports_an_invalid_department_and_ignores_it(client: Client, mutuelle: Any) -> None:
    """A malformed filter is reported next to its field; the rest of the search still runs."""
    html = client.get("/registre/", {"department": "ABC", "q": "mutuelle"}).content.decode()
    assert "Saisissez un code de département" in html
    assert result_names(html) == ["Mutuelle Exemple des Deux-Sèvres"]


def test_it_paginates_twenty_results_a_page_keeping_the_search(client: Client) -> None:
    """25 matches: 20 on page 1 with a link to page 2 that keeps the words; 5 on page 2."""
    for position in range(1, 26):
        make_certificate(
            make_organisation(siren(position), f"Société {position:02d} Services"),
            number=f"RCF-2026-{position:04d}",
        )
    first = client.get("/registre/", {"q": "services"}).content.decode()
    assert len(result_names(first)) == 20
    assert "25 certificats" in first
    assert "Page 1 sur 2" in first
    assert 'href="?q=services&amp;page=2"' in first
    second = client.get("/registre/", {"q": "services", "page": "2"}).content.decode()
    assert result_names(second) == [f"Société {n:02d} Services" for n in range(21, 26)]
    assert 'href="?q=services&amp;page=1"' in second
    assert "Page suivante" not in second
    assert client.get("/registre/", {"q": "services", "page": "99"}).status_code == 200


def test_it_speaks_english_under_en(client: Client, telecom: Any) -> None:
    """``/en/registre/`` is the same registry with an English page (``lang="en"``)."""
    response = client.get("/en/registre/", {"q": "telecom"})
    html = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in html
    assert result_names(html) == ["Télécom Exemple SA"]
    assert 'href="/en/registre/804072387/"' in html


def test_it_labels_every_search_field(client: Client) -> None:
    """Accessibility: each field has a label bound to it; the form is a search landmark."""
    html = client.get("/registre/").content.decode()
    assert 'role="search"' in html
    for name in ("q", "status", "territory", "department", "channel"):
        assert f'<label for="id_{name}">' in html
        assert f'id="id_{name}"' in html


def test_a_word_search_reads_the_full_text_index_on_sqlite(telecom: Any) -> None:
    """On SQLite the words are looked up in the FTS5 trigram index, not by scanning."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from rcf.certification.selectors.search import search_certificates

    if connection.vendor != "sqlite":
        pytest.skip("an FTS5 table on SQLite (PostgreSQL: a GIN trigram index)")
    with CaptureQueriesContext(connection) as queries:
        assert search_certificates("telecom") == [telecom.pk]
    sql = queries.captured_queries[1]["sql"]  # after the check of the generation
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql)
        plan = " ".join(str(row[-1]) for row in cursor.fetchall())
    assert "VIRTUAL TABLE INDEX" in plan and "registry_search_fts" in plan
