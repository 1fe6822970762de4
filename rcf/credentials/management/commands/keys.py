"""``rcf keys init`` and ``rcf keys rotate``: the key ring that signs the credentials."""

from __future__ import annotations

import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from rcf.credentials.keys import KeyringError, keyring_init, keyring_rotate


class Command(BaseCommand):
    help = (
        "Trousseau des clés de signature (RCF_SIGNING_KEY_FILE) : « init » le crée, « rotate » "
        "remplace la clé courante en gardant la partie publique de l'ancienne. Affiche le kid "
        "de la nouvelle clé, rien de secret."
    )
    # Only the key file is touched: the command must work before the database or the other
    # apps are ready (it is part of the first installation).
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        sub.add_parser("init", help="crée le trousseau ; refuse s'il existe déjà")
        sub.add_parser("rotate", help="nouvelle clé courante ; l'ancienne reste publiée")

    def handle(self, *args: Any, **options: Any) -> None:
        path = Path(settings.RCF_SIGNING_KEY_FILE)
        try:
            action = keyring_init if options["action"] == "init" else keyring_rotate
            keyring = action(path)
        except KeyringError as exc:
            self.stderr.write(str(exc))
            sys.exit(2)
        except OSError as exc:
            self.stderr.write(f"{path} : {exc.strerror}")
            sys.exit(2)
        # stdout is the kid alone, so that scripts can use `KID=$(rcf keys rotate)`.
        self.stdout.write(keyring.current.kid)
