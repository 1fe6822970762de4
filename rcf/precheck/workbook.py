"""The declaration as a spreadsheet: ``rcf-declaration`` JSON ↔ an XLSX workbook, both ways,
without loss (``docs/declaration-workbook.md`` says the conventions to the people who fill it).

Companies keep their sites and headcounts in spreadsheets; the workbook lets them fill a
declaration there. One sheet per part: « Entreprise » (company, scope and commitments, one
field per row), « Opérateurs », « Sites », « Effectifs » and, from ``rcf-declaration/2``,
« Points de contact » (one object per row, from row 3: row 1 says the field in French, row 2
gives its JSON name, which is what the reader goes by). « Listes » holds the codes of every
enumeration, which the data validation lists of the other sheets point to.

Conventions (chosen to be lossless and to survive a spreadsheet program):

- a list in a cell (brands, a site's channels …) is one value per line;
- a boolean is written ``oui`` / ``non`` (a real TRUE/FALSE cell, ``vrai``/``faux`` and
  ``true``/``false`` are read too);
- the reference date is ISO text ``AAAA-MM-JJ`` (a real date cell is read too), so that an
  invalid date in a JSON document survives the round trip to be reported where it is;
- every text is written as a text cell, never as a formula, whatever it starts with;
- an empty cell is an absent optional field; a cell holding exactly ``""`` is an empty text.

Reading never evaluates a formula (a formula cell is an error), refuses what is not an XLSX
zip, or holds macros, or would inflate beyond :data:`MAX_UNCOMPRESSED_BYTES`, and streams the
sheets (openpyxl's read-only mode) with at most :data:`MAX_ROWS` rows each. Every error is
located: ``Sites!C12`` for a cell; the declaration's own validation errors (JSON Pointers) are
mapped back to the cell that gave the value, through the pointer → cell map kept while reading.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol

from openpyxl import Workbook, load_workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from rcf.referentiel.declaration import (
    DeclarationError,
    InputError,
    declaration_schema,
    parse_declaration_json,
    structural_errors,
    validate_declaration,
)
from rcf.referentiel.scheme import Scheme, SchemeError
from rcf.referentiel.versions import (
    DECLARATION_FORMAT,
    load_scheme,
    scheme_versions,
    version_of_format,
)

XLSX_MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
MAX_ROWS = 100_000
"""Rows read from one sheet: five times the 20,000-row benchmark declaration."""
MAX_UNCOMPRESSED_BYTES = 64 * 1024 * 1024
"""What the zip members may add up to once inflated (a 20,000-row workbook is about 5 MB):
a decompression bomb is refused before openpyxl opens anything."""
MAX_MEMBERS = 1_000
EMPTY_TEXT = '""'
"""A cell holding exactly this is an empty text (an empty cell is an absent field)."""
YES, NO = "oui", "non"
_BOOLEANS = {"oui": True, "vrai": True, "true": True, "non": False, "faux": False, "false": False}
_LINES = re.compile(r"\r?\n")
_DATA_ROW = 3
"""Rows 1 and 2 of a table sheet are its headers (French, then the JSON field name)."""

Kind = Literal["text", "integer", "boolean", "list"]
Cells = dict[str, str]
"""JSON Pointer → the cell (``Sites!C12``) or sheet it was read from."""


class WorkbookError(DeclarationError):
    """The workbook was refused; each error's ``pointer`` says where: a cell (``Sites!C12``),
    a sheet, ``""`` for the whole file, or a JSON Pointer when no cell holds the value. A
    :class:`DeclarationError`, so that whoever reads declarations catches both."""


@dataclass(frozen=True)
class Column:
    path: tuple[str, ...]
    """The field inside one object of the sheet (``("location", "country")``)."""
    label: str
    kind: Kind = "text"
    choices: str | None = None
    """The enumeration (a column of « Listes ») whose codes the cell takes."""

    @property
    def name(self) -> str:
        return ".".join(self.path)


@dataclass(frozen=True)
class Table:
    """A sheet that holds one array of the declaration, one object per row."""

    title: str
    key: str
    columns: tuple[Column, ...]
    since: int = 1
    """The first format version that has this array."""


OPERATORS = Table(
    "Opérateurs",
    "operators",
    (
        Column(("id",), "Identifiant"),
        Column(("role",), "Rôle", choices="operator_roles"),
        Column(("parent",), "Donneur d'ordre (« applicant » ou un identifiant)"),
        Column(("name",), "Raison sociale"),
        Column(("country",), "Pays du siège", choices="countries"),
        Column(("siren",), "SIREN"),
        Column(("foreign_id",), "Immatriculation à l'étranger"),
        Column(("france_clause",), "Clause France", "boolean", "booleans"),
        Column(("contract_reference",), "Référence du contrat"),
    ),
)
SITES = Table(
    "Sites",
    "sites",
    (
        Column(("id",), "Identifiant"),
        Column(("operator",), "Opérateur (« applicant » ou un identifiant)"),
        Column(("kind",), "Nature", choices="site_kinds"),
        Column(("name",), "Nom"),
        Column(("siret",), "SIRET"),
        Column(("location", "country"), "Pays", choices="countries"),
        Column(("location", "commune_insee"), "Code commune INSEE"),
        Column(("location", "department"), "Département (télétravail)"),
        Column(("location", "postal_code"), "Code postal"),
        Column(("location", "city"), "Commune"),
        Column(("location", "address"), "Adresse"),
        Column(("channels",), "Canaux (un par ligne)", "list", "channels"),
        Column(("activities",), "Activités (une par ligne)", "list", "activities"),
        Column(("phases",), "Phases (une par ligne)", "list", "phases"),
    ),
)
WORKFORCE = Table(
    "Effectifs",
    "workforce",
    (
        Column(("site",), "Site (identifiant)"),
        Column(("employer",), "Employeur (« applicant » ou un identifiant)"),
        Column(("contract",), "Contrat", choices="contracts"),
        Column(("contract_law",), "Droit du contrat (pays)", choices="countries"),
        Column(("headcount",), "Effectif (personnes)", "integer"),
        Column(("function",), "Fonction", choices="functions"),
    ),
)
CONTACT_POINTS = Table(
    "Points de contact",
    "contact_points",
    (
        Column(("id",), "Identifiant"),
        Column(("channel",), "Canal", choices="contact_point_channels"),
        Column(("value",), "Numéro, adresse ou URL"),
        Column(("purpose",), "Objet", choices="contact_point_purposes"),
        Column(("brands",), "Marques (une par ligne ; vide : toutes)", "list"),
        Column(("sites",), "Sites (un identifiant par ligne)", "list"),
    ),
    since=2,
)
TABLES = (OPERATORS, SITES, WORKFORCE, CONTACT_POINTS)
COMPANY = "Entreprise"
LISTS = "Listes"
REQUIRED = {
    "operators": {"id", "role", "parent", "name", "country", "france_clause"},
    "sites": {"id", "operator", "kind", "location.country", "channels", "activities", "phases"},
    "workforce": {"site", "employer", "contract", "contract_law", "headcount"},
    "contact_points": {"id", "channel", "value", "purpose", "brands", "sites"},
}
"""The fields a row must fill (``declaration-v1.md`` §2, ``referentiel-v2.md`` §1)."""
_CONTACT_POINT_PURPOSES = {
    "customer_service": "Service client (exécution du contrat, réclamations)",
    "sales": "Vente",
}


@dataclass(frozen=True)
class Field:
    """One row of the « Entreprise » sheet: a field of the declaration outside the arrays."""

    path: tuple[str, ...]
    label: str
    kind: Kind = "text"
    choices: str | None = None
    required: bool = True

    @property
    def name(self) -> str:
        return ".".join(self.path)


def _company_fields(scheme: Scheme) -> list[Field]:
    fields = [
        Field(("format",), "Format du document"),
        Field(("reference_date",), "Date de référence (AAAA-MM-JJ)"),
        Field(("applicant", "siren"), "SIREN de l'entreprise"),
        Field(("applicant", "name"), "Raison sociale"),
        Field(("applicant", "brands"), "Marques (une par ligne)", "list"),
    ]
    for dimension, dimension_label in scheme.scope_dimensions.items():
        for code, label in scheme.enumerations[dimension].items():
            # A missing scope item is a finding (RCF-03), not an input error: optional here.
            fields.append(
                Field(
                    ("scope", dimension, code),
                    f"{dimension_label} : {label}",
                    choices="scope_statuses",
                    required=False,
                )
            )
    for code, label in scheme.commitments.items():
        fields.append(Field(("commitments", code), f"Engagement : {label}", "boolean", "booleans"))
    return fields


def _scheme(version: int) -> Scheme:
    """The scheme whose enumerations the workbook of that format version offers; a version not
    shipped (``rcf-declaration/9``, refused later by the validator) takes the latest one."""
    try:
        return load_scheme(str(version))
    except SchemeError:
        return load_scheme(scheme_versions()[-1])


def _enumerations(scheme: Scheme) -> dict[str, tuple[str, dict[str, str]]]:
    """Name → (French title, code → label) of every list the workbook offers."""
    schema = declaration_schema()
    lists = {
        name: (title, dict(scheme.enumerations[name]))
        for name, title in [
            ("scope_statuses", "Statut (périmètre)"),
            ("operator_roles", "Rôle d'un opérateur"),
            ("site_kinds", "Nature d'un site"),
            ("channels", "Canaux"),
            ("activities", "Activités"),
            ("phases", "Phases"),
            ("functions", "Fonctions"),
        ]
    }
    lists["contracts"] = ("Contrats", {c: k.label for c, k in scheme.contract_kinds.items()})
    names = {code: alias.name for code, alias in scheme.country_aliases.items()}
    countries = schema["$defs"]["country"]["enum"]
    lists["countries"] = ("Pays", {code: names.get(code, "") for code in countries})
    lists["booleans"] = ("Oui / non", {YES: "Oui", NO: "Non"})
    # referentiel-v2.md §1: every channel but postal mail has contact points.
    contact_points: dict[str, Any] = scheme.data.get("contact_points", {})
    channels = {c: label for c, label in scheme.enumerations["channels"].items()}
    channels.pop("postal_mail", None)
    if "channels" in contact_points:
        channels = {c: channels.get(c, c) for c in contact_points["channels"]}
    lists["contact_point_channels"] = ("Canal d'un point de contact", channels)
    # The purposes are the scheme's (version 2 on); version 1 has none, and its workbook no
    # contact points sheet to use the list.
    purposes = contact_points.get("purposes", _CONTACT_POINT_PURPOSES)
    lists["contact_point_purposes"] = ("Objet d'un point de contact", dict(purposes))
    return lists


def _format_version(document: Any) -> int:
    """The version number its ``format`` names (``rcf-declaration/2`` → 2), shipped or not; 1
    when it names none."""
    value = document.get("format") if isinstance(document, dict) else None
    known = version_of_format(value)
    if known is not None:
        return int(known)
    prefix = DECLARATION_FORMAT.format(version="")
    if isinstance(value, str) and value.startswith(prefix) and value[len(prefix) :].isdigit():
        return int(value[len(prefix) :])
    return 1


def _descriptions() -> dict[str, str]:
    """JSON field name → its description in the published schema, for the header comments."""
    # The latest schema: its definitions include every earlier one's (and the contact points).
    defs = declaration_schema(scheme_versions()[-1])["$defs"]
    found: dict[str, str] = {}
    for prefix, definition in [
        ("operators.", "operator"),
        ("sites.", "site"),
        ("sites.location.", "location"),
        ("workforce.", "workforce_row"),
        ("applicant.", "applicant"),
        ("commitments.", "commitments"),
        ("contact_points.", "contact_point"),
    ]:
        for name, spec in defs[definition]["properties"].items():
            text = spec.get("description") or defs.get(spec.get("$ref", "").split("/")[-1], {})
            found[prefix + name] = text if isinstance(text, str) else text.get("description", "")
    return found


# ---------------------------------------------------------------------------------------------
# JSON → XLSX


_HEADER = Font(bold=True)
_NAME = Font(italic=True, color="555555")
_HEADER_FILL = PatternFill("solid", fgColor="DDE7F0")
_WRAP = Alignment(wrap_text=True, vertical="top")


def _text_cell(ws: Worksheet, row: int, column: int, value: str) -> None:
    cell = ws.cell(row=row, column=column)
    cell.value = value
    # Always a text: a value starting with « = » is not a formula, « 0123 » not a number.
    cell.data_type = "s"
    cell.number_format = "@"
    if "\n" in value:
        cell.alignment = _WRAP


def _cell_value(value: Any, kind: Kind, pointer: str, errors: list[InputError]) -> Any:
    """What the cell holds for a JSON value (``None``: an empty cell)."""
    if value is None:
        return None
    if kind == "boolean":
        return YES if value else NO
    if kind == "integer":
        return value
    if kind == "list":
        for index, item in enumerate(value):
            if not item or _LINES.search(item):
                errors.append(
                    InputError(
                        f"{pointer}/{index}",
                        "une valeur de liste vide ou sur plusieurs lignes ne peut pas tenir "
                        "dans une cellule (une valeur par ligne)",
                    )
                )
        return "\n".join(value) if value else None
    if value == EMPTY_TEXT:
        errors.append(
            InputError(pointer, f"le texte {EMPTY_TEXT} est réservé au texte vide du classeur")
        )
    return value if value != "" else EMPTY_TEXT


def _check_text(value: Any, pointer: str, errors: list[InputError]) -> None:
    if isinstance(value, str) and ILLEGAL_CHARACTERS_RE.search(value):
        errors.append(InputError(pointer, "caractère de contrôle interdit dans un classeur"))


def _get(obj: dict[str, Any], path: tuple[str, ...]) -> Any:
    for key in path:
        if not isinstance(obj, dict) or key not in obj:
            return None
        obj = obj[key]
    return obj


def _header_row(ws: Worksheet, labels: Iterable[tuple[str, str, str]]) -> None:
    """Row 1: the French label (with a comment: the description and allowed codes); row 2:
    the JSON field name, which is what the reader goes by."""
    for column, (label, name, note) in enumerate(labels, start=1):
        top = ws.cell(row=1, column=column, value=label)
        top.font, top.fill, top.alignment = _HEADER, _HEADER_FILL, _WRAP
        if note:
            top.comment = Comment(note, "Relation Client France", width=320, height=160)
        second = ws.cell(row=2, column=column, value=name)
        second.font = _NAME
        ws.column_dimensions[get_column_letter(column)].width = max(14, min(40, len(label) + 2))


def _list_range(lists: dict[str, tuple[str, dict[str, str]]], name: str) -> str:
    index = list(lists).index(name)
    letter = get_column_letter(2 * index + 1)
    return f"{LISTS}!${letter}$3:${letter}${len(lists[name][1]) + 2}"


def _validation(
    ws: Worksheet, lists: dict[str, tuple[str, dict[str, str]]], name: str, cells: str
) -> None:
    # OOXML stores a formula without its leading « = » (as Excel writes it).
    dv = DataValidation(type="list", formula1=_list_range(lists, name), allow_blank=True)
    dv.error = "Choisissez une valeur de la liste (feuille « Listes »)."
    dv.errorTitle = "Valeur inconnue"
    dv.add(cells)
    ws.add_data_validation(dv)


def _note(description: str, choices: str | None, lists: dict[str, Any], kind: Kind) -> str:
    parts = [description] if description else []
    if choices and choices != "countries":
        codes = ", ".join(lists[choices][1])
        parts.append(("Une valeur par ligne parmi : " if kind == "list" else "Parmi : ") + codes)
    elif choices == "countries":
        parts.append("Code pays ISO 3166-1 alpha-2 (FR…), voir la feuille « Listes ».")
    elif kind == "list":
        parts.append("Une valeur par ligne (Alt+Entrée dans la cellule).")
    return "\n".join(parts)


def declaration_to_workbook(document: dict[str, Any]) -> bytes:
    """The workbook of a declaration (to be valid: see :func:`json_to_workbook`). Raises
    :class:`WorkbookError` (JSON Pointers) for the rare values no cell can hold as they are."""
    version = _format_version(document)
    scheme = _scheme(version)
    lists = _enumerations(scheme)
    notes = _descriptions()
    errors: list[InputError] = []
    wb = Workbook()
    company = wb.active
    assert company is not None
    company.title = COMPANY
    _header_row(
        company,
        [
            ("Rubrique", "", ""),
            ("Champ JSON", "", ""),
            ("Valeur", "", 'Une cellule vide : champ absent ; "" : texte vide.'),
        ],
    )
    company.cell(row=2, column=1, value="label")
    company.cell(row=2, column=2, value="field")
    company.cell(row=2, column=3, value="value")
    company.column_dimensions["A"].width = 60
    company.column_dimensions["B"].width = 32
    company.column_dimensions["C"].width = 40
    for row, spec in enumerate(_company_fields(scheme), start=_DATA_ROW):
        company.cell(row=row, column=1, value=spec.label)
        company.cell(row=row, column=2, value=spec.name).font = _NAME
        pointer = "/" + "/".join(spec.path)
        value = _cell_value(_get(document, spec.path), spec.kind, pointer, errors)
        for item in value if isinstance(value, list) else [value]:
            _check_text(item, pointer, errors)
        if isinstance(value, str):
            _text_cell(company, row, 3, value)
        elif value is not None:
            company.cell(row=row, column=3, value=value)
        if spec.choices:
            _validation(company, lists, spec.choices, f"C{row}")
        if spec.name == "format":
            company.cell(row=row, column=3).comment = Comment(
                "rcf-declaration/1, ou rcf-declaration/2 avec la feuille « Points de contact ».",
                "Relation Client France",
            )
    company.freeze_panes = "A3"

    for table in TABLES:
        if version < table.since:
            continue
        ws = wb.create_sheet(table.title)
        _header_row(
            ws,
            [
                (
                    c.label + (" *" if c.name in REQUIRED[table.key] else ""),
                    c.name,
                    _note(notes.get(f"{table.key}.{c.name}", ""), c.choices, lists, c.kind),
                )
                for c in table.columns
            ],
        )
        ws.freeze_panes = "A3"
        for index, item in enumerate(document.get(table.key, [])):
            row = _DATA_ROW + index
            for column, col in enumerate(table.columns, start=1):
                pointer = f"/{table.key}/{index}/" + "/".join(col.path)
                value = _cell_value(_get(item, col.path), col.kind, pointer, errors)
                _check_text(value, pointer, errors)
                if isinstance(value, str):
                    _text_cell(ws, row, column, value)
                elif value is not None:
                    ws.cell(row=row, column=column, value=value)
        for column, col in enumerate(table.columns, start=1):
            letter = get_column_letter(column)
            cells = f"{letter}{_DATA_ROW}:{letter}1048576"
            if col.choices and col.kind != "list":
                _validation(ws, lists, col.choices, cells)
            elif col.kind == "integer":
                dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
                dv.error = "Un nombre entier de personnes, 0 ou plus."
                dv.add(cells)
                ws.add_data_validation(dv)

    reference = wb.create_sheet(LISTS)
    for index, (_name, (title, codes)) in enumerate(lists.items()):
        code_column = 2 * index + 1
        reference.cell(row=1, column=code_column, value=title).font = _HEADER
        reference.cell(row=2, column=code_column, value="code").font = _NAME
        reference.cell(row=2, column=code_column + 1, value="libellé").font = _NAME
        for row, (code, label) in enumerate(codes.items(), start=3):
            _text_cell(reference, row, code_column, code)
            if label:
                reference.cell(row=row, column=code_column + 1, value=label)
        reference.column_dimensions[get_column_letter(code_column)].width = 20
        reference.column_dimensions[get_column_letter(code_column + 1)].width = 30
    reference.freeze_panes = "A3"

    if errors:
        raise WorkbookError(sorted(set(errors)))
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def json_to_workbook(data: bytes | str) -> bytes:
    """The workbook of a JSON declaration whose structure is valid (:class:`DeclarationError`
    with every error at its JSON Pointer otherwise: a wrong type or an unknown field has no
    cell to go to). A declaration that breaks only the rules the schema cannot state (an
    unknown site, a parent cycle …) is converted, to be put right in the workbook, whose
    reading reports them at their cells."""
    document = parse_declaration_json(data)
    errors = structural_errors(document)
    if errors:
        raise DeclarationError(errors)
    return declaration_to_workbook(document)


def blank_workbook(version: str | None = None) -> bytes:
    """A workbook to fill: the format and the headers, no data (the latest version's by
    default)."""
    number = version or scheme_versions()[-1]
    return declaration_to_workbook(
        {"format": DECLARATION_FORMAT.format(version=number), "scope": {}}
    )


# ---------------------------------------------------------------------------------------------
# XLSX → JSON


def is_workbook(data: bytes) -> bool:
    """Whether the bytes are a zip (an XLSX is one; a JSON document never starts with PK)."""
    return data[:4] == b"PK\x03\x04"


def sheet_name(sheet: str) -> str:
    """A sheet as a formula names it: quoted when it holds anything but letters and digits
    (``'Points de contact'``)."""
    return sheet if re.fullmatch(r"\w+", sheet) else "'" + sheet.replace("'", "''") + "'"


def cell_name(sheet: str, column: int, row: int) -> str:
    """``Sites!C12``, ``'Points de contact'!B3``."""
    return f"{sheet_name(sheet)}!{get_column_letter(column)}{row}"


def _check_zip(data: bytes, max_bytes: int) -> None:
    refuse = lambda message: WorkbookError([InputError("", message)])  # noqa: E731
    if len(data) > max_bytes:
        raise refuse(f"le classeur dépasse la taille maximale ({max_bytes} octets)")
    if not is_workbook(data):
        raise refuse("le fichier n'est ni un document JSON ni un classeur XLSX")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        members = archive.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise refuse("le fichier n'est pas un classeur XLSX (archive zip illisible)") from None
    names = {m.filename for m in members}
    if len(members) > MAX_MEMBERS:
        raise refuse("le classeur contient trop de fichiers pour être une déclaration")
    # The declared sizes bound what zipfile inflates: it stops at them and checks the CRC.
    if sum(m.file_size for m in members) > MAX_UNCOMPRESSED_BYTES:
        raise refuse(
            f"le classeur décompressé dépasserait {MAX_UNCOMPRESSED_BYTES // (1024 * 1024)} Mo"
        )
    if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
        raise refuse("le fichier est une archive zip mais pas un classeur XLSX")
    content_types = archive.read("[Content_Types].xml")
    if any(n.lower().endswith("vbaproject.bin") for n in names) or b"macroEnabled" in (
        content_types
    ):
        raise refuse(
            "le classeur contient des macros (.xlsm) : enregistrez-le au format .xlsx, sans macros"
        )


@dataclass
class _Reader:
    sheet: str
    errors: list[tuple[tuple[int, int, int], InputError]]
    cells: Cells
    order: int
    bad: set[str] = field(default_factory=set)

    def error(self, column: int, row: int, message: str, pointer: str = "") -> None:
        self.errors.append(
            ((self.order, row, column), InputError(cell_name(self.sheet, column, row), message))
        )
        if pointer:
            self.bad.add(pointer)

    def value(self, cell: Any, kind: Kind, pointer: str, column: int, row: int) -> Any:
        """The JSON value of a cell (``None``: empty), or ``None`` after recording an error."""
        raw = cell.value
        if raw is None or raw == "":  # a text of spaces is a text (lossless)
            return None
        if cell.data_type == "f":
            self.error(column, row, "formule refusée : saisissez la valeur elle-même", pointer)
            return None
        if kind == "boolean":
            if isinstance(raw, bool):
                return raw
            if isinstance(raw, str) and raw.strip().lower() in _BOOLEANS:
                return _BOOLEANS[raw.strip().lower()]
            self.error(column, row, "« oui » ou « non » attendu", pointer)
            return None
        if kind == "integer":
            if isinstance(raw, bool):
                self.error(column, row, "nombre entier attendu (reçu : un booléen)", pointer)
                return None
            if isinstance(raw, int):
                return raw
            if isinstance(raw, float) and raw.is_integer():
                return int(raw)
            if isinstance(raw, str) and re.fullmatch(r"\s*-?[0-9]{1,18}\s*", raw):
                return int(raw)
            self.error(column, row, f"nombre entier attendu (reçu : « {raw} »)", pointer)
            return None
        text = _text(raw)
        if text is None:
            self.error(column, row, "texte attendu (reçu : un booléen)", pointer)
            return None
        if kind == "list":
            return [line for line in _LINES.split(text) if line != ""]
        return "" if text == EMPTY_TEXT else text


def _text(raw: Any) -> str | None:
    """A cell's value as text: a number typed into a text column (a SIRET) is its digits, a
    real date its ISO form; a boolean is no text."""
    if isinstance(raw, bool):
        return None
    if isinstance(raw, dt.datetime):
        return raw.date().isoformat() if raw.time() == dt.time() else raw.isoformat()
    if isinstance(raw, dt.date):
        return raw.isoformat()
    if isinstance(raw, float) and raw.is_integer():
        return str(int(raw))
    return str(raw)


class _Empty:
    value = None
    data_type = "n"


_EMPTY = _Empty()


def _set(obj: dict[str, Any], path: tuple[str, ...], value: Any) -> None:
    for key in path[:-1]:
        obj = obj.setdefault(key, {})
    obj[path[-1]] = value


def _rows(ws: Any, width: int, sheet: str) -> Iterator[tuple[int, tuple[Any, ...]]]:
    """The rows of a sheet with their numbers: openpyxl's read-only mode gives every row from
    the first, blank ones as ``EmptyCell`` objects that know no coordinates."""
    for number, row in enumerate(ws.iter_rows(max_col=width), start=1):
        if number > MAX_ROWS + _DATA_ROW:
            raise WorkbookError(
                [InputError(sheet_name(sheet), f"plus de {MAX_ROWS} lignes dans la feuille")]
            )
        if row:
            yield number, row


def _empty_cells(row: Iterable[Any]) -> bool:
    return all(c.value is None or (isinstance(c.value, str) and not c.value.strip()) for c in row)


def _read_company(ws: Any, reader: _Reader, fields: list[Field], document: dict[str, Any]) -> None:
    by_name = {f.name: f for f in fields}
    seen: set[str] = set()
    for number, row in _rows(ws, 3, reader.sheet):
        if number < _DATA_ROW or len(row) < 2:
            continue
        name_cell = row[1]
        name = name_cell.value.strip() if isinstance(name_cell.value, str) else name_cell.value
        value_cell = row[2] if len(row) > 2 else None
        if not name:
            if value_cell is not None and value_cell.value not in (None, ""):
                reader.error(2, number, "champ JSON manquant pour cette valeur")
            continue
        spec = by_name.get(str(name))
        if spec is None:
            reader.error(2, number, f"champ inconnu « {name} »")
            continue
        if spec.name in seen:
            reader.error(2, number, f"champ « {name} » en double")
            continue
        seen.add(spec.name)
        pointer = "/" + "/".join(spec.path)
        reader.cells[pointer] = cell_name(reader.sheet, 3, number)
        for depth in range(1, len(spec.path)):
            reader.cells.setdefault(
                "/" + "/".join(spec.path[:depth]), cell_name(reader.sheet, 3, number)
            )
        value = reader.value(value_cell, spec.kind, pointer, 3, number) if value_cell else None
        if value is None:
            if spec.kind == "list" and pointer not in reader.bad:
                _set(document, spec.path, [])
            elif spec.required and pointer not in reader.bad:
                reader.error(3, number, f"valeur obligatoire (« {spec.name} »)", pointer)
            continue
        _set(document, spec.path, value)
    for spec in fields:
        if spec.name not in seen and spec.required:
            reader.error(2, 1, f"ligne « {spec.name} » absente de la feuille")
    # The objects exist even when every row of theirs is empty (a scope item left blank is a
    # finding, not an error).
    for spec in fields:
        for depth in range(1, len(spec.path)):
            parent: dict[str, Any] = document
            for key in spec.path[:depth]:
                parent = parent.setdefault(key, {})


def _read_table(ws: Any, reader: _Reader, table: Table) -> list[dict[str, Any]]:
    by_name = {c.name: c for c in table.columns}
    columns: dict[int, Column] = {}
    items: list[dict[str, Any]] = []
    # Notes columns a person adds (no JSON name in row 2) are ignored, whatever is in them.
    width = len(table.columns) + 20
    for number, row in _rows(ws, width, reader.sheet):
        if number == 2:
            for column, cell in enumerate(row, start=1):
                name = cell.value.strip() if isinstance(cell.value, str) else cell.value
                if not name:
                    continue
                spec = by_name.get(str(name))
                if spec is None:
                    reader.error(column, 2, f"colonne inconnue « {name} »")
                elif spec in columns.values():
                    reader.error(column, 2, f"colonne « {name} » en double")
                else:
                    columns[column] = spec
            for name in sorted(REQUIRED[table.key] - {c.name for c in columns.values()}):
                reader.error(1, 2, f"colonne obligatoire « {name} » absente (ligne 2)")
            continue
        if number < _DATA_ROW:
            continue
        # EmptyCell (read-only mode) knows no column: the position in the row says it.
        cells = [(n, c) for n, c in enumerate(row, start=1) if n in columns]
        if _empty_cells(c for _n, c in cells):
            continue  # blank rows between groups are allowed
        index = len(items)
        base = f"/{table.key}/{index}"
        item: dict[str, Any] = {}
        first = min(columns, default=1)
        reader.cells[base] = cell_name(reader.sheet, first, number)
        present = {n for n, _c in cells}
        # A short row (trailing cells never written) still has its required cells checked.
        cells += [(n, _EMPTY) for n in columns if n not in present]
        for column, cell in sorted(cells, key=lambda item: item[0]):
            spec = columns[column]
            pointer = f"{base}/" + "/".join(spec.path)
            reader.cells[pointer] = cell_name(reader.sheet, column, number)
            if len(spec.path) > 1:
                reader.cells.setdefault(f"{base}/{spec.path[0]}", reader.cells[pointer])
            value = reader.value(cell, spec.kind, pointer, column, number)
            if value is None and spec.kind == "list" and pointer not in reader.bad:
                value = []  # an empty cell is an empty list (every list field is required)
            if value is None:
                if spec.name in REQUIRED[table.key] and pointer not in reader.bad:
                    reader.error(
                        column, number, f"cellule obligatoire vide (« {spec.name} »)", pointer
                    )
                continue
            _set(item, spec.path, value)
        for spec in columns.values():
            if spec.path[0] == "location":
                item.setdefault("location", {})
        items.append(item)
    return items


@dataclass(frozen=True)
class WorkbookReading:
    """A declaration read from a workbook, and where each of its values came from."""

    document: dict[str, Any]
    cells: Cells


def read_workbook(data: bytes, *, max_bytes: int) -> WorkbookReading:
    """The declaration a workbook holds, and its pointer → cell map.

    Raises :class:`WorkbookError` with every error, located: the file refused as a whole
    (not XLSX, macros, too large), a sheet or column missing, a cell of the wrong type or
    empty though required; then the declaration's own validation errors mapped to their cells
    (those about a value already refused are left out). A workbook read without error may
    still hold an invalid declaration: the caller validates it and :func:`locate` its errors.
    """
    _check_zip(data, max_bytes)
    raw: list[tuple[tuple[int, int, int], InputError]] = []
    cells: Cells = {}
    bad: set[str] = set()
    document: dict[str, Any] = {}
    try:
        wb = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # an untrusted file: any failure of the parser says it
        raise WorkbookError([InputError("", "le classeur XLSX est illisible")]) from None
    try:
        sheets = list(wb.sheetnames)
        if COMPANY not in sheets:
            raise WorkbookError(
                [InputError("", f"feuille « {COMPANY} » absente : est-ce le classeur modèle ?")]
            )
        reader = _Reader(COMPANY, raw, cells, 0, bad)
        # The format decides which sheets exist: read it first, then the fields of its scheme.
        fields = _company_fields(_scheme(_format_version(_peek_format(wb[COMPANY]))))
        _read_company(wb[COMPANY], reader, fields, document)
        version = _format_version(document)
        for order, table in enumerate(TABLES, start=1):
            reader = _Reader(table.title, raw, cells, order, bad)
            cells[f"/{table.key}"] = sheet_name(table.title)
            if table.title not in sheets:
                if version >= table.since:
                    bad.add(f"/{table.key}")  # its absence is said once, here
                    raw.append(
                        (
                            (order, 0, 0),
                            InputError(sheet_name(table.title), "feuille absente"),
                        )
                    )
                continue
            if version >= table.since:
                document[table.key] = _read_table(wb[table.title], reader, table)
                continue
            # A sheet of a later format: harmless while empty, refused if it holds data.
            for number, row in _rows(wb[table.title], len(table.columns), table.title):
                if number >= _DATA_ROW and not _empty_cells(row):
                    reader.error(
                        1,
                        number,
                        f"« {table.title} » n'existe qu'à partir de "
                        f"{DECLARATION_FORMAT.format(version=table.since)}",
                    )
                    break
    except WorkbookError:
        raise
    except Exception:  # see above: a malformed sheet deep in the parser
        raise WorkbookError([InputError("", "le classeur XLSX est illisible")]) from None
    finally:
        wb.close()
    if not raw:
        return WorkbookReading(_ordered(document), cells)
    # Say everything at once: the declaration's own errors, but not again about a cell that
    # was already refused (its value is missing from the document, which validation would
    # report once more at the row).
    located = [error for _key, error in sorted(raw, key=lambda item: item[0])]
    others = [e for e in validate_declaration(document) if not _touches(e.pointer, bad)]
    located += [e for e in locate(others, cells) if e not in located]
    raise WorkbookError(located)


def _peek_format(ws: Any) -> dict[str, Any]:
    for _number, row in _rows(ws, 3, COMPANY):
        if len(row) > 2 and row[1].value == "format" and isinstance(row[2].value, str):
            return {"format": row[2].value}
    return {}


def _touches(pointer: str, bad: set[str]) -> bool:
    """Whether a validation error concerns a refused value, a part of it, or the object that
    holds one (« champ obligatoire manquant » at the row of an empty required cell)."""
    return any(
        b == pointer or b.startswith(pointer + "/") or pointer.startswith(b + "/") for b in bad
    )


def _ordered(document: dict[str, Any]) -> dict[str, Any]:
    """The declaration's keys in the order of the format (for people reading the JSON)."""
    order = [
        "format",
        "reference_date",
        "applicant",
        "scope",
        "operators",
        "sites",
        "workforce",
        "contact_points",
        "commitments",
    ]
    return {key: document[key] for key in order if key in document} | {
        k: v for k, v in document.items() if k not in order
    }


