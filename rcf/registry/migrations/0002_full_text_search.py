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

Both also keep ``registry_search_generation``, one number that every write to the certificates
table replaces by a random one (triggers again): each process keeps the vocabulary of the
registry (for near spellings) and its recent results while the number stays the same, and
reads them again when it changes — whoever wrote, whatever process. Random rather than
counted: a rolled-back write restores the number of the state it rolled back to, and a
counter would then give a number already used for another state.
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
BY_NAME = "registry_certificate_by_name"
GENERATION = "registry_search_generation"
SQLITE_BUMP = f"UPDATE {GENERATION} SET value = random() WHERE id = 1"
BUMP = f"UPDATE {GENERATION} SET value = floor(random() * 9.2e18)::bigint WHERE id = 1"
SQLITE_BUMPS = {
    f"registry_generation_{name}": f"AFTER {event} ON certificates_certificate BEGIN {SQLITE_BUMP}; END"
    for name, event in (("ai", "INSERT"), ("ad", "DELETE"), ("au", "UPDATE"))
}
PG_BUMP = f"""
CREATE OR REPLACE FUNCTION registry_search_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN {BUMP}; RETURN NULL; END $$;
CREATE TRIGGER registry_search_bump
  AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON certificates_certificate
  FOR EACH STATEMENT EXECUTE FUNCTION registry_search_bump();
"""


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    schema_editor.execute(
        f"CREATE TABLE {GENERATION} (id INTEGER PRIMARY KEY, value BIGINT NOT NULL)"
    )
    schema_editor.execute(f"INSERT INTO {GENERATION} (id, value) VALUES (1, 0)")
    if vendor == "sqlite":
        schema_editor.execute(
            f"CREATE VIRTUAL TABLE {FTS} USING fts5(search_text, "
            "content='certificates_certificate', content_rowid='id', tokenize='trigram')"
        )
        for name, body in {**TRIGGERS, **SQLITE_BUMPS}.items():
            schema_editor.execute(f"CREATE TRIGGER {name} {body}")
        schema_editor.execute(f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')")
        # The registry without words, in name order, filtered: read from this index in order,
        # without the table's rows (their scope JSON) nor a sort.
        schema_editor.execute(
            f"CREATE INDEX {BY_NAME} ON certificates_certificate "
            "(sort_name, number, status, valid_until, valid_from, search_filters)"
        )
    elif vendor == "postgresql":
        schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON certificates_certificate "
            "USING gin (search_text gin_trgm_ops)"
        )
        schema_editor.execute(PG_BUMP)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        for name in {**TRIGGERS, **SQLITE_BUMPS}:
            schema_editor.execute(f"DROP TRIGGER IF EXISTS {name}")
        schema_editor.execute(f"DROP TABLE IF EXISTS {FTS}")
        schema_editor.execute(f"DROP INDEX IF EXISTS {BY_NAME}")
    elif vendor == "postgresql":
        # The extension stays: other objects may use it, and dropping it needs a superuser.
        schema_editor.execute(f"DROP INDEX IF EXISTS {PG_INDEX}")
        schema_editor.execute(
            "DROP TRIGGER IF EXISTS registry_search_bump ON certificates_certificate"
        )
        schema_editor.execute("DROP FUNCTION IF EXISTS registry_search_bump()")
    schema_editor.execute(f"DROP TABLE IF EXISTS {GENERATION}")


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0001_search_index"),
        ("certification", "0004_certificate_sort_name"),
    ]
    operations = [migrations.RunPython(create, drop, elidable=False)]
