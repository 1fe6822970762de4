"""``rcf declaration convert IN OUT``: a declaration from JSON to the XLSX workbook or back,
the direction chosen by the file extensions (``.json``, ``.xlsx``).

Exit status 0 when OUT is written; 2, with every located error on stderr (``IN: Sites!C12:
message`` for a workbook, ``IN: /sites/0/siret: message`` for JSON) and OUT left untouched,
when the input is not a valid declaration. ``docs/declaration-workbook.md`` describes the
workbook.
"""

from __future__ import annotations

import json
import os
import tempfile
from argparse import ArgumentParser
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from rcf.precheck.workbook import json_to_workbook, workbook_declaration
from rcf.referentiel.declaration import DeclarationError, InputError

INPUT_ERROR_STATUS = 2
SUFFIXES = {".json", ".xlsx"}


class ConversionRefused(Exception):
    def __init__(self, errors: list[InputError]) -> None:
        super().__init__("\n".join(map(str, errors)))
        self.errors = errors


class Command(BaseCommand):
    help = (
        "Déclaration : « convert ENTRÉE SORTIE » convertit un JSON rcf-declaration en classeur "
        "XLSX ou l'inverse, selon les extensions (.json, .xlsx). Statut 2 : erreurs situées "
        "(Sites!C12 ou pointeur JSON) sur stderr."
    )
    # Converting files needs neither the database nor the URL configuration.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: ArgumentParser) -> None:
        sub = parser.add_subparsers(dest="action", required=True)
        convert = sub.add_parser(
            "convert", help="JSON → XLSX ou XLSX → JSON, selon les extensions des fichiers"
        )
        convert.add_argument("source", metavar="ENTRÉE", help="fichier .json ou .xlsx à lire")
        convert.add_argument("target", metavar="SORTIE", help="fichier .xlsx ou .json à écrire")

    def handle(self, *args: Any, **options: Any) -> None:
        source, target = Path(options["source"]), Path(options["target"])
        try:
            body = convert(source, target)
        except ConversionRefused as exc:
            for error in exc.errors:
                where = f"{error.pointer}: " if error.pointer else ""
                self.stderr.write(f"{source}: {where}{error.message}")
            raise SystemExit(INPUT_ERROR_STATUS) from None
        _write_whole(target, body)


def convert(source: Path, target: Path) -> bytes:
    """The bytes of ``target`` converted from ``source``; :class:`ConversionRefused` with
    every located error."""
    directions = (source.suffix.lower(), target.suffix.lower())
    if ".xlsm" in directions:
        raise ConversionRefused(
            [InputError("", "classeur avec macros (.xlsm) refusé : utilisez un fichier .xlsx")]
        )
    if set(directions) != SUFFIXES:
        raise ConversionRefused(
            [
                InputError(
                    "",
                    "l'un des fichiers doit finir par .json et l'autre par .xlsx "
                    f"(reçu : {directions[0] or '(aucune)'} → {directions[1] or '(aucune)'})",
                )
            ]
        )
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise ConversionRefused([InputError("", f"lecture impossible ({exc.strerror})")]) from None
    try:
        if directions[0] == ".json":
            return json_to_workbook(data)
        document = workbook_declaration(data, max_bytes=settings.RCF_UPLOAD_MAX_BYTES)
    except DeclarationError as exc:
        raise ConversionRefused(exc.errors) from None
    text = json.dumps(document, ensure_ascii=False, indent=2) + "\n"
    return text.encode()


def _write_whole(target: Path, body: bytes) -> None:
    """Write ``target`` at once: a file beside it, renamed over it, so that a failure leaves
    no half-written declaration."""
    folder = target.parent if str(target.parent) else Path(".")
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".rcf-", suffix=target.suffix)
    try:
        with os.fdopen(handle, "wb") as file:
            file.write(body)
        os.replace(temporary, target)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
