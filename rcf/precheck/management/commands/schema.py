"""``rcf schema declaration``: print the published JSON Schema of a format."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rcf.referentiel.declaration import declaration_schema_text
from rcf.referentiel.versions import scheme_versions

SCHEMAS = {"declaration": declaration_schema_text}


class Command(BaseCommand):
    help = "Affiche le schéma JSON (draft 2020-12) publié d'un format : declaration."
    requires_system_checks: list[str] = []

    def create_parser(self, prog_name: str, subcommand: str, **kwargs: Any) -> CommandParser:
        # ``--version`` is the format's version here (declaration-v1.md §4), not Django's:
        # "resolve" lets the option below replace the one every command gets.
        return super().create_parser(prog_name, subcommand, conflict_handler="resolve", **kwargs)

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(SCHEMAS), help="le format")
        parser.add_argument(
            "--version",
            dest="format_version",
            choices=scheme_versions(),
            default="1",
            help="la version du format (rcf-declaration/1 par défaut, comme avant la version 2)",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(SCHEMAS[options["name"]](options["format_version"]), ending="")
