"""``rcf serve [--bind HOST:PORT] [--workers N]``: the platform behind gunicorn.

Static files are collected into ``STATIC_ROOT`` first (WhiteNoise serves them from there), and
the private upload directory is swept of anything a crash left behind; then this process
*becomes* gunicorn (``exec``), so that a process manager's signals reach it directly: ``TERM``
stops it gracefully, ``HUP`` reloads the workers.
"""

from __future__ import annotations

import os
import re
import sys
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

DEFAULT_BIND = "127.0.0.1:8000"
DEFAULT_WORKERS = 2
WORKER_CLASS = "sync"
"""One request at a time per process. The work is CPU-bound Python: threads (``gthread``)
only add contention for the GIL; measured on 2 CPUs, sync workers served twice as many
requests with a quarter of the tail latency (docs/benchmarks.md). Slow clients are the
reverse proxy's business (it terminates TLS and buffers requests and answers): a client
sending its body slowly holds a sync worker for as long as it takes, so ``rcf serve`` is never
exposed directly (deploy/nginx, docs/operations.md)."""
BIND = re.compile(r"(?:\[[0-9a-fA-F:.]+\]|[A-Za-z0-9.-]+):(?P<port>[0-9]{1,5})|unix:/.+")


def bind_is_valid(bind: str) -> bool:
    """``HOST:PORT`` (``[::1]:8000`` for IPv6) with a port from 1 to 65535, or ``unix:/path``."""
    match = BIND.fullmatch(bind)
    return match is not None and (match["port"] is None or 0 < int(match["port"]) < 65536)


def gunicorn_argv(bind: str, workers: int) -> list[str]:
    """The gunicorn command line: the WSGI application, and no access log (IP addresses are
    personal data; errors still go to standard error)."""
    return [
        sys.executable,
        "-m",
        "gunicorn",
        "rcf.wsgi:application",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--worker-class",
        WORKER_CLASS,
        "--graceful-timeout",
        "20",
        "--error-logfile",
        "-",
        # gunicorn's default (4094 bytes) answers a long registry query with a bare « URI Too
        # Long »; its maximum lets the platform answer itself (a query over 200 characters is
        # cut, and the page says so).
        "--limit-request-line",
        "8190",
        # gunicorn ≥ 24 opens a control socket in $HOME: shared by every instance, not needed.
        "--no-control-socket",
    ]


class Command(BaseCommand):
    help = (
        "Sert la plateforme avec gunicorn (serveur de production, pas celui de développement "
        "de Django), après avoir collecté les fichiers statiques dans STATIC_ROOT."
    )

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--bind",
            default=DEFAULT_BIND,
            help=f"adresse HOST:PORT (ou unix:/chemin) à écouter ; par défaut {DEFAULT_BIND}",
        )
        parser.add_argument(
            "--workers",
            type=int,
            default=DEFAULT_WORKERS,
            help=f"nombre de processus ; par défaut {DEFAULT_WORKERS}",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        bind: str = options["bind"]
        workers: int = options["workers"]
        if not bind_is_valid(bind):
            raise CommandError(f"--bind {bind!r} : HOST:PORT attendu (par exemple 0.0.0.0:8000)")
        if workers < 1:
            raise CommandError("--workers : au moins 1")
        self._warn_if_not_ready()
        call_command("collectstatic", interactive=False, verbosity=0)
        self._sweep_uploads()
        self.stderr.write(f"rcf serve : http://{bind} ({workers} processus)")
        sys.stderr.flush()
        sys.stdout.flush()
        argv = gunicorn_argv(bind, workers)
        # A production server never shows Django's debug pages (they list every URL and
        # local variable), unless the operator asks for them with RCF_DEBUG.
        os.environ.setdefault("RCF_DEBUG", "false")
        os.execv(argv[0], argv)  # noqa: S606 -- a fixed program: this Python's gunicorn

    def _sweep_uploads(self) -> None:
        """Uploads live in files without a name (rcf/core/uploads.py); a name can only be left
        by a crash inside the microsecond between ``mkstemp`` and ``unlink`` on a file system
        without ``O_TMPFILE``, or by an older release. Either way it may hold NIRs: remove it."""
        from rcf.core.uploads import sweep_upload_temp_dir

        removed = sweep_upload_temp_dir()
        if removed:
            self.stderr.write(
                f"rcf serve : {removed} fichier(s) temporaire(s) d'envoi supprimé(s)."
            )

    def _warn_if_not_ready(self) -> None:
        """Serve anyway, but say what the operator forgot: migrations, signing keys."""
        from django.db import DatabaseError, connection
        from django.db.migrations.executor import MigrationExecutor

        try:
            executor = MigrationExecutor(connection)
            pending = executor.migration_plan(executor.loader.graph.leaf_nodes())
        except DatabaseError as exc:
            # Serve anyway: /healthz says 503 until the database answers.
            self.stderr.write(f"Attention : base de données injoignable ({type(exc).__name__}).")
            return
        if pending:
            self.stderr.write("Attention : migrations non appliquées ; lancez « rcf migrate ».")
        if settings.PRODUCTION and not Path(settings.RCF_SIGNING_KEY_FILE).exists():
            # Outside production a key is made on first use (rcf/registry/signing.py).
            self.stderr.write(
                "Attention : pas de clés de signature ; les attestations répondront 503 "
                "jusqu'à « rcf keys init »."
            )
