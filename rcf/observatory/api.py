"""``GET /api/v1/statistics``: the observatory's figures, the same rows as
``/opendata/statistiques.json``, with the sector's size and its source."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Router, Schema

from rcf.certification.api.schemas import responses
from rcf.observatory import sector
from rcf.observatory.selectors import observatory_figures

router = Router(tags=["observatoire"])


class StatisticRow(Schema):
    date: str
    indicator: str
    breakdown: str
    value: float


class SectorSize(Schema):
    jobs_low: int
    jobs_high: int
    jobs_reference: int
    in_house_percent: int
    outsourced_jobs: int
    offshore_percent: int
    source: str
    source_date: str


class Statistics(Schema):
    date: str
    sector: SectorSize
    rows: list[StatisticRow]


@router.get(
    "/statistics",
    response=responses({200: Statistics}),
    auth=None,
    summary="Les chiffres de l'observatoire (public)",
)
def statistics(request: HttpRequest) -> dict[str, Any]:
    figures, _tag = observatory_figures()
    return {
        "date": figures.today.isoformat(),
        "sector": {
            "jobs_low": sector.JOBS_LOW,
            "jobs_high": sector.JOBS_HIGH,
            "jobs_reference": sector.JOBS_MIDDLE,
            "in_house_percent": sector.IN_HOUSE_PERCENT,
            "outsourced_jobs": sector.OUTSOURCED_JOBS,
            "offshore_percent": sector.OFFSHORE_PERCENT,
            "source": sector.SOURCE_TITLE,
            "source_date": sector.SOURCE_DATE,
        },
        "rows": figures.rows(),
    }
