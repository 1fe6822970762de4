"""``rcf users create USERNAME --role ROLE [--role ROLE]… [--organisation SIREN] …``.

Prints nothing secret: with ``--password-stdin`` the password is read from the standard input
(for scripts); without it the account has no usable password and its owner chooses one through
« Mot de passe oublié ? » (the reset e-mail). Invalid input: exit 2, every problem on stderr.
"""

from __future__ import annotations

import sys
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rcf.accounts.choices import Role
from rcf.accounts.services import user_create
from rcf.core.errors import InvalidInput

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Gère les comptes : « rcf users create USERNAME --role ROLE … »."
    stealth_options = ("stdin",)

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser("create", help="Crée un compte (n'affiche rien de secret).")
        create.add_argument("username", metavar="USERNAME")
        create.add_argument(
            "--role",
            action="append",
            dest="roles",
            metavar="ROLE",
            default=[],
            help=f"Rôle ({', '.join(Role.values)}) ; à répéter pour en donner plusieurs.",
        )
        create.add_argument("--organisation", metavar="SIREN", help="SIREN, pour un demandeur.")
        create.add_argument(
            "--organisation-name",
            metavar="NAME",
            help=(
                "Raison sociale si l'organisation est nouvelle ; sans elle, l'organisation "
                "est créée sans nom (affichée par son SIREN) jusqu'à ce que le registre des "
                "adhérents ou sa première déclaration la nomme."
            ),
        )
        create.add_argument("--email", metavar="E", default="")
        create.add_argument(
            "--password-stdin",
            action="store_true",
            help="Lit le mot de passe sur la première ligne de l'entrée standard.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            self.create(options)

    def create(self, options: dict[str, Any]) -> None:
        password = None
        if options["password_stdin"]:
            stream = options.get("stdin") or sys.stdin
            password = stream.readline().rstrip("\r\n")
            if not password:
                raise CommandError(
                    "--password-stdin : aucun mot de passe sur l'entrée standard.",
                    returncode=USAGE_ERROR,
                )
        try:
            user = user_create(
                options["username"],
                options["roles"],
                organisation_siren=options["organisation"],
                organisation_name=options["organisation_name"],
                email=options["email"],
                password=password,
            )
        except InvalidInput as error:
            problems = "\n".join(f"  {e.pointer} : {e.message}" for e in error.errors)
            raise CommandError(f"compte non créé.\n{problems}", returncode=USAGE_ERROR) from None
        roles = ", ".join(sorted(user.role_names))
        line = f"Compte « {user.username} » créé ; rôles : {roles}"
        if user.organisation is not None:
            organisation = user.organisation
            line += f" ; organisation : {organisation.siren} " + (
                organisation.name or "(sans nom pour l'instant)"
            )
        self.stdout.write(line + ".")
        if user.has_usable_password():
            return
        if user.email:
            self.stdout.write(
                "Pas de mot de passe : son titulaire le choisit avec « Mot de passe oublié ? » "
                f"sur la page de connexion, avec l'adresse {user.email}."
            )
        else:
            self.stdout.write(
                "Pas de mot de passe ni d'adresse e-mail : définissez le mot de passe avec "
                f"« rcf changepassword {user.username} »."
            )
