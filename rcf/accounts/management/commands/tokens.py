"""``rcf tokens create USERNAME`` (prints the token, and only it) and ``rcf tokens revoke``."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from rcf.accounts.models import User
from rcf.accounts.services import token_create, token_find, token_revoke

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Jetons d'API : « rcf tokens create USERNAME », « rcf tokens revoke PRÉFIXE »."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create", help="Crée un jeton et l'affiche, une seule fois (il est stocké haché)."
        )
        create.add_argument("username", metavar="USERNAME")
        revoke = actions.add_parser("revoke", help="Révoque un jeton, désigné par son préfixe.")
        revoke.add_argument("token", metavar="PRÉFIXE", help="Préfixe (ou jeton complet).")

    def handle(self, *args: Any, **options: Any) -> None:
        if options["action"] == "create":
            user = User.objects.filter(username=options["username"]).first()
            if user is None:
                raise CommandError(
                    f"aucun compte « {options['username']} ».", returncode=USAGE_ERROR
                )
            if not user.is_active:
                raise CommandError(
                    f"le compte « {user.username} » est désactivé.", returncode=USAGE_ERROR
                )
            # Only the token on stdout, so that `TOKEN=$(rcf tokens create alice)` works.
            self.stdout.write(token_create(user=user))
        elif options["action"] == "revoke":
            token = token_find(options["token"])
            if token is None:
                raise CommandError("aucun jeton de ce préfixe.", returncode=USAGE_ERROR)
            token_revoke(token=token)
            self.stdout.write(f"Jeton {token} de « {token.user.username} » révoqué.")
