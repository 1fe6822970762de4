"""The full-text, typo-tolerant index of the registry search (docs/registry.md, « Recherche »).

Both engines index ``certificates_certificate.search_text``, the folded text (name, brands,
SIREN, number) that ``Certificate.reindex()`` writes, so case and accents are ignored the same
way on both:

- SQLite: an FTS5 table with the trigram tokenizer over that column (external content: it
  holds the index, not a copy of the text), kept in step by three triggers, whatever code
  writes the table (services, bulk inserts, the admin, a raw UPDATE).
- PostgreSQL: the pg_trgm extension and a GIN trigram index on the column, which serves both
  ``LIKE '%word%'`` and the similarity operators. Creating the extension needs a superuser
  (or a database owner on PostgreSQL 13+, pg_trgm being a trusted extension).
"""

from django.db import migrations

FTS = "registry_search_fts"
TRIGGERS = {
    "registry_search_ai": (
        "AFTER INSERT ON certificates_certificate BEGIN "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
    "registry_search_ad": (
        "AFTER DELETE ON certificates_certificate BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    ),
    "registry_search_au": (
        "AFTER UPDATE OF search_text ON certificates_certificate BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        f"INSERT INTO {FTS}(rowid, search_text) VALUES (new.id, new.search_text); END"
    ),
}
PG_INDEX = "registry_certificate_search_trgm"


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, "
            "content='certificates_certificate', content_rowid='id', tokenize='trigram')"
        )
        for name, body in TRIGGERS.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
        schema_editor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON certificates_certificate "
            "USING gin (search_text gin_trgm_ops)"
        )


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in TRIGGERS:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
    elif vendor == "postgresql":
        # The extension stays: other objects may use it, and dropping it needs a superuser.
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_search_index"),
        ("certification", "0004_certificate_sort_name"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
