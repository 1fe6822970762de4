"""The observatory as open data: ``/opendata/statistiques.csv`` and ``.json``, in the long
format (one row per date, indicator and breakdown), described by
``/opendata/statistiques.schema.json`` (Table Schema, schema.data.gouv.fr conventions)."""

from __future__ import annotations

import json
from typing import Any

from rcf.observatory import sector
from rcf.observatory.selectors import BREAKDOWN_INDICATOR, FUNNEL, HEADLINE, MONTHLY_EVENTS
from rcf.registry.opendata import SCHEMA_DATE, csv_cell

FIELDS = ("date", "indicator", "breakdown", "value")
INDICATORS = (
    *HEADLINE,
    *BREAKDOWN_INDICATOR.values(),
    "applications",
    *(f"certificates_{event}" for event in MONTHLY_EVENTS),
)


def statistics_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8, comma-separated, header first, CRLF line ends (RFC 4180), as ``certificats.csv``."""
    lines = [",".join(FIELDS)]
    for row in rows:
        lines.append(",".join(csv_cell(row[name]) for name in FIELDS))
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def statistics_json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def statistics_schema(base_url: str) -> dict[str, Any]:
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "relation-client-france-statistiques",
        "title": "Observatoire du label Relation Client France",
        "description": (
            "Les chiffres de l'observatoire (/observatoire/) au format long : une ligne par "
            "date, indicateur et ventilation. Les chiffres datés du jour sont ceux du registre "
            "au moment de la requête ; les séries mensuelles (datées du dernier jour de chaque "
            "mois) sont recalculées à partir de l'historique des statuts des certificats, les "
            "personnes couvertes étant prises dans le relevé quotidien du jour quand il existe. "
            f"Taille du secteur : {sector.JOBS_LOW} à {sector.JOBS_HIGH} emplois "
            f"(source : {sector.SOURCE_TITLE}, {sector.SOURCE_DATE}) ; la part du secteur "
            f"couverte est calculée sur {sector.JOBS_MIDDLE} emplois."
        ),
        "countryCode": "FR",
        "homepage": f"{base_url}/observatoire/",
        "path": f"{base_url}/opendata/statistiques.schema.json",
        "licenses": [
            {
                "title": "Licence Ouverte / Open Licence version 2.0",
                "name": "etalab-2.0",
                "path": "https://spdx.org/licenses/etalab-2.0.html",
            }
        ],
        "resources": [
            {
                "title": "Statistiques (CSV)",
                "name": "statistiques-csv",
                "path": f"{base_url}/opendata/statistiques.csv",
            },
            {
                "title": "Statistiques (JSON)",
                "name": "statistiques-json",
                "path": f"{base_url}/opendata/statistiques.json",
            },
        ],
        "created": SCHEMA_DATE,
        "version": "1.0.0",
        "missingValues": [],
        "primaryKey": ["date", "indicator", "breakdown"],
        "fields": [
            {
                "name": "date",
                "title": "Date",
                "description": "Jour du chiffre : aujourd'hui, ou le dernier jour d'un mois passé.",
                "type": "date",
                "example": "2026-11-30",
                "constraints": {"required": True},
            },
            {
                "name": "indicator",
                "title": "Indicateur",
                "description": (
                    "valid_certificates (certificats valides), certified_companies, "
                    "contributors (personnes couvertes), sites, departments, territories, "
                    "sector_share_percent (part des emplois du secteur couverte, en %), "
                    "contributors_by_department|territory|channel|activity|employment|contract "
                    "(personnes couvertes par ventilation ; un canal ou une activité compte "
                    "chaque personne d'un site sous chacun de ses canaux et activités), "
                    "applications (dossiers initiaux par étape atteinte : "
                    + ", ".join(FUNNEL)
                    + "), certificates_issued|renewed|suspended|withdrawn|expired (changements "
                    "du mois)."
                ),
                "type": "string",
                "example": "valid_certificates",
                "constraints": {"required": True, "enum": list(INDICATORS)},
            },
            {
                "name": "breakdown",
                "title": "Ventilation",
                "description": (
                    "Vide pour un total ; sinon le code ventilé (département 59, territoire "
                    "metropole, canal telephone, activité front_office, employeur in_house, "
                    "subcontracted ou temp_work, contrat cdi, étape de dossier). Un code vide "
                    "dans une ventilation : personnes qu'un certificat ancien ne ventile pas."
                ),
                "type": "string",
                "example": "59",
                "constraints": {"required": False},
            },
            {
                "name": "value",
                "title": "Valeur",
                "description": "Nombre (entier, sauf sector_share_percent à une décimale).",
                "type": "number",
                "example": "42",
                "constraints": {"required": True, "minimum": 0},
            },
        ],
    }
