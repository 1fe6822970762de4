"""API tokens expire (platform-v1.md §4: 365 days by default).

A token created before this release expires 365 days after its creation, but never less than
30 days after the upgrade: an integration gets a month to take a new token.
"""

import datetime as dt

from django.db import migrations, models
from django.utils import timezone


def set_expiry(apps, schema_editor):
    ApiToken = apps.get_model("accounts", "ApiToken")
    grace = timezone.now() + dt.timedelta(days=30)
    for token in ApiToken.objects.all():
        token.expires_at = max(token.created_at + dt.timedelta(days=365), grace)
        token.save(update_fields=["expires_at"])


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0003_username_key"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(null=True, verbose_name="expire le"),
        ),
        migrations.RunPython(set_expiry, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expire le"),
        ),
    ]
