"""Give the certificates issued before the scope's ``breakdown`` existed their breakdown,
computed from the declaration of their decision in force (additive: nothing else changes)."""

from django.db import migrations


def backfill(apps, schema_editor):
    from rcf.certification.scope import scope_breakdown

    Certificate = apps.get_model("certification", "Certificate")
    for certificate in Certificate.objects.select_related("application").iterator(chunk_size=500):
        if "breakdown" in certificate.scope:
            continue
        try:
            breakdown = scope_breakdown(certificate.application.declaration)
        except (KeyError, TypeError, ValueError):
            continue  # a declaration too damaged to say: left as « non réparti »
        certificate.scope = {**certificate.scope, "breakdown": breakdown}
        certificate.save(update_fields=["scope"])


class Migration(migrations.Migration):
    dependencies = [
        ("observatory", "0001_initial"),
        ("certification", "0003_invariants"),
    ]

    operations = [migrations.RunPython(backfill, migrations.RunPython.noop)]
