"""``rcf dsn summary FILE… [--format text|json]``: what the platform reads from DSN files.

Exit status 0 when every file is read; 2, with every ``FILE:LINE: message`` on stderr and
nothing on stdout, when any file is malformed (``declaration-v1.md`` §4, ``dsn.md`` §3).
"""

from __future__ import annotations

import json
import sys
from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand

from rcf.dsn.reader import DsnFileError, read_dsn_files
from rcf.dsn.summary import DeclarationSummary, summary_document


class Command(BaseCommand):
    help = "Fichiers DSN : « summary FICHIER… » affiche ce que la plateforme en retient."
    # Reading files needs neither the database nor the URL configuration: the system checks
    # would import every view of the project and cost more than a small DSN takes to read.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        summary = sub.add_parser(
            "summary", help="résumé rcf-dsn-summary/1 : effectifs actifs par lieu de travail"
        )
        summary.add_argument("files", nargs="+", metavar="FICHIER", help="fichier DSN (NEODeS)")
        summary.add_argument("--format", choices=["text", "json"], default="text")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            declarations = read_dsn_files(options["files"])
        except DsnFileError as exc:
            for error in exc.errors:
                self.stderr.write(error)
            sys.exit(2)
        if options["format"] == "json":
            document = summary_document(declarations)
            self.stdout.write(json.dumps(document, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(summary_text(declarations), ending="")


def summary_text(declarations: list[DeclarationSummary]) -> str:
    """The summary for a person: one paragraph per declaration, in French."""
    from rcf.dsn.choices import ContractNature, DeclarationNature, DeclarationType, label
    from rcf.dsn.summary import territory_scheme

    out: list[str] = []
    for decl in declarations:
        territories = territory_scheme(decl.month).territories
        out.append(f"{decl.file} — mois {decl.month}")
        out.append(
            f"  Déclaration : nature {label(DeclarationNature, decl.nature)}, "
            f"type {label(DeclarationType, decl.type)}"
        )
        out.append(
            f"  Entreprise (SIREN) {decl.siren}, établissement déclarant (SIRET) {decl.siret}"
        )
        out.append(
            f"  Individus déclarés : {decl.individuals}, dont {decl.ended_before_month_end} "
            "sans contrat actif au dernier jour du mois"
        )
        if not decl.workplaces:
            out.append("  Aucun contrat actif au dernier jour du mois.")
        else:
            out.append("  Contrats actifs au dernier jour du mois, par lieu de travail :")
        for place in decl.workplaces:
            territory = territories.get(place.territory)
            where = territory.label if territory else "territoire inconnu"
            natures = " ; ".join(
                f"{label(ContractNature, code)} : {count}"
                for code, count in sorted(place.by_contract_nature.items())
            )
            people = "personne" if place.headcount == 1 else "personnes"
            out.append(
                f"    {place.workplace} ({where}) : {place.headcount} {people} — {natures} ; "
                f"détachés ou expatriés : {place.working_abroad}"
            )
        out.append("")
    return "\n".join(out)
