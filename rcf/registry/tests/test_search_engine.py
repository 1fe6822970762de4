"""The registry search engine: full text, typos, ranking, filters and order, the index kept in
step (rcf/certification/selectors/search.py). Each test runs on the database of the run
(SQLite, or PostgreSQL with ``DATABASE_URL``); the ``postgres`` ones check what only it has."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from stdnum import luhn

from rcf.accounts.models import Organisation
from rcf.certification.models import Certificate
from rcf.certification.selectors.search import Filters, search_certificates
from rcf.core.text import similarity
from tests.support.cast import Cast
from tests.support.factories import example_declaration, make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def siren(serial: int) -> str:
    body = f"{600_000_00 + serial:08d}"
    return body + luhn.calc_check_digit(body)


def certify(
    serial: int, name: str, declaration: dict[str, Any] | None = None, **options: Any
) -> Certificate:
    """A certificate of ``name``, with no brand unless the declaration gives some."""
    if declaration is None:
        declaration = example_declaration()
        declaration["applicant"]["brands"] = []
    return make_certificate(
        make_organisation(siren(serial), name),
        number=f"RCF-2026-{serial:04d}",
        status_index=5000 + serial,
        declaration=declaration,
        **options,
    )


def names(ids: list[int]) -> list[str]:
    by_id = dict(Certificate.objects.filter(pk__in=ids).values_list("pk", "organisation__name"))
    return [by_id[pk] for pk in ids]


@pytest.fixture
def registry(db: None) -> None:
    """Companies whose names look alike, and others."""
    for serial, name in enumerate(
        [
            "Boulanger SA",
            "Boulangerie Martin",
            "Les Boulangers Réunis",
            "Mutuelle Exemple des Deux-Sèvres",
            "Mutuelles de Bretagne",
            "Télécom Exemple SA",
            "Énergie du Nord",
            "Transports Dupont",
        ],
        start=1,
    ):
        certify(serial, name)


@pytest.mark.parametrize(
    ("q", "expected"),
    [
        ("mutuele", "Mutuelle Exemple des Deux-Sèvres"),
        ("Boulenger", "Boulanger SA"),
        ("telecm exemple", "Télécom Exemple SA"),
        ("ENERGIE NORT", "Énergie du Nord"),
        ("transprots dupont", "Transports Dupont"),
    ],
)
def test_a_misspelt_query_finds_the_company(registry: None, q: str, expected: str) -> None:
    """Near spellings find the company, first; case and accents are ignored."""
    found = names(search_certificates(q))
    assert found and found[0] == expected, found


def test_a_word_far_from_every_name_finds_nothing(registry: None) -> None:
    assert search_certificates("boulanger zzyzx") == []
    assert search_certificates("quincaillerie") == []


def test_a_number_one_digit_off_is_another_company(registry: None) -> None:
    """Typo tolerance is for words: a SIREN or certificate number must be exact."""
    assert names(search_certificates(siren(4))) == ["Mutuelle Exemple des Deux-Sèvres"]
    assert search_certificates(siren(4)[:-1] + "0") == []
    assert names(search_certificates("rcf-2026-0006")) == ["Télécom Exemple SA"]


def test_the_exact_name_comes_first_then_name_words_then_the_rest(registry: None) -> None:
    """« boulanger »: the whole name, then a name word starting so, then near spellings."""
    found = names(search_certificates("boulanger"))
    assert found == ["Boulanger SA", "Boulangerie Martin", "Les Boulangers Réunis"]
    assert names(search_certificates("Boulanger SA"))[0] == "Boulanger SA"
    certify(20, "Boulenger Frères")
    found = names(search_certificates("boulanger"))
    assert found[0] == "Boulanger SA"
    # Fewer exact hits than a page: near spellings follow them, never before.
    assert found[-1] == "Boulenger Frères"
    # « boulanger » (similarity 0.54) stands for « boulenger », and is found inside words.
    assert names(search_certificates("boulenger")) == [
        "Boulenger Frères",
        "Boulanger SA",
        "Boulangerie Martin",
        "Les Boulangers Réunis",
    ]


def test_filters_and_orders_combine(registry: None, client: Client) -> None:
    """Status, department and channel narrow a typo search; name and recent orders apply."""
    telecom_like = certify(
        30,
        "Mutuel Télécom Plus",
        declaration=example_declaration("telecom-offshore.json"),
        valid_from=dt.date(2026, 3, 1),
    )
    old = certify(31, "Mutuelle Ancienne", valid_from=dt.date(2025, 6, 1))
    everything = names(search_certificates("mutuelle"))
    assert set(everything) == {
        "Mutuelle Exemple des Deux-Sèvres",
        "Mutuelles de Bretagne",
        "Mutuelle Ancienne",
        "Mutuel Télécom Plus",
    }
    by_name = names(search_certificates("mutuelle", sort="name"))
    assert by_name == sorted(by_name, key=lambda n: n.lower().replace("é", "e"))
    recent = search_certificates("mutuelle", sort="recent")
    assert recent[0] == telecom_like.pk and recent[-1] == old.pk
    assert names(search_certificates("mutuelle", Filters(channel="chat"))) == [
        "Mutuel Télécom Plus"
    ]
    assert names(search_certificates("mutuele", Filters(department="80"), sort="name")) == [
        "Mutuel Télécom Plus"
    ]
    body = client.get(
        "/api/v1/registry", {"q": "mutuelle", "sort": "recent", "page_size": "2"}
    ).json()
    assert body["count"] == 4
    assert body["results"][0]["number"] == telecom_like.number
    assert client.get("/api/v1/registry", {"sort": "cheapest"}).status_code == 422


def test_without_words_the_order_is_the_name_without_accents(registry: None) -> None:
    found = names(search_certificates(""))
    assert found[:3] == ["Boulanger SA", "Boulangerie Martin", "Énergie du Nord"]


def test_a_withdrawn_certificate_is_found_with_its_status_but_not_as_valid(
    registry: None, client: Client
) -> None:
    certify(40, "Menuiserie Retirée", status="withdrawn")
    body = client.get("/api/v1/registry", {"q": "menuiserie"}).json()
    assert [(r["organisation"]["name"], r["status"]) for r in body["results"]] == [
        ("Menuiserie Retirée", "withdrawn")
    ]
    assert (
        client.get("/api/v1/registry", {"q": "menuiserie", "status": "active"}).json()["count"] == 0
    )
    assert search_certificates("menuisrie", Filters(status="active")) == []
    assert names(search_certificates("menuisrie", Filters(status="withdrawn"))) == [
        "Menuiserie Retirée"
    ]


def test_the_index_follows_a_renamed_company(registry: None) -> None:
    organisation = Organisation.objects.get(name="Transports Dupont")
    assert names(search_certificates("dupont")) == ["Transports Dupont"]  # now remembered
    assert search_certificates("logistik") == []
    organisation.name = "Logistique Durand"
    organisation.save()
    assert search_certificates("dupont") == []
    assert names(search_certificates("durand")) == ["Logistique Durand"]
    assert names(search_certificates("logistik durand")) == ["Logistique Durand"]
    assert names(search_certificates("", sort="name"))[4] == "Logistique Durand"


def test_the_index_follows_a_raw_update_of_the_search_text(registry: None) -> None:
    """The database keeps its index in step with the column, whoever writes it."""
    certificate = Certificate.objects.get(organisation__name="Transports Dupont")
    assert search_certificates("dupont") == [certificate.pk]  # now remembered
    Certificate.objects.filter(pk=certificate.pk).update(search_text="transports zephyrin")
    assert search_certificates("dupont") == []
    assert search_certificates("zephyrin") == [certificate.pk]
    certificate.events.all().delete()
    Certificate.objects.filter(pk=certificate.pk).delete()
    assert search_certificates("zephyrin") == []


def test_a_rolled_back_write_leaves_no_remembered_result_behind(registry: None) -> None:
    """Results are remembered per state of the registry; a rolled-back write returns to the
    state before it, and its own results are never served for another one."""
    from django.db import transaction

    assert search_certificates("zephyrin") == []

    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        certify(50, "Zephyrin Conseil")
        assert names(search_certificates("zephyrin")) == ["Zephyrin Conseil"]
        raise Undo
    assert search_certificates("zephyrin") == []
    certify(51, "Zephyrine Voyages")
    assert names(search_certificates("zephyrin")) == ["Zephyrine Voyages"]
    assert names(search_certificates("zefyrine")) == ["Zephyrine Voyages"]


def test_the_search_reads_the_full_text_index_on_sqlite(registry: None) -> None:
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 table is SQLite's")
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT rowid FROM registry_search_fts WHERE registry_search_fts MATCH ?",
            ['"boulang"'],
        )
        assert len(cursor.fetchall()) == 3


@pytest.mark.postgres
def test_postgresql_has_a_trigram_index_and_finds_typos_with_it(registry: None) -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone() == (1,)
        cursor.execute(
            "SELECT indexdef FROM pg_indexes WHERE indexname = 'registry_certificate_search_trgm'"
        )
        assert "gin_trgm_ops" in cursor.fetchone()[0]
        # pg_trgm and the Python scoring agree (the engine proposes, Python keeps).
        cursor.execute("SELECT similarity('boulenger', 'boulanger')")
        assert cursor.fetchone()[0] == pytest.approx(similarity("boulenger", "boulanger"))
    assert names(search_certificates("boulenger"))[0] == "Boulanger SA"
    assert names(search_certificates("mutuele exmple"))[0] == "Mutuelle Exemple des Deux-Sèvres"


def test_the_index_follows_a_renewal_with_new_brands(cast: Cast) -> None:
    """A renewal takes the brands of its declaration: the new one is found, the old one not."""
    from rcf.certification.tests import test_api_authorization as states

    certificate = states.certified(cast)
    assert search_certificates("mutuelle exemple") == [certificate.pk]
    states.renewed(cast, certificate, brands=["Assurmut Direct"])
    assert search_certificates("assurmut") == [certificate.pk]
    assert search_certificates("asurmut direct") == [certificate.pk]
    # The old brand « Mutuelle Exemple » is gone; the name still holds « Mutuelle Exemple ».
    assert search_certificates("mutuelle exemple") == [certificate.pk]
