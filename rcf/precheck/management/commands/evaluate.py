"""``rcf evaluate FILE [--dsn FILE]… [--format text|json]``: the pre-check of a declaration."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rcf.core.db import ensure_migrated
from rcf.precheck.services import (
    EXIT_STATUS,
    INPUT_ERROR_STATUS,
    PrecheckInputError,
    precheck_files,
)
from rcf.referentiel.engine import dumps_evaluation
from rcf.referentiel.report import render_report


class Command(BaseCommand):
    help = (
        "Valide et évalue une déclaration rcf-declaration/1 (pré-contrôle). Statut de sortie : "
        "0 éligible, 1 non éligible, 3 à vérifier, 2 erreur de saisie (erreurs sur stderr)."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="la déclaration (JSON rcf-declaration/1)")
        parser.add_argument(
            "--dsn",
            action="append",
            default=[],
            metavar="FILE",
            help="une DSN de l'entreprise, preuve de ses effectifs salariés (répétable)",
        )
        parser.add_argument(
            "--format",
            choices=["text", "json"],
            default="text",
            help="text : rapport lisible (par défaut) ; json : rcf-evaluation/1",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        ensure_migrated()
        try:
            evaluation = precheck_files(declaration_path=options["file"], dsn_paths=options["dsn"])
        except PrecheckInputError as exc:
            for line in exc.errors:
                self.stderr.write(line)
            raise SystemExit(INPUT_ERROR_STATUS) from None
        if options["format"] == "json":
            self.stdout.write(dumps_evaluation(evaluation), ending="")
        else:
            self.stdout.write(render_report(evaluation), ending="")
        status = EXIT_STATUS[evaluation["verdict"]]
        if status:
            # The verdict is the exit status: scripts branch on it without parsing the output.
            raise SystemExit(status)
