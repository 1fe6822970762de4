"""The English version: every French msgid is translated, shipped compiled, and served under /en/.

The catalogue is read with a small PO parser rather than a new dependency: it only has to
understand what ``makemessages`` writes (comments, flags, contexts, plurals, continued strings).
"""

from __future__ import annotations

import gettext
import io
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.test import Client

LOCALE_DIR = Path(__file__).resolve().parents[2] / "locale"
PO_FILE = LOCALE_DIR / "en" / "LC_MESSAGES" / "django.po"
MO_FILE = PO_FILE.with_suffix(".mo")
MAKEMESSAGES_IGNORE = [".venv", "bench", "tests"]

# What a translation must carry over unchanged: named and bare placeholders, the escaped
# percent sign of {% blocktranslate %}, and every HTML tag with its attributes.
PRESERVED = re.compile(r"%\(\w+\)s|%s|%%|<[^>]+>")
ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


@dataclass
class Entry:
    """One message of a PO file; ``msgstr`` holds one string, or one per plural form."""

    msgid: str = ""
    msgid_plural: str = ""
    msgctxt: str = ""
    msgstr: list[str] = field(default_factory=list)
    flags: set[str] = field(default_factory=set)
    line: int = 0


def unquote(text: str) -> str:
    return re.sub(r"\\(.)", lambda m: ESCAPES[m.group(1)], text.strip()[1:-1])


def read_po(path: Path) -> list[Entry]:
    """The active entries of a PO file, header included (its msgid is empty)."""
    entries: list[Entry] = []
    current: Entry | None = None
    target: tuple[str, int] | None = None
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            current, target = None, None
            continue
        if line.startswith("#,"):
            current = current or Entry(line=number)
            current.flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        if line.startswith("#"):  # references, translator comments, obsolete (#~) entries
            continue
        if line.startswith('"'):
            assert current is not None and target is not None, f"{path}:{number}"
            name, index = target
            if name == "msgstr":
                current.msgstr[index] += unquote(line)
            else:
                setattr(current, name, getattr(current, name) + unquote(line))
            continue
        keyword, _, value = line.partition(" ")
        if keyword in {"msgctxt", "msgid"}:
            if current is None or current.msgstr:  # a new entry, unless flags opened it
                current = Entry(line=number)
            if not entries or entries[-1] is not current:
                entries.append(current)
        assert current is not None, f"{path}:{number}: {keyword} outside an entry"
        match = re.fullmatch(r"msgstr\[(\d+)\]", keyword)
        if keyword in {"msgctxt", "msgid", "msgid_plural"}:
            setattr(current, keyword, unquote(value))
            target = (keyword, 0)
        elif keyword == "msgstr" or match:
            index = int(match.group(1)) if match else 0
            current.msgstr.extend([""] * (index + 1 - len(current.msgstr)))
            current.msgstr[index] = unquote(value)
            target = ("msgstr", index)
        else:
            raise AssertionError(f"{path}:{number}: unexpected line {line!r}")
    return entries


def messages(entries: list[Entry]) -> list[Entry]:
    return [entry for entry in entries if entry.msgid]


def untranslated(entries: list[Entry]) -> list[str]:
    """msgids with a fuzzy flag or an empty translation, each with its line for the report."""
    return [
        f"line {entry.line}: {entry.msgid!r}"
        for entry in entries
        if "fuzzy" in entry.flags or not entry.msgstr or not all(entry.msgstr)
    ]


def test_it_reads_the_po_format_it_checks(tmp_path: Path) -> None:
    """The parser sees contexts, plurals, continued lines, escapes, flags and the header."""
    po = tmp_path / "django.po"
    po.write_text(
        'msgid ""\nmsgstr ""\n"Language: en\\n"\n\n'
        '#: a.py:1\n#, fuzzy, python-format\nmsgid "Bonjour « %(nom)s »"\nmsgstr ""\n\n'
        'msgctxt "certificate event"\nmsgid "Retiré"\nmsgstr "Withdrawn"\n\n'
        'msgid "%(n)s site"\nmsgid_plural "%(n)s sites"\nmsgstr[0] "%(n)s site"\n'
        'msgstr[1] ""\n"%(n)s sites"\n\n'
        '#~ msgid "Ancien"\n#~ msgstr "Old"\n\n'
        'msgid ""\n"Il a dit \\"oui\\"\\n"\nmsgstr "He said \\"yes\\"\\n"\n',
        encoding="utf-8",
    )
    header, greeting, event, sites, quote = read_po(po)
    assert (header.msgid, header.msgstr) == ("", ["Language: en\n"])
    assert greeting.flags == {"fuzzy", "python-format"}
    assert (greeting.msgid, greeting.msgstr) == ("Bonjour « %(nom)s »", [""])
    assert (event.msgctxt, event.msgid, event.msgstr) == (
        "certificate event",
        "Retiré",
        ["Withdrawn"],
    )
    assert (sites.msgid_plural, sites.msgstr) == ("%(n)s sites", ["%(n)s site", "%(n)s sites"])
    assert (quote.msgid, quote.msgstr) == ('Il a dit "oui"\n', ['He said "yes"\n'])
    assert untranslated(messages([header, greeting, event, sites, quote])) == [
        "line 6: 'Bonjour « %(nom)s »'"
    ]


