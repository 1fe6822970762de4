"""E-mails of the workflow, each written in the language its recipient chose.

A person sets the language of their e-mails on their account page (``User.language``, French
by default). The recipients of one notification are grouped by language and each group gets
one e-mail, written with that language active: subjects and bodies are gettext strings, so
the French text is the msgid and the English one comes from the catalogue. An address that is
nobody's (or of several people with different languages) gets French, the platform's language.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

from django.utils import translation

from rcf.accounts.models import User
from rcf.notifications.services import email_queue
from rcf.referentiel.messages import english_date

SUBJECT_PREFIX = "[Relation Client France] "
"""The label's name, the same in every language."""

DEFAULT_LANGUAGE = "fr"

Text = Callable[[], str]
"""A subject or a body, written when called (in the language active at that moment)."""


def languages_of(addresses: Iterable[str]) -> dict[str, str]:
    """Address → the language of the e-mails of the person who has it."""
    wanted = {address for address in addresses if address}
    found: dict[str, set[str]] = {}
    for email, language in User.objects.filter(email__in=wanted).values_list("email", "language"):
        found.setdefault(email, set()).add(language)
    return {
        address: next(iter(found[address]))
        if len(found.get(address, ())) == 1
        else DEFAULT_LANGUAGE
        for address in wanted
    }


def email_in_languages(
    *, to: Iterable[str], subject: Text, body: Text, key: str | None = None
) -> bool:
    """Queue the e-mail once per language of its recipients; whether any was queued.

    With a ``key`` (an e-mail sent only once ever), the French e-mail keeps the key and the
    others add their language to it, so each group is still sent once.
    """
    groups: dict[str, list[str]] = {}
    for address, language in sorted(languages_of(to).items()):
        groups.setdefault(language, []).append(address)
    queued = False
    for language, addresses in sorted(groups.items()):
        language_key = key if key is None or language == DEFAULT_LANGUAGE else f"{key}:{language}"
        with translation.override(language):
            email = email_queue(
                to=addresses, subject=SUBJECT_PREFIX + subject(), body=body(), key=language_key
            )
        queued = queued or email is not None
    return queued


def day(value: dt.date) -> str:
    """A date in an e-mail: ``14/01/2029`` in French, ``14 January 2029`` in English."""
    if (translation.get_language() or DEFAULT_LANGUAGE).startswith("en"):
        return english_date(value)
    return value.strftime("%d/%m/%Y")
