"""The folded company name of each certificate, for the registry's alphabetical order.

Sorting on the name itself puts « Électricité » after « Zinc » and depends on the database's
collation; the folded name (rcf.core.text.fold) sorts the same everywhere. Existing rows are
filled from their organisation.
"""

from django.db import migrations, models

from rcf.core.text import fold


def fill(apps, schema_editor):
    Certificate = apps.get_model("certification", "Certificate")
    rows = list(Certificate.objects.select_related("organisation").only("organisation__name"))
    for certificate in rows:
        certificate.sort_name = fold(certificate.organisation.name)
    Certificate.objects.bulk_update(rows, ["sort_name"], batch_size=1000)


class Migration(migrations.Migration):
    dependencies = [("certification", "0003_invariants")]

    operations = [
        migrations.AddField(
            model_name="certificate",
            name="sort_name",
            field=models.CharField(
                db_index=True,
                default="",
                editable=False,
                help_text="Raison sociale en minuscules et sans accents : l'ordre alphabétique.",
                max_length=200,
                verbose_name="nom pour le tri",
            ),
        ),
        migrations.RunPython(fill, migrations.RunPython.noop, elidable=False),
    ]
