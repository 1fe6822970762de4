"""``rcf members import FILE.csv``: load the AFRC membership registry."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand

from rcf.core.db import ensure_migrated
from rcf.members.services import MembersImportError, members_import


class Command(BaseCommand):
    help = "Registre des adhérents AFRC : « import FICHIER.csv » charge ou met à jour le registre."

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        load = sub.add_parser(
            "import", help="importe un CSV member_number,siren,name,valid_from,valid_until"
        )
        load.add_argument("file", help="fichier CSV (UTF-8)")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(options["file"])
        ensure_migrated()
        try:
            with path.open(encoding="utf-8-sig", newline="") as handle:
                result = members_import(handle, source=str(path))
        except OSError as exc:
            self.stderr.write(f"{path}: {exc.strerror}")
            sys.exit(2)
        except UnicodeDecodeError as exc:
            self.stderr.write(f"{path}: le fichier n'est pas en UTF-8 ({exc.reason})")
            sys.exit(2)
        except MembersImportError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            self.stderr.write(f"{path}: import refusé, rien n'a été modifié.")
            sys.exit(2)
        self.stdout.write(
            f"{result.total} adhérents lus : {len(result.created)} créés, "
            f"{len(result.updated)} mis à jour, {len(result.unchanged)} inchangés."
        )
        if result.named:
            self.stdout.write(
                f"{len(result.named)} organisations sans nom nommées d'après le registre : "
                + ", ".join(result.named)
                + "."
            )
