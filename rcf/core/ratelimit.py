"""Rate limits per client address, counted in the database.

A fixed window per limit: the first request of a client in a window inserts its counter, every
other one adds 1, in one atomic statement (``INSERT … ON CONFLICT … DO UPDATE … RETURNING``,
PostgreSQL and SQLite ≥ 3.35). Every instance of the platform writes to the same table, so two
instances behind one proxy share the counts; a process-local counter would multiply the limit
by the number of workers and instances.

The client is the address the login throttle sees (``RCF_CLIENT_IP_HEADER`` behind a proxy,
``REMOTE_ADDR`` otherwise: ``rcf.accounts.services.client_address``), stored as a keyed digest.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.conf import settings
from django.db import connection
from django.http import HttpRequest
from django.utils.crypto import salted_hmac

from rcf.core.models import RateCounter


@dataclass(frozen=True)
class Verdict:
    allowed: bool
    hits: int
    limit: int
    retry_after: int
    """Seconds until the window ends (at least 1)."""


def client_key(request: HttpRequest) -> str:
    """A keyed digest of the client address, as the login throttle reads it."""
    from rcf.core.http import client_address, normalise_ip

    address = normalise_ip(client_address(request)) or "unknown"
    return salted_hmac("rcf.core.ratelimit", address, algorithm="sha256").hexdigest()


def _upsert_sql() -> str:
    quote = connection.ops.quote_name
    table = quote(RateCounter._meta.db_table)
    return (
        f"INSERT INTO {table} ({quote('scope')}, {quote('client')}, {quote('window_start')}, "  # noqa: S608 -- names from the model, values bound
        f"{quote('expires')}, {quote('hits')}) VALUES (%s, %s, %s, %s, 1) "
        f"ON CONFLICT ({quote('scope')}, {quote('client')}, {quote('window_start')}) "
        f"DO UPDATE SET {quote('hits')} = {table}.{quote('hits')} + 1 RETURNING {quote('hits')}"
    )


def hit(scope: str, client: str, *, limit: int, period: int, now: float | None = None) -> Verdict:
    """Count one request of ``client`` against ``scope`` (``limit`` per ``period`` seconds).

    The request that makes the count exceed the limit is refused, and so is every later one of
    the window: refused requests count too, so hammering does not shorten the wait."""
    now = time.time() if now is None else now
    start = int(now // period) * period
    end = start + period
    with connection.cursor() as cursor:
        cursor.execute(_upsert_sql(), [scope, client, start, end])
        row = cursor.fetchone()
    hits = int(row[0]) if row else 1
    if hits == 1:
        # A new window for someone: the moment to forget every window that has ended.
        RateCounter.objects.filter(expires__lte=int(now)).delete()
    return Verdict(hits <= limit, hits, limit, max(1, math.ceil(end - now)))


def scope_of(request: HttpRequest) -> str | None:
    """Which limit a request counts against: ``api`` for every ``/api/`` request, ``precheck``
    for a posted public pre-check, ``search`` for the registry search page."""
    if request.path_info.startswith("/api/"):
        return "api"
    match = getattr(request, "resolver_match", None)
    if match is None:
        return None
    if match.view_name == "front:precheck" and request.method == "POST":
        return "precheck"
    if match.view_name == "registry:search":
        return "search"
    return None


def check(request: HttpRequest) -> Verdict | None:
    """The verdict for this request, or None when no limit applies (or it is off)."""
    scope = scope_of(request)
    if scope is None:
        return None
    rate = settings.RCF_RATE_LIMITS.get(scope)
    if rate is None:
        return None
    limit, period = rate
    return hit(scope, client_key(request), limit=limit, period=period)
