"""Usernames unique ignoring case and Unicode compatibility forms (``AFRC`` = ``afrc`` = ``ａｆｒｃ``).

The key is filled from each username; when two existing usernames share a key the migration
stops, changes nothing, and names them: rename or deactivate-and-rename one (``rcf shell`` or the
admin), then run ``rcf migrate`` again. Also: an organisation may be created unnamed (SIREN
only).
"""

import unicodedata
from collections import defaultdict

from django.core.management.base import CommandError
from django.db import migrations, models


def username_key(username):
    # A frozen copy of rcf.accounts.models.username_key: a migration must not follow the code.
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def fill_username_keys(apps, schema_editor):
    User = apps.get_model("accounts", "User")
    by_key = defaultdict(list)
    for pk, username in User.objects.order_by("pk").values_list("pk", "username"):
        by_key[username_key(username)].append((pk, username))
    clashes = [users for users in by_key.values() if len(users) > 1]
    if clashes:
        lines = [
            " ; ".join(f"« {username} » (id {pk})" for pk, username in users) for users in clashes
        ]
        raise CommandError(
            "migration accounts.0003 refusée : ces identifiants ne diffèrent que par la casse ou "
            "la forme Unicode, et doivent être uniques :\n  "
            + "\n  ".join(lines)
            + "\nRenommez l'un de chaque groupe (admin ou rcf shell), puis relancez « rcf migrate »."
            " Rien n'a été modifié."
        )
    for key, [(pk, _username)] in by_key.items():
        User.objects.filter(pk=pk).update(username_key=key)


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0002_reset_requests"),
    ]

    operations = [
        migrations.AddField(
            model_name="user",
            name="username_key",
            field=models.CharField(
                default="", editable=False, max_length=150, verbose_name="identifiant normalisé"
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_username_keys, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="user",
            name="username_key",
            field=models.CharField(
                editable=False, max_length=150, unique=True, verbose_name="identifiant normalisé"
            ),
        ),
        migrations.AlterField(
            model_name="organisation",
            name="name",
            field=models.CharField(blank=True, max_length=200, verbose_name="raison sociale"),
        ),
    ]
