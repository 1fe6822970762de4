"""Fill a (throwaway) database with a registry of N certified companies, by bulk inserts.

    RCF_DATA_DIR=/tmp/x python bench/make_registry.py [--count 10000] [--seed 2026]
        [--contact-points 3 --phones FILE]

For ``bench/http.sh``: the database must be migrated. Each company gets one certificate with a
plausible public scope (brands, channels, sites in a few departments, contributors), one
closed audit, and its history; about 90 % are valid, the rest suspended, withdrawn or
expired. Prints the numbers of 200 valid certificates, one per line, for the load generator.
With ``--contact-points K``, each certificate also gets K telephone contact points (distinct
valid numbers, 09 7x xx xx xx, as issuance writes them: E.164 indexed) and ``--phones FILE``
receives 200 of the numbers of valid certificates plus 100 numbers nobody declared, in national
form, for the phone check. On PostgreSQL it ends with ``ANALYZE``, as autovacuum would have
done for a registry in service.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import sys
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcf.settings")

import django

django.setup()

from django.db import connection, transaction  # noqa: E402
from django.utils import timezone  # noqa: E402
from stdnum import luhn  # noqa: E402

from rcf.accounts.models import Organisation, User  # noqa: E402
from rcf.certification.models import (  # noqa: E402
    Application,
    Audit,
    Certificate,
    CertificateEvent,
    ContactPoint,
)
from rcf.core.dates import validity_end  # noqa: E402
from rcf.credentials.statuslist import LIST_SIZE  # noqa: E402
from tests.support.factories import example_declaration  # noqa: E402

WORDS = [
    "Télécom", "Énergie", "Assurances", "Mutuelle", "Banque", "Crédit", "Distribution",
    "Voyages", "Électricité", "Gaz", "Eau", "Transports", "Santé", "Prévoyance", "Services",
    "Habitat", "Auto", "Optique", "Librairie", "Câble",
]  # fmt: skip
PLACES = [
    "de l'Ouest", "du Nord", "de Bretagne", "d'Auvergne", "des Deux-Sèvres", "de Provence",
    "Île-de-France", "de Normandie", "d'Alsace", "du Béarn", "de la Réunion", "de Corse",
]  # fmt: skip
FORMS = ["SA", "SAS", "SCOP", "Mutuelle", "Groupe", "SARL"]
CHANNELS = ["telephone", "email", "chat", "messaging", "social_media", "postal_mail", "video"]
DEPARTMENTS = ["2A", "13", "29", "33", "35", "44", "59", "62", "69", "75", "79", "86", "974"]
BATCH = 1_000


def siren(serial: int) -> str:
    body = f"{300_000_00 + serial:08d}"
    return body + luhn.calc_check_digit(body)


def scope(rng: random.Random, name: str) -> dict[str, object]:
    departments = sorted(rng.sample(DEPARTMENTS, rng.randint(1, 4)))
    establishments = rng.randint(1, 12)
    telework = rng.randint(0, 1)
    return {
        "brands": [name.split()[0] + " " + w for w in rng.sample(["Direct", "Plus", "Pro"], 2)],
        "channels": sorted(rng.sample(CHANNELS, rng.randint(1, 7)), key=CHANNELS.index),
        "activities": ["front_office", "back_office"],
        "phases": ["pre_sale", "sale", "after_sale"][rng.randint(0, 2) :],
        "sites": {
            "count": establishments + telework,
            "establishments": establishments,
            "telework": telework,
            "departments": departments,
            "territories": sorted({"drom" if d == "974" else "metropole" for d in departments}),
        },
        "operators": rng.randint(0, 5),
        "contributors": rng.randint(5, 3_000),
    }


def with_breakdown(rng: random.Random, scope: dict[str, Any]) -> dict[str, Any]:
    """The scope's ``breakdown`` (as ``certificate_scope`` computes it): the contributors
    spread over the scope's departments, channels and activities, employers and contracts."""
    people = int(scope["contributors"])
    departments = scope["sites"]["departments"]
    shares = [rng.randint(1, 10) for _ in departments]
    by_department = {d: people * w // sum(shares) for d, w in zip(departments, shares, strict=True)}
    by_department[departments[0]] += people - sum(by_department.values())
    in_house = people * rng.randint(50, 100) // 100
    temp = (people - in_house) // 4
    permanent = people * rng.randint(70, 95) // 100
    scope["breakdown"] = {
        "departments": by_department,
        "territories": {
            t: sum(
                v for d, v in by_department.items() if ("drom" if d == "974" else "metropole") == t
            )
            for t in scope["sites"]["territories"]
        },
        "channels": {c: people for c in scope["channels"]},
        "activities": {a: people * rng.randint(40, 100) // 100 for a in scope["activities"]},
        "employment": {
            "in_house": in_house,
            "subcontracted": people - in_house - temp,
            "temp_work": temp,
        },
        "contracts": {"cdi": permanent, "cdd": people - permanent},
    }
    return scope


def _at(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(10)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=2026)
    parser.add_argument("--contact-points", type=int, default=0)
    parser.add_argument("--phones", type=Path, default=None)
    options = parser.parse_args()
    rng = random.Random(options.seed)
    today = timezone.localdate()
    now = timezone.now()
    declaration = example_declaration()
    evaluation = {"format": "rcf-evaluation/1", "scheme_version": "1", "verdict": "eligible"}
    indexes = rng.sample(range(LIST_SIZE), options.count)
    valid: list[str] = []
    phones: list[str] = []
    phones_all: list[str] = []  # one entry per contact point made: its serial is the index

    with transaction.atomic():
        staff = User.objects.create(username="bench-certifier")
        auditor = User.objects.create(username="bench-auditor")
        per_year: dict[int, int] = {}
        for start in range(0, options.count, BATCH):
            serials = range(start, min(start + BATCH, options.count))
            organisations = Organisation.objects.bulk_create(
                Organisation(
                    siren=siren(serial),
                    name=f"{rng.choice(WORDS)} {rng.choice(PLACES)} {rng.choice(FORMS)} {serial}",
                )
                for serial in serials
            )
            applications = Application.objects.bulk_create(
                Application(
                    organisation=organisation,
                    status="certified",
                    declaration=declaration,
                    evaluation=evaluation,
                    verdict="eligible",
                    scheme_version="1",
                    created_by=staff,
                )
                for organisation in organisations
            )
            certificates = []
            for serial, organisation, application in zip(
                serials, organisations, applications, strict=True
            ):
                roll = rng.random()
                expired = roll >= 0.97
                valid_from = today - dt.timedelta(
                    days=rng.randint(1_100, 1_500) if expired else rng.randint(0, 1_000)
                )
                status = "active"
                if 0.90 <= roll < 0.94:
                    status = "suspended"
                elif 0.94 <= roll < 0.97:
                    status = "withdrawn"
                per_year[valid_from.year] = per_year.get(valid_from.year, 0) + 1
                certificate = Certificate(
                    number=f"RCF-{valid_from.year}-{per_year[valid_from.year]:04d}",
                    organisation=organisation,
                    application=application,
                    status=status,
                    scheme_version="1",
                    first_issued_on=valid_from,
                    valid_from=valid_from,
                    valid_until=validity_end(valid_from, 3),
                    status_changed_at=now,
                    scope=with_breakdown(rng, scope(rng, organisation.name)),
                    status_index=indexes[serial],
                )
                certificate.reindex()
                certificates.append(certificate)
                if status == "active" and not expired and len(valid) < 200:
                    valid.append(certificate.number)
            Certificate.objects.bulk_create(certificates)
            # The history the observatory replays: issued on its first day; suspended or
            # withdrawn some day between then and now.
            events = [
                CertificateEvent(
                    certificate=c, on=_at(c.valid_from), action="issued", status="active"
                )
                for c in certificates
            ]
            events += [
                CertificateEvent(
                    certificate=c,
                    on=_at(
                        c.valid_from
                        + dt.timedelta(days=rng.randint(0, max(0, (today - c.valid_from).days)))
                    ),
                    action=c.status,
                    status=c.status,
                )
                for c in certificates
                if c.status != "active"
            ]
            CertificateEvent.objects.bulk_create(events)
            points = []
            for c in certificates:
                for k in range(options.contact_points):
                    serial = len(phones_all) + k
                    points.append(
                        ContactPoint(
                            certificate=c,
                            position=k,
                            channel="telephone",
                            value=f"+3397{serial:07d}",
                            number=f"+3397{serial:07d}",
                            purpose="customer_service" if k == 0 else "sales",
                            brands=[],
                        )
                    )
                if c.status == "active" and c.valid_until >= today and len(phones) < 200:
                    phones.append(f"097{len(phones_all):07d}")
                phones_all.extend([c.number] * options.contact_points)
            ContactPoint.objects.bulk_create(points, batch_size=BATCH)
            Audit.objects.bulk_create(
                Audit(
                    application=c.application,
                    kind="initial",
                    status="closed",
                    auditor=auditor,
                    planned_on=c.valid_from - dt.timedelta(days=30),
                    performed_on=c.valid_from - dt.timedelta(days=29),
                    sample_size=1,
                    sampled_sites=[],
                    planned_by=staff,
                    closed_at=now,
                )
                for c in certificates
            )
    # The planner's statistics, as a database in service has them (PostgreSQL's autovacuum
    # would gather them some minutes later, SQLite never by itself): without them the first
    # minutes of a benchmark measure plans made for empty tables.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    print("\n".join(valid))
    if options.phones is not None:
        undeclared = [f"097{n:07d}" for n in range(9_999_900, 10_000_000)]
        options.phones.write_text("\n".join(phones + undeclared) + "\n", encoding="utf-8")
    print(json.dumps({"certificates": options.count}), file=sys.stderr)


if __name__ == "__main__":
    main()
