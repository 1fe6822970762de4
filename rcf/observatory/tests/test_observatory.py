"""The observatory: its figures agree with the registry at every request, its charts are
served as SVG and PNG, its data as CSV, JSON and through the API, and ``rcf tick`` records the
day's snapshot."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import re

import pytest
from django.test import Client
from django.utils import timezone

from rcf.certification.models import Application, Certificate, CertificateEvent
from rcf.certification.scope import certificate_scope
from rcf.certification.services.certificate import certificate_suspend
from rcf.observatory.charts import CHART_SLUGS
from rcf.observatory.models import DailySnapshot
from rcf.observatory.selectors import compute_figures, month_ends
from rcf.observatory.services import snapshot_record
from tests.support.factories import (
    example_declaration,
    make_certificate,
    make_organisation,
    make_user,
)

pytestmark = pytest.mark.django_db


def _two_certificates() -> tuple[Certificate, Certificate]:
    first = make_certificate(valid_from=timezone.localdate() - dt.timedelta(days=400))
    other = make_organisation("732829320", "Télécom Exemple")
    declaration = example_declaration("mutuelle-sans-dsn.json")
    # Its subcontracted site is in La Réunion: it alone covers a department and a territory.
    brest = next(site for site in declaration["sites"] if site["id"] == "brest")
    brest["location"] = {"country": "FR", "commune_insee": "97411", "city": "Saint-Denis"}
    second = make_certificate(
        other,
        number="RCF-2026-0002",
        valid_from=timezone.localdate() - dt.timedelta(days=30),
        declaration=declaration,
    )
    return first, second


def _rows(client: Client) -> dict[tuple[str, str, str], float]:
    body = client.get("/opendata/statistiques.json").json()
    return {(r["date"], r["indicator"], r["breakdown"]): r["value"] for r in body}


def test_scope_breaks_contributors_down_without_naming_anyone() -> None:
    breakdown = certificate_scope(example_declaration())["breakdown"]
    assert breakdown == {
        "departments": {"79": 76, "29": 22},
        "territories": {"metropole": 98},
        "channels": {"telephone": 89, "email": 76, "postal_mail": 67},
        "activities": {"front_office": 89, "back_office": 76},
        "employment": {"in_house": 76, "subcontracted": 22},
        "contracts": {"cdi": 73, "apprenticeship": 3, "cdd": 22},
    }


def test_headline_figures_and_breakdowns_come_from_the_valid_certificates(client: Client) -> None:
    _two_certificates()
    today = timezone.localdate().isoformat()
    rows = _rows(client)
    assert rows[(today, "valid_certificates", "")] == 2
    assert rows[(today, "certified_companies", "")] == 2
    assert rows[(today, "contributors", "")] == 196
    assert rows[(today, "sites", "")] == 6
    assert rows[(today, "departments", "")] == 3
    assert rows[(today, "territories", "")] == 2
    assert rows[(today, "contributors_by_department", "974")] == 22
    assert rows[(today, "sector_share_percent", "")] == round(100 * 196 / 290_000, 1)
    assert rows[(today, "contributors_by_department", "79")] == 152
    assert rows[(today, "contributors_by_employment", "subcontracted")] == 44
    assert rows[(today, "contributors_by_contract", "cdd")] == 44


def test_a_suspension_changes_every_figure_and_chart_on_the_next_request(client: Client) -> None:
    _first, second = _two_certificates()
    today = timezone.localdate().isoformat()
    page = client.get("/observatoire/").content.decode()
    charts_before = {
        s: client.get(f"/observatoire/graphiques/{s}.svg").content for s in CHART_SLUGS
    }
    api_before = client.get("/api/v1/statistics").json()
    assert _rows(client)[(today, "valid_certificates", "")] == 2

    headline_before = {k: v for k, v in _rows(client).items() if k[0] == today and not k[2]}

    certificate_suspend(actor=None, certificate=second, reason="test")

    rows = _rows(client)
    headline_after = {k: v for k, v in rows.items() if k[0] == today and not k[2]}
    headline = (
        "valid_certificates",
        "certified_companies",
        "contributors",
        "sites",
        "departments",
        "territories",
        "sector_share_percent",
    )
    for name in headline:
        assert headline_after[(today, name, "")] < headline_before[(today, name, "")], name
    assert rows[(today, "valid_certificates", "")] == 1
    assert rows[(today, "certified_companies", "")] == 1
    assert rows[(today, "contributors", "")] == 98
    assert rows[(today, "contributors_by_department", "79")] == 76
    assert (today, "contributors_by_department", "974") not in rows
    assert rows[(today, "certificates_suspended", "")] == 1
    after = client.get("/observatoire/").content.decode()
    assert after != page
    assert "<strong>1</strong> certificats valides" in after
    assert "<strong>2</strong> certificats valides" in page
    api_after = client.get("/api/v1/statistics").json()
    assert api_after != api_before
    assert {(r["indicator"], r["value"]) for r in api_after["rows"] if r["date"] == today} >= {
        ("valid_certificates", 1),
        ("contributors", 98),
    }
    changed = [
        s
        for s in CHART_SLUGS
        if client.get(f"/observatoire/graphiques/{s}.svg").content != charts_before[s]
    ]
    # The funnel counts dossiers, which a suspension does not move; every other chart moves.
    assert sorted(changed) == sorted(s for s in CHART_SLUGS if s != "dossiers")


def test_home_page_links_to_the_observatory_with_the_share_of_the_sector(client: Client) -> None:
    _two_certificates()
    body = client.get("/").content.decode()
    assert 'href="/observatoire/"' in body
    assert "0,1 %" in body


@pytest.mark.parametrize("prefix", ["", "/en"])
def test_page_is_public_with_charts_as_images_and_data_tables(client: Client, prefix: str) -> None:
    _two_certificates()
    response = client.get(f"{prefix}/observatoire/")
    assert response.status_code == 200
    body = response.content.decode()
    assert "<script" not in body and "style=" not in body
    for slug in CHART_SLUGS:
        assert re.search(
            rf'<img src="{prefix}/observatoire/graphiques/{slug}.svg\?v=\w+" alt="[^"]{{20,}}"',
            body,
        ), slug
        # A phone gets the drawing made for its width, not the wide one scaled down.
        assert re.search(
            rf'<source media="\(max-width: 40em\)" '
            rf'srcset="{prefix}/observatoire/graphiques/etroit/{slug}.svg\?v=\w+" '
            rf'width="336" height="\d+">',
            body,
        ), slug
    assert body.count("<details>") == len(CHART_SLUGS)
    assert 'href="/opendata/statistiques.csv"' in body
    assert "2021" in body  # the sector figures' date
    if prefix:
        assert "Label observatory" in body


@pytest.mark.parametrize("slug", CHART_SLUGS)
def test_each_chart_at_its_own_address_as_svg_with_text_and_as_png(
    client: Client, slug: str
) -> None:
    _two_certificates()
    svg = client.get(f"/observatoire/graphiques/{slug}.svg")
    assert svg.status_code == 200
    assert svg["Content-Type"] == "image/svg+xml"
    assert "script-src" not in svg["Content-Security-Policy"]
    text = svg.content.decode()
    assert "<text" in text and "<script" not in text
    assert "system-ui" in text
    png = client.get(f"/en/observatoire/graphiques/{slug}.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/observatoire/graphiques/{slug}.gif").status_code == 404


@pytest.mark.parametrize("slug", CHART_SLUGS)
def test_each_chart_is_also_drawn_for_a_phone(client: Client, slug: str) -> None:
    """336 pixels wide (252 pt), so its text is read at about the size it is set."""
    _two_certificates()
    wide = client.get(f"/observatoire/graphiques/{slug}.svg").content.decode()
    narrow = client.get(f"/observatoire/graphiques/etroit/{slug}.svg")
    assert narrow.status_code == 200 and narrow["Content-Type"] == "image/svg+xml"
    text = narrow.content.decode()
    assert re.search(r'<svg [^>]*width="252pt"', text)
    assert not re.search(r'<svg [^>]*width="252pt"', wide)
    assert "<text" in text and "system-ui" in text
    png = client.get(f"/en/observatoire/graphiques/etroit/{slug}.png")
    assert png.status_code == 200 and png.content[:8] == b"\x89PNG\r\n\x1a\n"


def test_unknown_chart_is_404(client: Client) -> None:
    assert client.get("/observatoire/graphiques/nothing.svg").status_code == 404


def test_csv_and_json_carry_the_same_rows(client: Client) -> None:
    _two_certificates()
    from_json = client.get("/opendata/statistiques.json").json()
    text = client.get("/opendata/statistiques.csv").content.decode()
    from_csv = list(csv.DictReader(io.StringIO(text)))
    assert len(from_csv) == len(from_json) > 0
    for a, b in zip(from_csv, from_json, strict=True):
        assert (a["date"], a["indicator"], a["breakdown"]) == (
            b["date"],
            b["indicator"],
            b["breakdown"],
        )
        assert float(a["value"]) == b["value"]
    schema = client.get("/opendata/statistiques.schema.json").json()
    indicators = set(schema["fields"][1]["constraints"]["enum"])
    assert {row["indicator"] for row in from_json} <= indicators


def test_monthly_series_replay_the_history() -> None:
    today = timezone.localdate()
    start = today - dt.timedelta(days=200)
    certificate = make_certificate(valid_from=start)
    CertificateEvent.objects.filter(certificate=certificate).update(
        on=timezone.make_aware(dt.datetime.combine(start, dt.time(10)))
    )
    suspended_on = today - dt.timedelta(days=60)
    certificate.status = "suspended"
    certificate.save()
    CertificateEvent.objects.create(
        certificate=certificate,
        on=timezone.make_aware(dt.datetime.combine(suspended_on, dt.time(10))),
        action="suspended",
        status="suspended",
    )
    figures = compute_figures(today)
    by_day = {p.day: p for p in figures.months}
    assert figures.months[0].day == month_ends(start, today)[0]
    for day, point in by_day.items():
        expected = 1 if start <= day < suspended_on else 0
        assert point.valid_certificates == expected, day
    assert sum(p.events["suspended"] for p in figures.months) == 1
    assert sum(p.events["issued"] for p in figures.months) == 1


def test_an_expiry_not_yet_recorded_counts_in_its_month() -> None:
    today = timezone.localdate()
    certificate = make_certificate(valid_from=today - dt.timedelta(days=1200))
    CertificateEvent.objects.filter(certificate=certificate).update(
        on=timezone.make_aware(dt.datetime.combine(certificate.valid_from, dt.time(10)))
    )
    figures = compute_figures(today)
    assert figures.headline["valid_certificates"] == 0
    assert sum(p.events["expired"] for p in figures.months) == 1
    expired = next(p for p in figures.months if p.events["expired"])
    assert expired.day >= certificate.valid_until


def test_funnel_counts_initial_dossiers_by_stage_reached() -> None:
    make_certificate()
    user = make_user("someone", "afrc")
    for index, status in enumerate(("draft", "submitted", "refused")):
        organisation = make_organisation(f"73282932{index}", status)
        Application.objects.create(
            organisation=organisation,
            status=status,
            declaration={},
            evaluation={},
            verdict="eligible",
            scheme_version="1",
            created_by=user,
        )
    funnel = compute_figures(timezone.localdate()).funnel
    assert funnel == {
        "created": 4,
        "submitted": 3,
        "admissible": 2,
        "audited": 2,
        "certified": 1,
        "refused": 1,
    }


def test_tick_records_the_snapshot_once_a_day_and_it_outlives_a_scope_change() -> None:
    from tests.support.commands import run_rcf

    certificate = make_certificate(valid_from=timezone.localdate() - dt.timedelta(days=90))
    CertificateEvent.objects.filter(certificate=certificate).update(
        on=timezone.make_aware(dt.datetime.combine(certificate.valid_from, dt.time(10)))
    )
    day = timezone.localdate() - dt.timedelta(days=40)
    month_end = month_ends(day, timezone.localdate())[0]
    result = run_rcf("tick", "--today", month_end.isoformat())
    assert result.status == 0, result.stderr
    run_rcf("tick", "--today", month_end.isoformat())
    assert DailySnapshot.objects.count() == 1
    snapshot = DailySnapshot.objects.get()
    assert snapshot.day == month_end
    assert {"indicator": "contributors", "breakdown": "", "value": 98} | {
        "date": month_end.isoformat()
    } in snapshot.rows
    # A renewal replaces the scope: the month keeps the recorded contributors.
    certificate.scope = {**certificate.scope, "contributors": 5}
    certificate.save()
    point = {p.day: p for p in compute_figures(timezone.localdate()).months}[month_end]
    assert point.contributors == 98 and point.from_snapshot


def test_snapshot_record_is_idempotent() -> None:
    make_certificate()
    snapshot_record(timezone.localdate())
    snapshot_record(timezone.localdate())
    assert DailySnapshot.objects.count() == 1


def test_api_statistics_is_public_and_agrees_with_the_files(client: Client) -> None:
    _two_certificates()
    api = client.get("/api/v1/statistics")
    assert api.status_code == 200
    body = api.json()
    assert body["sector"]["jobs_low"] == 280_000
    assert body["rows"] == json.loads(client.get("/opendata/statistiques.json").content)


def test_the_registry_schema_lists_the_statistics_with_their_own_schema(client: Client) -> None:
    resources = client.get("/opendata/schema.json").json()["resources"]
    statistics = [r for r in resources if r["name"].startswith("statistiques")]
    assert [r["path"].rsplit("/", 1)[1] for r in statistics] == [
        "statistiques.csv",
        "statistiques.json",
    ]
    for resource in statistics:
        path = resource["schema"].split("testserver", 1)[-1].split("://", 1)[-1]
        path = "/" + path.split("/", 1)[1]
        assert client.get(path).status_code == 200
