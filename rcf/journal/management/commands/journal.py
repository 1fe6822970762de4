"""``rcf journal verify``: exit 0 when the hash chain holds, 1 and the first fault otherwise."""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rcf.journal.selectors import journal_verify


class Command(BaseCommand):
    help = "Journal : « rcf journal verify » vérifie le chaînage des empreintes."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        actions.add_parser("verify", help="Vérifie tout le journal ; code 1 s'il est rompu.")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            result = journal_verify()
            if result.intact:
                self.stdout.write(f"Journal intact : {result.count} entrées.")
                return
            self.stdout.write(f"Journal rompu à l'entrée n° {result.broken_at} : {result.reason}.")
            # Like `makemigrations --check`: the report on stdout, the verdict in the status.
            sys.exit(1)
