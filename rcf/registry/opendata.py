"""The registry as open data: ``/opendata/certificats.csv`` and ``.json``, described by the
Table Schema at ``/opendata/schema.json``.

One row per certificate ever issued, with its public status today. Column names are stable
(version 1 of the interface): a new column may be added at the end, none is renamed or
removed. The schema follows the conventions of schema.data.gouv.fr (Table Schema plus
``name``, ``title``, ``description``, ``version``, ``licenses``…; every field with a title, a
description, an example and its constraints). Lists (brands, departments, channels…) are one
text with the items separated by ``;``, in CSV and JSON alike, so that both files carry exactly
the same values; a missing value is an empty cell in CSV and ``null`` in JSON.

One exception, in the CSV only: a text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab
or a carriage return is written with a single quote before it, and quoted (OWASP, « CSV
injection »), so that a spreadsheet opening the file shows a brand such as
``=HYPERLINK("http://x","y")`` as text instead of running it. The JSON keeps the values as
typed; the schema's description says so.
"""

from __future__ import annotations

import datetime as dt
import functools
import json
import re
from typing import Any

from django.urls import reverse
from django.utils import timezone, translation

from rcf.certification.choices import CertificateStatus
from rcf.certification.models import Certificate, ContactPoint
from rcf.referentiel.versions import scheme_in_effect
from rcf.registry.selectors import last_audits_by_organisation

SCHEMA_VERSION = "1.0.0"
SCHEMA_DATE = "2026-11-26"
SEPARATOR = ";"
#: First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
FORMULA_TRIGGERS = frozenset("=+-@\t\r")
FORMULA_NOTE = (
    "Dans le fichier CSV seulement, une valeur texte qui commence par =, +, -, @, une "
    "tabulation ou un retour chariot est précédée d'une apostrophe (') et mise entre "
    "guillemets, pour qu'un tableur l'affiche comme du texte au lieu de l'exécuter comme une "
    "formule ; retirez cette apostrophe pour retrouver la valeur, que le fichier JSON donne "
    "telle quelle."
)
DEPARTMENT = r"(?:0[1-9]|1[0-9]|2[1-9AB]|[3-8][0-9]|9[0-5]|97[1-8])"
"""A department code as the registry stores it: two characters (``2A``, ``2B`` for Corsica)
or three for overseas (``974``)."""


def _list_pattern(item: str) -> str:
    """A regular expression for ``item;item;…`` (or nothing)."""
    return f"^(?:{item}(?:{SEPARATOR}{item})*)?$"


def _codes(codes: list[str]) -> str:
    return "(?:" + "|".join(codes) + ")"


