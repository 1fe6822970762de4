"""``rcf tick``: apply due deadlines and send due reminders, idempotently."""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from rcf.certification.services.tick import tick


class Command(BaseCommand):
    help = "Applique les échéances (expiration, suspension, retrait) et envoie les rappels."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--today", help="date du jour AAAA-MM-JJ (pour rattraper un jour manqué ou tester)"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        today = None
        if options["today"]:
            try:
                today = dt.date.fromisoformat(options["today"])
            except ValueError:
                raise CommandError("--today attend une date AAAA-MM-JJ", returncode=2) from None
        for line in tick(today).lines():
            self.stdout.write(line)
