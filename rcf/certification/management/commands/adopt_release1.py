"""``rcf adopt_release1``: take over a release-1 database, whose certification tables were made
by the apps ``applications``, ``audits`` and ``certificates``, before ``rcf migrate``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.db.migrations.recorder import MigrationRecorder

RELEASE_1 = ("applications", "0002_initial")
ADOPTED = ("certification", "0001_initial")
TABLES = {
    "applications_application",
    "applications_payrollevidence",
    "audits_audit",
    "audits_checklistitem",
    "audits_evidencefile",
    "audits_finding",
    "audits_correctiveaction",
    "certificates_certificate",
    "certificates_certificateevent",
    "certificates_certificatesequence",
}


class Command(BaseCommand):
    help = (
        "Adopte une base de la première version : ses tables de dossiers, d'audits et de "
        "certificats deviennent celles de l'application « certification » (sans les modifier). "
        "Lancez ensuite « rcf migrate »."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        recorder = MigrationRecorder(connection)
        applied = recorder.applied_migrations()
        if ADOPTED in applied:
            self.stdout.write("Rien à faire : la base est déjà celle de cette version.")
            return
        if RELEASE_1 not in applied:
            raise CommandError(
                "Ce n'est pas une base de la première version (migration applications.0002 "
                "absente) : « rcf migrate » suffit."
            )
        missing = sorted(TABLES - set(connection.introspection.table_names()))
        if missing:
            raise CommandError(f"Tables de la première version absentes : {', '.join(missing)}.")
        # Release 1's tables are exactly certification/0001_initial's (same names, same
        # columns): recording it as applied is what `migrate --fake-initial` would do, were
        # the registry's migration not already applied on top of the old apps.
        recorder.record_applied(*ADOPTED)
        self.stdout.write("Base de la première version adoptée. Lancez maintenant « rcf migrate ».")
