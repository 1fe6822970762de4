"""``rcf tokens create USERNAME [--expires DAYS]`` and ``rcf tokens revoke PREFIX``.

``create`` prints the token, and only it, on stdout (``TOKEN=$(rcf tokens create alice)``); its
expiry goes to stderr, where a person sees it and a script's capture does not.
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.timezone import localtime

from rcf.accounts.models import User
from rcf.accounts.services import TOKEN_DEFAULT_DAYS, token_find, token_issue, token_revoke
from rcf.core.errors import InvalidInput

USAGE_ERROR = 2


class Command(BaseCommand):
    help = "Jetons d'API : « rcf tokens create USERNAME », « rcf tokens revoke PRÉFIXE »."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", required=True, metavar="ACTION")
        create = actions.add_parser(
            "create", help="Crée un jeton et l'affiche, une seule fois (il est stocké haché)."
        )
        create.add_argument("username", metavar="USERNAME")
        create.add_argument(
            "--expires",
            metavar="DAYS",
            type=int,
            default=TOKEN_DEFAULT_DAYS,
            help=f"Durée de validité en jours (1 à 3650 ; {TOKEN_DEFAULT_DAYS} par défaut).",
        )
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
            try:
                clear, token = token_issue(user=user, days=options["expires"])
            except InvalidInput as error:
                problems = "\n".join(f"  --{e.pointer} : {e.message}" for e in error.errors)
                raise CommandError(f"jeton non créé.\n{problems}", returncode=USAGE_ERROR) from None
            # Only the token on stdout, so that `TOKEN=$(rcf tokens create alice)` works.
            self.stdout.write(clear)
            self.stderr.write(
                f"Jeton {token} de « {user.username} » valable jusqu'au "
                f"{localtime(token.expires_at):%Y-%m-%d %H:%M %Z} ({options['expires']} jours)."
            )
        elif options["action"] == "revoke":
            found = token_find(options["token"])
            if found is None:
                raise CommandError("aucun jeton de ce préfixe.", returncode=USAGE_ERROR)
            token_revoke(token=found)
            self.stdout.write(f"Jeton {found} de « {found.user.username} » révoqué.")