def table_schema(base_url: str) -> dict[str, Any]:
    """The Table Schema of the two files (schema.data.gouv.fr conventions)."""
    scheme = scheme_in_effect(timezone.localdate())
    enums = scheme.enumerations
    territories = list(scheme.territories)

    def field(
        name: str, title: str, description: str, type_: str, example: str, **constraints: Any
    ) -> dict[str, Any]:
        entry: dict[str, Any] = {
            "name": name,
            "title": title,
            "description": description,
            "type": type_,
            "example": example,
        }
        if type_ == "string" and name == "verification_url":
            entry["format"] = "uri"
        entry["constraints"] = {"required": False, **constraints}
        return entry

    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "relation-client-france-certificats",
        "title": "Registre des certificats Relation Client France",
        "description": (
            "Tous les certificats du label Relation Client France jamais délivrés, avec leur "
            "statut public du jour (valide, suspendu, retiré, expiré), ce qu'ils couvrent et "
            "leurs dates. Le label garantit que 100 % de la relation client à distance d'une "
            "entreprise est réalisée en France par des salariés sous contrat de travail de "
            "droit français. Les listes sont séparées par « ; ». " + FORMULA_NOTE
        ),
        "keywords": ["relation client", "certification", "label", "emploi", "registre"],
        "countryCode": "FR",
        "homepage": f"{base_url}/registre/",
        "path": f"{base_url}/opendata/schema.json",
        "licenses": [
            {
                "title": "Licence Ouverte / Open Licence version 2.0",
                "name": "etalab-2.0",
                "path": "https://spdx.org/licenses/etalab-2.0.html",
            }
        ],
        "resources": [
            {
                "title": "Registre des certificats (CSV)",
                "name": "certificats-csv",
                "path": f"{base_url}/opendata/certificats.csv",
            },
            {
                "title": "Registre des certificats (JSON)",
                "name": "certificats-json",
                "path": f"{base_url}/opendata/certificats.json",
            },
            # The observatory's figures (rcf/observatory/opendata.py): another table, so each
            # resource names the schema it follows.
            {
                "title": "Statistiques de l'observatoire (CSV)",
                "name": "statistiques-csv",
                "path": f"{base_url}/opendata/statistiques.csv",
                "schema": f"{base_url}/opendata/statistiques.schema.json",
            },
            {
                "title": "Statistiques de l'observatoire (JSON)",
                "name": "statistiques-json",
                "path": f"{base_url}/opendata/statistiques.json",
                "schema": f"{base_url}/opendata/statistiques.schema.json",
            },
        ],
        "created": SCHEMA_DATE,
        "lastModified": SCHEMA_DATE,
        "version": SCHEMA_VERSION,
        "contributors": [{"title": "Plateforme Relation Client France", "role": "author"}],
        "missingValues": [""],
        "primaryKey": "number",
        "fields": [
            field(
                "number",
                "Numéro du certificat",
                "RCF-AAAA-NNNN : année de première délivrance et numéro d'ordre. Il ne change "
                "pas au renouvellement.",
                "string",
                "RCF-2026-0001",
                required=True,
                unique=True,
                pattern=r"^RCF-[0-9]{4}-[0-9]{4,}$",
            ),
            field(
                "status",
                "Statut",
                "Statut public du jour : active (valide), suspended (suspendu), withdrawn "
                "(retiré), expired (expiré). Un certificat dont la validité est passée est "
                "expiré.",
                "string",
                "active",
                required=True,
                enum=list(CertificateStatus.values),
            ),
            field(
                "siren",
                "SIREN",
                "Numéro SIREN de l'entreprise certifiée (9 chiffres).",
                "string",
                "845333145",
                required=True,
                pattern=r"^[0-9]{9}$",
            ),
            field(
                "name",
                "Raison sociale",
                "Nom de l'entreprise certifiée (son SIREN tant qu'elle n'a pas de nom). "
                + FORMULA_NOTE,
                "string",
                "Mutuelle Exemple",
                required=True,
                minLength=1,
            ),
            field(
                "brands",
                "Marques",
                "Marques couvertes par le certificat, séparées par « ; ». " + FORMULA_NOTE,
                "string",
                "Mutuelle Exemple;MX Assurances",
            ),
            field(
                "scheme_version",
                "Version du référentiel",
                "Version du référentiel Relation Client France de la dernière décision.",
                "string",
                "1",
                required=True,
                pattern=r"^[0-9]+$",
            ),
            field(
                "first_issued_on",
                "Première délivrance",
                "Date de la première délivrance du certificat.",
                "date",
                "2026-01-15",
                required=True,
            ),
            field(
                "valid_from",
                "Début de validité",
                "Premier jour de la période de validité en cours (dernière décision).",
                "date",
                "2026-01-15",
                required=True,
            ),
            field(
                "valid_until",
                "Fin de validité",
                "Dernier jour de validité (inclus).",
                "date",
                "2029-01-14",
                required=True,
            ),
            field(
                "last_audit_on",
                "Dernier audit",
                "Date du dernier audit AFNOR clôturé de l'entreprise ; vide s'il n'y en a pas.",
                "date",
                "2025-12-02",
            ),
            field(
                "sites_count",
                "Nombre de sites",
                "Nombre de sites (établissements et télétravail) où la relation client est "
                "réalisée.",
                "integer",
                "3",
                required=True,
                minimum=0,
            ),
            field(
                "departments",
                "Départements",
                "Codes des départements des sites, séparés par « ; ».",
                "string",
                "79;86;974",
                pattern=_list_pattern(DEPARTMENT),
            ),
            field(
                "territories",
                "Territoires",
                "Territoires des sites, séparés par « ; » : " + ", ".join(territories) + ".",
                "string",
                "metropole;drom",
                pattern=_list_pattern(_codes(territories)),
            ),
            field(
                "channels",
                "Canaux",
                "Canaux de contact couverts, séparés par « ; » : "
                + ", ".join(enums["channels"])
                + ".",
                "string",
                "telephone;email;chat",
                pattern=_list_pattern(_codes(list(enums["channels"]))),
            ),
            field(
                "activities",
                "Activités",
                "Activités couvertes, séparées par « ; » : " + ", ".join(enums["activities"]) + ".",
                "string",
                "front_office;back_office",
                pattern=_list_pattern(_codes(list(enums["activities"]))),
            ),
            field(
                "phases",
                "Phases",
                "Phases couvertes, séparées par « ; » : " + ", ".join(enums["phases"]) + ".",
                "string",
                "pre_sale;sale;after_sale",
                pattern=_list_pattern(_codes(list(enums["phases"]))),
            ),
            field(
                "contributors",
                "Contributeurs",
                "Nombre de personnes (effectif, pas en ETP) qui réalisent la relation client "
                "couverte, salariées de l'entreprise ou de ses sous-traitants.",
                "integer",
                "98",
                required=True,
                minimum=0,
            ),
            field(
                "verification_url",
                "Page de vérification",
                "Adresse de la page publique de vérification du certificat.",
                "string",
                f"{base_url}/verifier/RCF-2026-0001/",
                required=True,
            ),
        ],
    }


