"""Writing the membership registry."""

from __future__ import annotations

import csv
import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from stdnum.fr import siren as stdnum_siren

from rcf.accounts.services import organisation_name_fill
from rcf.members.models import Member
from rcf.referentiel.characters import text_problems

CSV_HEADER = ["member_number", "siren", "name", "valid_from", "valid_until"]


class MembersImportError(Exception):
    """The file was refused as a whole; ``errors`` are ``FILE:LINE: message`` strings."""

    def __init__(self, errors: list[str]) -> None:
        super().__init__("\n".join(errors))
        self.errors = errors


@dataclass
class ImportResult:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    #: SIRENs of unnamed organisations that the import named.
    named: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def _parse_date(value: str) -> dt.date:
    # fromisoformat also takes "20260101"; the format says YYYY-MM-DD, so insist on it.
    if len(value) != 10:
        raise ValueError
    return dt.date.fromisoformat(value)


def members_import(lines: Iterable[str], *, source: str) -> ImportResult:
    """Load the AFRC membership registry from CSV text (declaration-v1.md §4).

    All or nothing: every line is checked first and the file is refused with every error,
    located by line, before anything is written. Re-importing a member number updates it;
    importing the same file twice changes nothing the second time.
    """
    reader = csv.reader(lines)
    errors: list[str] = []
    try:
        header = next(reader)
    except StopIteration:
        raise MembersImportError(
            [f"{source}:1: fichier vide, en-tête attendu : " + ",".join(CSV_HEADER)]
        ) from None
    except csv.Error as exc:
        raise MembersImportError([f"{source}:1: CSV illisible : {exc}"]) from None
    if header and header[0].startswith("\ufeff"):
        header[0] = header[0][1:]
    if [h.strip() for h in header] != CSV_HEADER:
        raise MembersImportError(
            [
                f"{source}:1: en-tête attendu « {','.join(CSV_HEADER)} », "
                f"trouvé « {','.join(header)} »"
            ]
        )

    rows: dict[str, dict[str, object]] = {}
    seen_at: dict[str, int] = {}
    try:
        for row in reader:
            line = reader.line_num
            if not any(cell.strip() for cell in row):
                continue
            where = f"{source}:{line}"
            if len(row) != len(CSV_HEADER):
                errors.append(f"{where}: {len(CSV_HEADER)} colonnes attendues, {len(row)} trouvées")
                continue
            number, siren, name, valid_from, valid_until = (cell.strip() for cell in row)
            line_errors = [
                f"{column} {problem}"
                for column, cell in zip(CSV_HEADER, row, strict=True)
                if (problem := text_problems(cell.strip())) is not None
            ]
            if line_errors:
                # A NUL byte or an escape sequence: nothing else on the line is worth reading
                # (and PostgreSQL would refuse the NUL with an error instead of a message).
                errors.extend(f"{where}: {message}" for message in line_errors)
                continue
            for column, cell, limit in (
                ("member_number", number, Member._meta.get_field("member_number").max_length),
                ("name", name, Member._meta.get_field("name").max_length),
            ):
                if limit is not None and len(cell) > limit:
                    line_errors.append(
                        f"{column} trop long ({len(cell)} caractères, {limit} au plus)"
                    )
            if not number:
                line_errors.append("member_number est vide")
            elif number in seen_at:
                line_errors.append(
                    f"le numéro d'adhérent {number} figure déjà ligne {seen_at[number]}"
                )
            if not stdnum_siren.is_valid(siren) or len(siren) != 9:
                line_errors.append(f"SIREN invalide « {siren} » (9 chiffres et clé de contrôle)")
            if not name:
                line_errors.append("name est vide")
            start = end = None
            try:
                start = _parse_date(valid_from)
            except ValueError:
                line_errors.append(f"valid_from « {valid_from} » n'est pas une date AAAA-MM-JJ")
            if valid_until:
                try:
                    end = _parse_date(valid_until)
                except ValueError:
                    line_errors.append(
                        f"valid_until « {valid_until} » n'est pas une date AAAA-MM-JJ"
                    )
            if start and end and end < start:
                line_errors.append("valid_until précède valid_from")
            if line_errors:
                errors.extend(f"{where}: {message}" for message in line_errors)
                continue
            seen_at[number] = line
            rows[number] = {"siren": siren, "name": name, "valid_from": start, "valid_until": end}
    except csv.Error as exc:
        errors.append(f"{source}:{reader.line_num}: CSV illisible : {exc}")
    if errors:
        raise MembersImportError(errors)

    result = ImportResult()
    with transaction.atomic():
        existing = {
            m.member_number: m
            for m in Member.objects.select_for_update().filter(member_number__in=rows)
        }
        for number, values in rows.items():
            member = existing.get(number)
            if member is None:
                Member.objects.create(member_number=number, **values)
                result.created.append(number)
            elif any(getattr(member, key) != value for key, value in values.items()):
                for key, value in values.items():
                    setattr(member, key, value)
                member.save()
                result.updated.append(number)
            else:
                result.unchanged.append(number)
        # An organisation created from its SIREN alone (`rcf users create --organisation`)
        # takes its name from the registry; a name already given is kept.
        for values in rows.values():
            if organisation_name_fill(siren=str(values["siren"]), name=str(values["name"])):
                result.named.append(str(values["siren"]))
    return result
