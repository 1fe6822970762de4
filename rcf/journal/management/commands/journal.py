"""``rcf journal verify [--checkpoint FILE]``: exit 0 when the journal holds, 1 and why otherwise.

Without ``--checkpoint`` it checks the hash chain and, when the platform has issued checkpoints,
that the journal still holds the latest one (so a truncation below the stored head shows). With
``--checkpoint FILE`` it also proves that the journal still holds, unchanged, every entry the
checkpoint someone kept covers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any, NoReturn

from django.conf import settings
from django.core.management.base import BaseCommand, CommandParser

from rcf.credentials.keys import KeyringError, jwks, load_keyring
from rcf.journal.checkpoints import (
    Checkpoint,
    CheckpointInvalid,
    checkpoint_holds,
    checkpoint_latest,
    checkpoint_read,
)
from rcf.journal.selectors import JournalVerification, journal_verify

STORED = "point de contrôle enregistré"
GIVEN = "point de contrôle fourni"


class Command(BaseCommand):
    help = "Journal : « rcf journal verify » vérifie le chaînage des empreintes."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        verify = actions.add_parser(
            "verify", help="Vérifie tout le journal ; code 1 s'il est rompu."
        )
        verify.add_argument(
            "--checkpoint",
            metavar="FILE",
            help="un point de contrôle signé (/journal/checkpoint.jwt) gardé plus tôt : "
            "code 1 si le journal ne contient plus, inchangées, les entrées qu'il couvre",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "verify":
            self.verify(options.get("checkpoint"), verbosity=int(options["verbosity"]))

    def verify(self, path: str | None, *, verbosity: int) -> None:
        result = journal_verify()
        if not result.intact:
            self.broken(result)
        given_token = self.read_file(path) if path else None
        stored = checkpoint_latest()
        checks: list[tuple[str, str]] = []
        if stored is not None:
            checks.append((STORED, stored.token))
        if given_token is not None:
            checks.append((GIVEN, given_token))
        verified: list[tuple[str, Checkpoint]] = []
        if checks:
            key_set = self.platform_keys()
            for label, token in checks:
                try:
                    checkpoint = checkpoint_read(token, key_set)
                except CheckpointInvalid as exc:
                    self.fail(f"{label.capitalize()} invalide : {exc}.")
                held = checkpoint_holds(checkpoint, count=result.count, label=label)
                if not held.intact:
                    self.broken(held)
                verified.append((label, checkpoint))
        self.stdout.write(f"Journal intact : {result.count} entrées.")
        for label, checkpoint in verified:
            # The plain run keeps its one-line report; the stored checkpoint is named on demand.
            if label == GIVEN or verbosity >= 2:
                self.stdout.write(
                    f"{label.capitalize()} vérifié : les entrées 1 à {checkpoint.seq} sont "
                    f"inchangées (empreinte {checkpoint.hash[:16]}…, signé le "
                    f"{checkpoint.issued_on_text} par la clé {checkpoint.kid})."
                )

    def read_file(self, path: str) -> str:
        try:
            return Path(path).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            self.fail(f"Point de contrôle illisible : {path} ({type(exc).__name__}).")

    def platform_keys(self) -> dict[str, Any]:
        """The public keys of ``/.well-known/jwks.json``, read from the key ring.

        Read, never created: a key made now could not have signed any checkpoint.
        """
        try:
            return jwks(load_keyring(Path(settings.RCF_SIGNING_KEY_FILE)))
        except KeyringError as exc:
            self.fail(
                f"Points de contrôle invérifiables : clés de signature indisponibles ({exc})."
            )

    def broken(self, result: JournalVerification) -> NoReturn:
        self.fail(f"Journal rompu à l'entrée n° {result.broken_at} : {result.reason}.")

    def fail(self, message: str) -> NoReturn:
        # Like `makemigrations --check`: the report on stdout, the verdict in the status.
        self.stdout.write(message)
        sys.exit(1)