def read_declaration_file(data: bytes, *, max_bytes: int) -> WorkbookReading:
    """A declaration uploaded as JSON or as a workbook, told apart by content (an XLSX is a
    zip: ``PK``), with its pointer → cell map (empty for JSON). Raises
    :class:`DeclarationError` (:class:`WorkbookError` for a workbook) with located errors;
    the document still has to be validated (and its errors put through :func:`locate`)."""
    if is_workbook(data):
        return read_workbook(data, max_bytes=max_bytes)
    return WorkbookReading(parse_declaration_json(data), {})


def workbook_declaration(data: bytes, *, max_bytes: int) -> dict[str, Any]:
    """The valid declaration a workbook holds, or :class:`WorkbookError` with every error,
    each at its cell (what ``rcf declaration convert`` writes as JSON)."""
    reading = read_workbook(data, max_bytes=max_bytes)
    errors = validate_declaration(reading.document)
    if errors:
        raise WorkbookError(locate(errors, reading.cells))
    return reading.document


class Located(Protocol):
    """An input error of any layer (the référentiel's or the platform's): where and why."""

    @property
    def pointer(self) -> str: ...

    @property
    def message(self) -> str: ...


def locate(errors: Iterable[Located], cells: Cells) -> list[InputError]:
    """The errors of a declaration read from a workbook, each at the cell (or sheet) its value
    came from: the nearest pointer of ``cells`` that holds the error's pointer. An error the
    workbook cannot place keeps its JSON Pointer."""
    located: list[InputError] = []
    for error in errors:
        pointer = error.pointer
        while pointer and pointer not in cells:
            pointer = pointer.rsplit("/", 1)[0]
        where = cells.get(pointer, error.pointer) if pointer else error.pointer
        located.append(InputError(where, error.message))
    return located