def test_it_translates_every_msgid_without_a_fuzzy_entry() -> None:
    """Each French msgid of the English catalogue has a reviewed (non-fuzzy) translation."""
    entries = read_po(PO_FILE)
    header = entries[0]
    assert header.msgid == "" and "fuzzy" not in header.flags
    assert "Language: en\n" in header.msgstr[0]
    assert len(messages(entries)) > 700
    assert untranslated(messages(entries)) == []


def test_it_keeps_placeholders_and_markup_in_each_translation() -> None:
    """A translation carries the same %(name)s placeholders, %% signs and HTML tags as its msgid."""
    wrong = []
    for entry in messages(read_po(PO_FILE)):
        sources = [entry.msgid, entry.msgid_plural] if entry.msgid_plural else [entry.msgid]
        for index, translation in enumerate(entry.msgstr):
            source = sources[min(index, len(sources) - 1)]
            if sorted(PRESERVED.findall(source)) != sorted(PRESERVED.findall(translation)):
                wrong.append((entry.line, source, translation))
    assert wrong == []


def test_it_ships_the_compiled_catalogue_of_the_po() -> None:
    """``django.mo`` is compiled from the current ``django.po``: installs need no gettext."""
    with MO_FILE.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in messages(read_po(PO_FILE)):
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        if entry.msgid_plural:
            shipped = [compiled.ngettext(key, entry.msgid_plural, n) for n in (1, 2)]
        else:
            shipped = [compiled.gettext(key)]
        if shipped != entry.msgstr:
            stale.append((entry.line, entry.msgid))
    assert stale == []


def test_it_has_a_translation_for_every_string_of_the_code(
    tmp_path: Path, settings: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``makemessages`` on a copy of the code finds no msgid that the catalogue lacks.

    A string added to a template or a module without its English translation fails here,
    not in front of an English-speaking visitor.
    """
    if shutil.which("xgettext") is None or shutil.which("msgmerge") is None:
        pytest.skip("needs GNU gettext (xgettext, msgmerge) to extract the msgids")
    source = LOCALE_DIR.parent
    copy = tmp_path / "rcf"
    shutil.copytree(source, copy, ignore=shutil.ignore_patterns("__pycache__", "*.mo", "static"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(tmp_path)
    call_command(
        "makemessages",
        locale=["en"],
        ignore_patterns=MAKEMESSAGES_IGNORE,
        no_obsolete=True,
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    extracted = read_po(copy / "locale" / "en" / "LC_MESSAGES" / "django.po")
    assert len(messages(extracted)) == len(messages(read_po(PO_FILE)))
    assert untranslated(messages(extracted)) == []


PAGES = [
    ("/", "Le registre en chiffres", "The registry in figures"),
    ("/registre/", "Registre des entreprises certifiées", "Registry of certified companies"),
    ("/compte/connexion/", "Mot de passe oublié ?", "Forgotten your password?"),
    ("/pre-controle/", "Lancer le pré-contrôle", "Run the pre-check"),
]


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "french", "english"), PAGES)
def test_it_serves_the_public_pages_in_english_under_en(
    client: Client, path: str, french: str, english: str
) -> None:
    """``/en/…`` answers 200 with ``<html lang="en">``, the English text and not the French."""
    response = client.get(f"/en{path}")
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="en">' in page
    assert english in page
    assert french not in page
    assert "Aller au contenu" not in page and "Skip to content" in page


@pytest.mark.django_db
@pytest.mark.parametrize(("path", "french", "english"), PAGES)
def test_it_keeps_the_pages_french_without_a_prefix(
    client: Client, path: str, french: str, english: str
) -> None:
    """French is the default language: the unprefixed page stays French, whatever the browser."""
    response = client.get(path, headers={"accept-language": "en-GB,en;q=0.9"})
    page = response.content.decode()
    assert response.status_code == 200
    assert '<html lang="fr">' in page
    assert french in page
    assert english not in page


@pytest.mark.django_db
def test_it_switches_to_the_same_page_in_english_with_the_language_button(client: Client) -> None:
    """The header's language button takes the visitor to the English version of the same page."""
    response = client.post("/i18n/setlang/", {"language": "en", "next": "/registre/"})
    assert response.status_code == 302
    assert response["Location"] == "/en/registre/"
