"""Invariants held by the database: one open initial dossier per company, one open renewal per
certificate, one live certificate per company and scheme, one certificate per dossier.

A database that already breaks one of them is not changed: the migration stops with the list
of what must be put right first (by the certification body, through the platform: withdraw
the extra certificates, refuse or delete the extra dossiers), so that nothing is decided by a
migration in its place.
"""

from django.core.management.base import CommandError
from django.db import migrations, models
from django.db.models import Count

OPEN = ~models.Q(status__in=["certified", "refused"])
LIVE = ["active", "suspended"]


def refuse_broken_database(apps, schema_editor):
    Application = apps.get_model("certification", "Application")
    Certificate = apps.get_model("certification", "Certificate")
    problems = []
    for row in (
        Application.objects.filter(OPEN, kind="initial")
        .values("organisation_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ):
        ids = list(
            Application.objects.filter(OPEN, kind="initial", organisation_id=row["organisation_id"])
            .order_by("pk")
            .values_list("pk", flat=True)
        )
        problems.append(f"organisation {row['organisation_id']}: open initial dossiers {ids}")
    for row in (
        Application.objects.filter(OPEN, renews__isnull=False)
        .values("renews_id")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ):
        problems.append(f"certificate id {row['renews_id']}: {row['n']} open renewals")
    for row in (
        Certificate.objects.filter(status__in=LIVE)
        .values("organisation_id", "scheme")
        .annotate(n=Count("id"))
        .filter(n__gt=1)
    ):
        numbers = list(
            Certificate.objects.filter(
                status__in=LIVE, organisation_id=row["organisation_id"], scheme=row["scheme"]
            )
            .order_by("number")
            .values_list("number", flat=True)
        )
        problems.append(f"organisation {row['organisation_id']}: live certificates {numbers}")
    for row in (
        Certificate.objects.values("application_id").annotate(n=Count("id")).filter(n__gt=1)
    ):
        problems.append(f"dossier {row['application_id']}: {row['n']} certificates")
    if problems:
        # CommandError: `rcf migrate` prints the message alone and exits 1, no traceback.
        raise CommandError(
            "This database breaks the certification invariants; put these right through the "
            "platform (withdraw extra certificates, refuse or delete extra dossiers), then "
            "migrate again:\n  " + "\n  ".join(problems)
        )


class Migration(migrations.Migration):
    dependencies = [("certification", "0002_scheme_versions")]

    operations = [
        migrations.RunPython(refuse_broken_database, migrations.RunPython.noop, elidable=True),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=models.Q(kind="initial") & OPEN,
                fields=("organisation",),
                name="one_open_initial_application_per_organisation",
            ),
        ),
        migrations.AddConstraint(
            model_name="application",
            constraint=models.UniqueConstraint(
                condition=OPEN,
                fields=("renews",),
                name="one_open_renewal_per_certificate",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                condition=models.Q(status__in=LIVE),
                fields=("organisation", "scheme"),
                name="one_live_certificate_per_organisation_and_scheme",
            ),
        ),
        migrations.AddConstraint(
            model_name="certificate",
            constraint=models.UniqueConstraint(
                fields=("application",), name="one_certificate_per_application"
            ),
        ),
    ]
