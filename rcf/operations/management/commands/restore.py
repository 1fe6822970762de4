"""``rcf restore FILE``: put a ``rcf backup`` archive back, into an empty platform only.

The database must be migrated (same migrations as the archive) and hold no rows; the evidence
storage must be empty and the key ring absent. Every member's SHA-256 is checked against the
manifest before anything is written, and everything is loaded in one transaction. Exit 2,
saying why, for a damaged archive or a target that is not empty. ``--check`` only verifies
the archive.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rcf.operations.backup import BackupError, archive_restore, archive_verify


class Command(BaseCommand):
    help = (
        "Restaure une archive « rcf backup » dans une plateforme vide (base migrée sans "
        "données, pas de preuves ni de trousseau de clés) ; --check vérifie seulement l'archive."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="l'archive écrite par « rcf backup »")
        parser.add_argument(
            "--check",
            action="store_true",
            help="vérifier les empreintes de l'archive sans rien restaurer",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        try:
            if options["check"]:
                manifest = archive_verify(path)
                self.stdout.write(
                    f"Archive intacte : {len(manifest['members'])} membres vérifiés "
                    f"(sauvegarde du {manifest.get('created_at')}, "
                    f"version {manifest.get('platform_version')})."
                )
                return
            report = archive_restore(path)
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        self.stdout.write(
            f"Restauration terminée : {report.rows} lignes, {report.evidence_files} fichiers "
            f"de preuve, clés de signature : {'oui' if report.signing_keys else 'non'}."
        )