def field_names() -> list[str]:
    return [f["name"] for f in table_schema("")["fields"]]


def _joined(items: list[str]) -> str | None:
    return SEPARATOR.join(items) if items else None


@functools.lru_cache(maxsize=16_384)
def verification_url(base_url: str, number: str) -> str:
    """The French verification page: the address printed in QR codes and badges."""
    with translation.override("fr"):
        return base_url + reverse("registry:verify", args=[number])


def opendata_rows(base_url: str, today: dt.date | None = None) -> list[dict[str, Any]]:
    """Every certificate ever issued, in number order, as the schema's fields."""
    today = today or timezone.localdate()
    last_audits = last_audits_by_organisation()
    rows = []
    certificates = Certificate.objects.with_public_status(today).select_related("organisation")
    for certificate in certificates.order_by("number"):
        scope = certificate.scope
        last = last_audits.get(certificate.organisation_id)
        rows.append(
            {
                "number": certificate.number,
                "status": certificate.public_status,
                "siren": certificate.organisation.siren,
                "name": certificate.organisation.display_name,
                "brands": _joined(scope.get("brands", [])),
                "scheme_version": certificate.scheme_version,
                "first_issued_on": certificate.first_issued_on.isoformat(),
                "valid_from": certificate.valid_from.isoformat(),
                "valid_until": certificate.valid_until.isoformat(),
                "last_audit_on": last.isoformat() if last else None,
                "sites_count": int(scope["sites"]["count"]),
                "departments": _joined(scope["sites"]["departments"]),
                "territories": _joined(scope["sites"]["territories"]),
                "channels": _joined(scope["channels"]),
                "activities": _joined(scope["activities"]),
                "phases": _joined(scope["phases"]),
                "contributors": int(scope["contributors"]),
                "verification_url": verification_url(base_url, certificate.number),
            }
        )
    return rows


def opendata_csv(rows: list[dict[str, Any]]) -> bytes:
    """UTF-8 (no byte order mark), comma-separated, header first, CRLF line ends (RFC 4180).

    Written by hand rather than with :mod:`csv`, whose quoting cannot be chosen per cell: a
    neutralised formula must stay quoted (:func:`csv_cell`).
    """
    names = field_names()
    lines = [",".join(csv_cell(name) for name in names)]
    for row in rows:
        lines.append(",".join(csv_cell(row[name]) for name in names))
    return "".join(line + "\r\n" for line in lines).encode("utf-8")


