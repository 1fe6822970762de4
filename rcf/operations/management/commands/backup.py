"""``rcf backup FILE``: one consistent archive of the platform, written while it runs.

Database rows (engine-independent JSON Lines), audit evidence files, the signing key ring and a
manifest with the SHA-256 of every member (rcf/operations/backup.py, docs/operations.md).
Exit 0 once the archive is in place, 2 for a path that cannot be written; a failed backup
leaves no file behind.
"""

from __future__ import annotations

from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rcf.operations.backup import BackupError, backup_write


class Command(BaseCommand):
    help = (
        "Sauvegarde la plateforme dans une archive (tar.gz, mode 0600) : base de données, "
        "preuves d'audit, trousseau de clés de signature, manifeste avec empreintes SHA-256."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument("file", metavar="FILE", help="l'archive à écrire")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = backup_write(Path(options["file"]))
        except BackupError as exc:
            raise CommandError(str(exc), returncode=2) from None
        for warning in report.warnings:
            self.stderr.write(f"attention : {warning}")
        manifest = report.manifest
        rows = sum(entry["count"] for entry in manifest["models"])
        self.stdout.write(
            f"Sauvegarde écrite : {report.path} ({rows} lignes, "
            f"{manifest['evidence_files']} fichiers de preuve, "
            f"clés de signature : {'oui' if manifest['signing_keys'] else 'non'})."
        )
