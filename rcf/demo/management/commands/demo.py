"""``rcf demo``: migrate, load the demonstration data, print the accounts, serve."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.conf import settings
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand, CommandError

from rcf.demo.loader import ACCOUNTS, load_demo


class Command(BaseCommand):
    help = (
        "Crée ou met à jour la base, charge les données de démonstration (idempotent), "
        "affiche les comptes de démonstration et sert la plateforme sur http://127.0.0.1:8000."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--no-serve", action="store_true", help="charger les données sans lancer le serveur"
        )
        parser.add_argument("--bind", default="127.0.0.1:8000", help="adresse HÔTE:PORT")

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION:
            # Demonstration accounts have a published password.
            raise CommandError("rcf demo refuse de tourner avec RCF_ENV=production.", returncode=2)
        call_command("migrate", interactive=False, verbosity=0)
        created = load_demo()
        if created:
            self.stdout.write(f"Données de démonstration chargées : {', '.join(created)}.")
        else:
            self.stdout.write("Données de démonstration déjà présentes : rien à ajouter.")
        self.stdout.write("")
        self.stdout.write("Comptes de démonstration (identifiant / mot de passe) :")
        for account in ACCOUNTS:
            self.stdout.write(f"  {account.username:<14} {account.password:<20} {account.what}")
        self.stdout.write("")
        if options["no_serve"]:
            return
        self.stdout.write(
            f"La plateforme est servie sur http://{options['bind']}/ (Ctrl+C pour arrêter)."
        )
        if "serve" in get_commands():
            call_command("serve", bind=options["bind"])
        else:
            call_command("runserver", options["bind"], use_reloader=False)
