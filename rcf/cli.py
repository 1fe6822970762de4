"""The ``rcf`` command: every Django management command plus the platform's own.

``rcf migrate``, ``rcf runserver``, ``rcf evaluate FILE``, ``rcf dsn summary FILE`` … all go
through Django's management utility, so each command is an ordinary management command in the
app it belongs to, and ``rcf help`` lists them all.
"""

from __future__ import annotations

import os
import sys


def main(argv: list[str] | None = None) -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rcf.settings")
    from django.core.management import ManagementUtility

    args = list(sys.argv if argv is None else argv)
    args[0] = "rcf"
    utility = ManagementUtility(args)
    utility.prog_name = "rcf"
    utility.execute()


if __name__ == "__main__":
    main()