def csv_cell(value: Any) -> str:
    """One CSV cell: quoted when RFC 4180 needs it, and formulas neutralised (OWASP).

    A text beginning with ``= + - @``, a tab or a carriage return gets a single quote in front
    and is always quoted. Numbers are written as they are (none is negative).
    """
    if value is None:
        return ""
    text = str(value)
    neutralise = isinstance(value, str) and text[:1] in FORMULA_TRIGGERS
    if neutralise:
        text = "'" + text
    if neutralise or any(char in text for char in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def opendata_json(rows: list[dict[str, Any]]) -> bytes:
    return (json.dumps(rows, ensure_ascii=False, indent=1) + "\n").encode("utf-8")


# --- Contact points (referentiel-v2.md §4) ---------------------------------------------------

CONTACTS_FIELDS = (
    ("certificate", "Certificat", "Numéro du certificat.", "RCF-2026-0001"),
    ("status", "Statut", "Statut public du jour du certificat : active (valide) ou suspended "
     "(suspendu). Les certificats retirés ou expirés n'ont plus de points de contact publiés.",
     "active"),
    ("siren", "SIREN", "SIREN de l'entreprise certifiée.", "845333145"),
    ("name", "Entreprise", "Raison sociale de l'entreprise certifiée.", "Mutuelle Exemple"),
    ("channel", "Canal", "Canal du point de contact : telephone, email, chat, messaging, "
     "social_media ou video.", "telephone"),
    ("value", "Valeur", "Numéro de téléphone au format E.164 (+33…), adresse électronique ou "
     "adresse https:// du point de contact.", "+33969320000"),
    ("purpose", "Usage", "customer_service (exécution du contrat, réclamations : art. L121-16 "
     "du Code de la consommation) ou sales (vente).", "customer_service"),
    ("brands", "Marques", "Marques servies, séparées par « ; » ; vide : toutes les marques de "
     "l'entreprise.", "Mutuelle Exemple"),
)  # fmt: skip


def contacts_schema(base_url: str) -> dict[str, Any]:
    """The Table Schema of ``/opendata/contacts.csv`` and ``.json``."""
    required = {"certificate", "status", "siren", "name", "channel", "value", "purpose"}
    patterns = {
        "certificate": r"RCF-[0-9]{4}-[0-9]{4,}",
        "status": "(?:active|suspended)",
        "siren": "[0-9]{9}",
        "channel": "(?:telephone|email|chat|messaging|social_media|video)",
        "purpose": "(?:customer_service|sales)",
    }
    fields = []
    for name, title, description, example in CONTACTS_FIELDS:
        constraints: dict[str, Any] = {"required": name in required}
        if name in patterns:
            constraints["pattern"] = patterns[name]
        fields.append(
            {
                "name": name,
                "title": title,
                "description": description,
                "type": "string",
                "example": example,
                "constraints": constraints,
            }
        )
    return {
        "$schema": "https://specs.frictionlessdata.io/schemas/table-schema.json",
        "name": "relation-client-france-points-de-contact",
        "title": "Points de contact des entreprises certifiées Relation Client France",
        "description": (
            "Un enregistrement par point de contact (numéro de téléphone, adresse électronique, "
            "chat…) déclaré par une entreprise dont le certificat est valide ou suspendu "
            "(version 2 du référentiel, exigence RCF-09). " + FORMULA_NOTE + " Seule "
            "exception : un numéro de téléphone au format E.164 (« + » suivi de chiffres "
            "seulement) est écrit tel quel, n'étant pas une formule."
        ),
        "countryCode": "FR",
        "homepage": f"{base_url}/numero/",
        "path": f"{base_url}/opendata/contacts-schema.json",
        "licenses": [
            {
                "title": "Licence Ouverte / Open Licence version 2.0",
                "name": "etalab-2.0",
                "path": "https://spdx.org/licenses/etalab-2.0.html",
            }
        ],
        "resources": [
            {
                "title": "Points de contact (CSV)",
                "name": "contacts-csv",
                "path": f"{base_url}/opendata/contacts.csv",
            },
            {
                "title": "Points de contact (JSON)",
                "name": "contacts-json",
                "path": f"{base_url}/opendata/contacts.json",
            },
        ],
        "created": SCHEMA_DATE,
        "lastModified": SCHEMA_DATE,
        "version": SCHEMA_VERSION,
        "missingValues": [""],
        "fields": fields,
    }


def contacts_rows(today: dt.date | None = None) -> list[dict[str, Any]]:
    """One row per contact point of a live certificate (public status active or suspended),
    in certificate number then declaration order."""
    today = today or timezone.localdate()
    live = (
        Certificate.objects.with_public_status(today)  # type: ignore[misc]  # an annotation
        .filter(public_status__in=[CertificateStatus.ACTIVE, CertificateStatus.SUSPENDED])
        .select_related("organisation")
        .order_by("number")
    )
    by_certificate = {c.pk: c for c in live}
    points = ContactPoint.objects.filter(certificate_id__in=list(by_certificate)).order_by(
        "certificate__number", "position"
    )
    rows = []
    for point in points:
        certificate = by_certificate[point.certificate_id]
        rows.append(
            {
                "certificate": certificate.number,
                "status": certificate.public_status,
                "siren": certificate.organisation.siren,
                "name": certificate.organisation.display_name,
                "channel": point.channel,
                "value": point.value,
                "purpose": point.purpose,
                "brands": _joined(list(point.brands)),
            }
        )
    return rows


_E164 = re.compile(r"\+[1-9][0-9]{1,14}")


def _contact_cell(value: Any) -> str:
    """A validated E.164 number is only digits after its « + »: no formula, so it is written as
    it is, and a reader gets the number; every other cell as :func:`csv_cell` writes it."""
    if isinstance(value, str) and _E164.fullmatch(value):
        return value
    return csv_cell(value)


def contacts_csv(rows: list[dict[str, Any]]) -> bytes:
    """As :func:`opendata_csv`: RFC 4180, formulas neutralised (:func:`csv_cell`)."""
    names = [name for name, *_rest in CONTACTS_FIELDS]
    lines = [",".join(csv_cell(name) for name in names)]
    for row in rows:
        lines.append(",".join(_contact_cell(row[name]) for name in names))
    return "".join(line + "\r\n" for line in lines).encode("utf-8")
