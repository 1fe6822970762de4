"""``rcf schema declaration``: print the published JSON Schema of a format."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from rcf.referentiel.declaration import declaration_schema_text

SCHEMAS = {"declaration": declaration_schema_text}


class Command(BaseCommand):
    help = "Affiche le schéma JSON (draft 2020-12) publié d'un format : declaration."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", choices=sorted(SCHEMAS), help="le format")

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(SCHEMAS[options["name"]](), ending="")
