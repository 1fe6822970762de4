"""Each dossier records the version of the référentiel it is judged under, and each certificate
its scheme (with the version it already had)."""

from django.db import migrations, models


def fill_scheme_versions(apps, schema_editor):
    Application = apps.get_model("certification", "Application")
    for application in Application.objects.only("pk", "evaluation").iterator():
        version = str((application.evaluation or {}).get("scheme_version") or "1")
        Application.objects.filter(pk=application.pk).update(scheme_version=version)


class Migration(migrations.Migration):
    dependencies = [("certification", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="application",
            name="scheme_version",
            field=models.CharField(
                default="1",
                help_text="La version sous laquelle le dossier est jugé : celle du format déclaré.",
                max_length=8,
                verbose_name="version du référentiel",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_scheme_versions, migrations.RunPython.noop, elidable=True),
        migrations.AddField(
            model_name="certificate",
            name="scheme",
            field=models.CharField(
                default="relation-client-france",
                editable=False,
                max_length=64,
                verbose_name="référentiel",
            ),
        ),
    ]
