"""The AFRC's membership registry pages: the list and its search, the CSV import (all or
nothing, every refused line listed with its number). AFRC only."""

from __future__ import annotations

import io

import pytest
from django.urls import reverse

from rcf.members.models import Member
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db

GOOD = (
    "member_number,siren,name,valid_from,valid_until\n"
    "AFRC-0200,804072387,Télécom Exemple SA,2021-06-01,2026-12-31\n"
    "AFRC-0201,862551181,Grand BPO France SAS,2023-01-01,\n"
)
BAD = (
    "member_number,siren,name,valid_from,valid_until\n"
    "AFRC-0300,804072387,Télécom Exemple SA,2021-06-01,\n"
    "AFRC-0301,123456789,Mauvais SIREN,2021-06-01,\n"
    "AFRC-0302,862551181,Date fausse,01/01/2023,\n"
)


def csv_file(text: str, name: str = "adherents.csv") -> io.BytesIO:
    handle = io.BytesIO(text.encode())
    handle.name = name
    return handle


@pytest.mark.parametrize("name", ["list", "import"])
def test_it_is_reserved_to_the_afrc(cast: Cast, name: str) -> None:
    """Anonymous → login; other roles → 403; the AFRC → 200."""
    path = reverse(f"members:{name}")
    assert pages.browser(cast, "anonymous").get(path).status_code == 302
    for role in ("applicant", "certifier", "auditor"):
        assert pages.browser(cast, role).get(path).status_code == 403
    assert pages.browser(cast, "afrc").get(path).status_code == 200


def test_it_searches_the_registry(cast: Cast) -> None:
    """The list filters on name, SIREN or member number (the cast has AFRC-0101)."""
    client = pages.browser(cast, "afrc")
    assert "AFRC-0101" in client.get(reverse("members:list"), {"q": "845333"}).content.decode()
    assert "AFRC-0101" not in client.get(reverse("members:list"), {"q": "zzz"}).content.decode()


def test_it_imports_a_csv_file(cast: Cast) -> None:
    response = pages.browser(cast, "afrc").post(reverse("members:import"), {"file": csv_file(GOOD)})
    assert response.status_code == 302
    assert set(Member.objects.values_list("member_number", flat=True)) == {
        "AFRC-0101",
        "AFRC-0200",
        "AFRC-0201",
    }


def test_it_refuses_a_file_with_errors_and_lists_them_by_line(cast: Cast) -> None:
    """Nothing is written when a line is wrong; each error names the file and its line."""
    before = list(Member.objects.values_list("member_number", "siren", "name"))
    response = pages.browser(cast, "afrc").post(reverse("members:import"), {"file": csv_file(BAD)})
    body = response.content.decode()
    assert response.status_code == 200
    assert "adherents.csv:3: SIREN invalide" in body
    assert "adherents.csv:4: valid_from" in body
    assert list(Member.objects.values_list("member_number", "siren", "name")) == before


def test_it_refuses_a_file_that_is_not_utf8(cast: Cast) -> None:
    before = Member.objects.count()
    handle = io.BytesIO(GOOD.encode("latin-1"))
    handle.name = "latin.csv"
    response = pages.browser(cast, "afrc").post(reverse("members:import"), {"file": handle})
    assert response.status_code == 200
    assert "UTF-8" in response.content.decode()
    assert Member.objects.count() == before


def test_it_refuses_the_import_to_other_roles(cast: Cast) -> None:
    before = Member.objects.count()
    response = pages.browser(cast, "certifier").post(
        reverse("members:import"), {"file": csv_file(GOOD)}
    )
    assert response.status_code == 403
    assert Member.objects.count() == before
