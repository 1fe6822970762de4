"""Rendered pages kept in memory, keyed by everything they show.

The verification page is the most requested page (every QR code scan, every badge click) and
rendering it costs more than everything else in the request. What it shows depends only on
the certificate's public facts, the language and the address, so the rendered page is kept
here under a key made *of those facts*: when a status, a date or the scope changes, the key
changes and the old page is never looked up again (it ages out of the LRU). There is nothing
to invalidate, and a suspension shows on the very next request.

Only pages that hold nothing personal are kept: visitors who are logged in or have a message
waiting get a page rendered for them. The one per-visitor value of an anonymous page, the CSRF
token of the language form, is rendered as a marker and replaced on the way out.

Per process, bounded, thread-safe.
"""

from __future__ import annotations

import hashlib
import json
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Any

from django.contrib.messages import get_messages
from django.http import HttpRequest
from django.middleware.csrf import get_token

CSRF_MARKER = "csrf-" + secrets.token_hex(16)
"""Stands for the CSRF token in a kept page (random: a page cannot contain it by chance)."""


CHECKED_MARKER = "checked-" + secrets.token_hex(16)
"""Stands for the date and time of the check in a kept verification page."""


def fingerprint(*facts: Any) -> str:
    """A short, stable digest of ``facts`` (JSON-serialisable values, dates as text)."""
    text = json.dumps(facts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def is_anonymous_page(request: HttpRequest) -> bool:
    """Whether the page for this request holds nothing about the visitor."""
    user = getattr(request, "user", None)
    if user is not None and user.is_authenticated:
        return False
    # Looking does not consume the messages: a page rendered afterwards still shows them.
    return not any(True for _ in get_messages(request))


class Pages:
    """A least-recently-used map of rendered pages."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[str, str] = OrderedDict()
        self._lock = threading.Lock()

    def get_or_render(self, key: str, render: Callable[[], str]) -> str:
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        page = render()  # outside the lock: two threads may render the same page, once each
        with self._lock:
            self._items[key] = page
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)
        return page

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


def with_csrf_token(request: HttpRequest, page: str) -> str:
    """The kept ``page`` with this visitor's CSRF token in place of the marker."""
    return page.replace(CSRF_MARKER, get_token(request))


def with_check_time(page: str, checked: str) -> str:
    """The kept ``page`` with the time of this check (already in words) in place of the
    marker: a consumer sees when the status was read, not when the page was first drawn."""
    return page.replace(CHECKED_MARKER, checked)
