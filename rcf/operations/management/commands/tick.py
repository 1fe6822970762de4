"""``rcf tick``: apply due deadlines and send due reminders, idempotently; then sign the journal.

One run at a time (``rcf.operations.locks``): a second run started meanwhile says so and exits
0, since the run under way does the work. Each run that takes the lock is recorded (start, end,
outcome) for ``/readyz`` and the metrics, and ends by signing a checkpoint of the journal.
"""

from __future__ import annotations

import datetime as dt
from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from rcf.certification.services.tick import tick
from rcf.credentials.keys import KeyringError
from rcf.journal.checkpoints import CheckpointInvalid, CheckpointRefused, checkpoint_issue
from rcf.observatory.services import snapshot_record
from rcf.operations.choices import TickOutcome
from rcf.operations.locks import tick_lock
from rcf.operations.services import tick_run_finish, tick_run_start
from rcf.registry.signing import keyring_current


class Command(BaseCommand):
    help = (
        "Applique les échéances (expiration, suspension, retrait), envoie les rappels et signe "
        "un point de contrôle du journal. Un seul passage à la fois."
    )

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
        with tick_lock() as acquired:
            if not acquired:
                self.stdout.write("Un autre « rcf tick » est en cours : celui-ci s'arrête.")
                return
            run = tick_run_start()
            try:
                for line in tick(today).lines():
                    self.stdout.write(line)
                # After the deadlines: the day's figures as the observatory publishes them.
                snapshot = snapshot_record(today)
                self.stdout.write(
                    f"Relevé de l'observatoire du {snapshot.day:%d/%m/%Y} enregistré."
                )
                checkpoint = checkpoint_issue(
                    keyring=keyring_current(), issuer=settings.RCF_BASE_URL
                )
            except (CheckpointRefused, CheckpointInvalid, KeyringError) as exc:
                message = f"point de contrôle du journal non signé : {exc}"
                tick_run_finish(run, outcome=TickOutcome.FAILED, detail=message)
                raise CommandError(message, returncode=1) from None
            except BaseException as exc:
                tick_run_finish(run, outcome=TickOutcome.FAILED, detail=type(exc).__name__)
                raise
            tick_run_finish(run, outcome=TickOutcome.OK)
            self.stdout.write(
                f"Point de contrôle du journal signé : entrée n° {checkpoint.seq} "
                f"(/journal/checkpoint.jwt)."
            )
