"""Database helpers for the command line."""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.migrations.executor import MigrationExecutor


def ensure_migrated() -> None:
    """Bring a local SQLite database up to date before a command reads it.

    ``rcf members import`` and ``rcf evaluate`` are often the first commands run on a new
    machine; with the default SQLite file they create it rather than fail. A server database
    (PostgreSQL) is never migrated behind the operator's back: the command stops and says so.
    """
    connection = connections[DEFAULT_DB_ALIAS]
    executor = MigrationExecutor(connection)
    if not executor.migration_plan(executor.loader.graph.leaf_nodes()):
        return
    if connection.vendor == "sqlite":
        call_command("migrate", interactive=False, verbosity=0)
        return
    raise CommandError(
        "La base de données n'est pas à jour : lancez « rcf migrate » d'abord.", returncode=2
    )
