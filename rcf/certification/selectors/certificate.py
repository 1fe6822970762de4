"""Reading certificates for the public: one certificate, the registry search."""

from __future__ import annotations

import datetime as dt
import functools
from typing import Any

from django.db import connection
from django.db.models import DateField, Max, OuterRef, QuerySet, Subquery
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from rcf.accounts.models import Organisation
from rcf.certification.choices import AuditStatus, CertificateStatus
from rcf.certification.models import Audit, Certificate, ContactPoint
from rcf.certification.selectors.search import Filters, search_certificates
from rcf.core.errors import NotFound
from rcf.referentiel.telephone import PhoneNumber, TelephonePlan, parse_phone, telephone_plan
from rcf.referentiel.versions import load_scheme, scheme_versions


def with_last_audit(queryset: QuerySet[Certificate]) -> QuerySet[Certificate]:
    """Annotate ``last_audit``: the day of the company's last closed audit, in the same query
    (one query less on every public page and API answer)."""
    last = (
        Audit.objects.filter(
            application__organisation_id=OuterRef("organisation_id"),
            status=AuditStatus.CLOSED,
            performed_on__isnull=False,
        )
        .order_by("-performed_on")
        .values("performed_on")[:1]
    )
    return queryset.annotate(last_audit=Subquery(last, output_field=DateField()))


EVENTS_SQL = """
SELECT "on", action, status, reason
  FROM certificates_certificateevent
 WHERE certificate_id = %s
 ORDER BY "on", id
"""
"""The public history of one certificate (hand-written for the reason given at
:func:`certificate_get`)."""


def _events(certificate: Certificate) -> list[tuple[dt.datetime, str, str, str]]:
    """(on, action, status, reason) of each event, oldest first."""
    prefetched = getattr(certificate, "_prefetched_objects_cache", {})
    if "events" in prefetched:
        return [(e.on, e.action, e.status, e.reason) for e in prefetched["events"]]
    with connection.cursor() as cursor:
        cursor.execute(EVENTS_SQL, [certificate.pk])
        return [(_as_datetime(on), *rest) for on, *rest in cursor.fetchall()]


def _as_datetime(value: object) -> dt.datetime:
    # SQLite gives UTC as text, PostgreSQL an aware datetime.
    if isinstance(value, dt.datetime):
        moment = value
    else:
        parsed = parse_datetime(str(value))
        if parsed is None:
            raise ValueError(f"date illisible : {value!r}")
        moment = parsed
    return moment if timezone.is_aware(moment) else moment.replace(tzinfo=dt.UTC)


def status_since(certificate: Certificate, status: str) -> dt.date | None:
    """The day a certificate stopped being valid: suspended or withdrawn on the day its status
    changed, expired the day after its last valid day; ``None`` while valid (pages, registry
    cards and the PDF alike)."""
    if status == CertificateStatus.ACTIVE:
        return None
    if status == CertificateStatus.EXPIRED:
        return certificate.valid_until + dt.timedelta(days=1)
    return timezone.localdate(certificate.status_changed_at)


def last_valid_day(certificate: Certificate, status: str) -> dt.date:
    """The last day it was valid, as history (« était valide du … au … »): its planned last day
    for an expired certificate, the day of its suspension or withdrawal otherwise."""
    since = status_since(certificate, status)
    if since is None or status == CertificateStatus.EXPIRED:
        return certificate.valid_until
    return min(since, certificate.valid_until)


CERTIFICATE_SQL = """
SELECT {columns}, {public_status} AS public_status,
       (SELECT MAX(a.performed_on)
          FROM audits_audit a JOIN applications_application p ON p.id = a.application_id
         WHERE p.organisation_id = c.organisation_id AND a.status = %s) AS last_audit
  FROM certificates_certificate c JOIN accounts_organisation o ON o.id = c.organisation_id
 WHERE c.number = %s
"""
"""One certificate by number, with its company, its public status and the day of the
company's last closed audit. Portable SQL (SQLite, PostgreSQL); ``{columns}`` are the
certificate's (``c``) then the company's (``o``) model columns, ``{public_status}`` the SQL of
:meth:`~rcf.certification.models.CertificateQuerySet.with_public_status`, compiled from it (the
rule lives there only)."""

_CERTIFICATE_FIELDS = tuple(Certificate._meta.concrete_fields)
_ORGANISATION_FIELDS = tuple(Organisation._meta.concrete_fields)


@functools.lru_cache(maxsize=4)
def _public_status_sql(today: dt.date) -> tuple[str, tuple[Any, ...]]:
    """The SQL of the public status rule on ``today`` for the certificate table named ``c``,
    and its parameters: compiled once per day and process from the queryset annotation
    :meth:`~rcf.certification.models.CertificateQuerySet.with_public_status` itself."""
    query = Certificate.objects.with_public_status(today).query
    sql, params = query.get_compiler(connection=connection).compile(
        query.annotations["public_status"]
    )
    table = connection.ops.quote_name(Certificate._meta.db_table)
    return sql.replace(f"{table}.", "c."), tuple(params)


@functools.lru_cache(maxsize=4)
def _certificate_sql(today: dt.date) -> tuple[str, tuple[Any, ...]]:
    """:data:`CERTIFICATE_SQL` filled in for ``today``, with the parameters of its public
    status, made once per day and process."""
    status_sql, params = _public_status_sql(today)
    quote = connection.ops.quote_name
    columns = [f"c.{quote(f.column)}" for f in _CERTIFICATE_FIELDS]
    columns += [f"o.{quote(f.column)}" for f in _ORGANISATION_FIELDS]
    return CERTIFICATE_SQL.format(columns=", ".join(columns), public_status=status_sql), params


def certificate_get(number: str, today: dt.date | None = None) -> Certificate:
    """The certificate ``number`` with its company, its public status (``public_status``) and
    the day of the company's last closed audit (``last_audit``), in one query; :class:`NotFound`
    if none.

    Every public page, badge, credential and API answer starts here, so it is one hand-written
    query (:data:`CERTIFICATE_SQL`) read straight from the cursor: the ORM spends ten times
    longer *building* the equivalent query (a join, a subquery, the public status) than the
    database takes to answer it, and builds it again on every request. The result is an
    ordinary model instance with the values ``with_last_audit(Certificate.objects.\
with_public_status(today)).select_related("organisation")`` gives (a test compares them),
    each column converted by the ORM's own converters.
    """
    sql, params = _certificate_sql(today or timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, AuditStatus.CLOSED.value, number])
        row = cursor.fetchone()
    if row is None:
        raise NotFound(f"Aucun certificat {number}.")
    values = list(row[: len(_CERTIFICATE_FIELDS) + len(_ORGANISATION_FIELDS)])
    for index, column, converters in _converters(connection.vendor):
        for converter in converters:
            values[index] = converter(values[index], column, connection)
    db = connection.alias
    split = len(_CERTIFICATE_FIELDS)
    certificate = Certificate.from_db(db, [f.attname for f in _CERTIFICATE_FIELDS], values[:split])
    certificate.organisation = Organisation.from_db(
        db, [f.attname for f in _ORGANISATION_FIELDS], values[split:]
    )
    public_status, last_audit = row[len(values) :]
    certificate.public_status = public_status
    certificate.last_audit = _as_date(last_audit)  # type: ignore[attr-defined]
    return certificate


@functools.cache
def _converters(vendor: str) -> list[tuple[int, Any, list[Any]]]:
    """What the ORM applies to each column of :data:`CERTIFICATE_SQL`'s ``{columns}`` as the
    database gives it (a JSON text parsed, a naive UTC datetime made aware on SQLite …): the
    backend's, then the field's, for the columns that have any; found once per process (they
    depend on the backend and the settings, which do not change while it runs)."""
    found = []
    fields: tuple[Any, ...] = (*_CERTIFICATE_FIELDS, *_ORGANISATION_FIELDS)
    for index, field in enumerate(fields):
        column = field.get_col(field.model._meta.db_table)
        converters = [
            *connection.ops.get_db_converters(column),
            *field.get_db_converters(connection),
        ]
        if converters:
            found.append((index, column, converters))
    return found


def _as_date(value: object) -> dt.date | None:
    # SQLite gives a computed date as text, PostgreSQL a date.
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(str(value)[:10])


def last_audit_on(certificate: Certificate) -> dt.date | None:
    """The last audit performed for this certificate's company (any application of it)."""
    if hasattr(certificate, "last_audit"):  # by certificate_get() or with_last_audit()
        annotated = certificate.last_audit
        return annotated if isinstance(annotated, dt.date) else None
    value = Audit.objects.filter(
        application__organisation_id=certificate.organisation_id, status=AuditStatus.CLOSED
    ).aggregate(last=Max("performed_on"))["last"]
    return value if isinstance(value, dt.date) else None


def certificate_public(certificate: Certificate) -> dict[str, Any]:
    """``GET /api/v1/certificates/{number}`` (platform-v1.md §3), of a certificate read with
    its public status."""
    scope = certificate.scope
    last = last_audit_on(certificate)
    return {
        "number": certificate.number,
        "status": certificate.public_status,
        "organisation": {
            "siren": certificate.organisation.siren,
            "name": certificate.organisation.name,
            "brands": scope.get("brands", []),
        },
        "scheme_version": certificate.scheme_version,
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "first_issued_on": certificate.first_issued_on.isoformat(),
        "last_audit_on": last.isoformat() if last else None,
        "sites": {
            "count": scope["sites"]["count"],
            "departments": scope["sites"]["departments"],
            "territories": scope["sites"]["territories"],
        },
        "channels": scope["channels"],
        "activities": scope["activities"],
        "phases": scope["phases"],
        "contributors": scope["contributors"],
        "contact_points": _contact_points(certificate),
        # Public: dates and statuses only. Reasons are the certification body's internal
        # free text; they stay on the private certificate page.
        "history": [
            {"on": entry["on"], "status": entry["status"]}
            for entry in certificate_history(certificate)
        ],
    }


CONTACT_POINTS_SQL = """
SELECT channel, value, purpose, brands
  FROM certification_contactpoint
 WHERE certificate_id = %s
 ORDER BY position
"""
"""The contact points of one certificate, in their declared order (hand-written for the reason
given at :func:`certificate_get`; a test checks the table name)."""


def _contact_points(certificate: Certificate) -> list[dict[str, Any]]:
    """Each contact point as the API publishes it (channel, value, purpose, brands)."""
    prefetched = getattr(certificate, "_prefetched_objects_cache", {})
    if "contact_points" in prefetched:
        rows = [
            (cp.channel, cp.value, cp.purpose, cp.brands) for cp in prefetched["contact_points"]
        ]
    else:
        with connection.cursor() as cursor:
            cursor.execute(CONTACT_POINTS_SQL, [certificate.pk])
            rows = [(*rest, _brands(brands)) for *rest, brands in cursor.fetchall()]
    return [
        {"channel": channel, "value": value, "purpose": purpose, "brands": brands}
        for channel, value, purpose, brands in rows
    ]


def _brands(value: object) -> Any:
    """A ``brands`` column as the ORM reads it (JSON text on SQLite)."""
    return BRANDS_FIELD.from_db_value(value, None, connection)


BRANDS_FIELD: Any = ContactPoint._meta.get_field("brands")


def certificate_history(certificate: Certificate) -> list[dict[str, Any]]:
    """Each change of status, oldest first; an unrecorded expiry is shown as of its date (the
    certificate is read with its public status)."""
    history = [
        {
            "on": timezone.localtime(on).date().isoformat(),
            "status": status,
            "event": action,
            "reason": reason,
        }
        for on, action, status, reason in _events(certificate)
    ]
    if certificate.public_status != certificate.status:
        day_after = certificate.valid_until + dt.timedelta(days=1)
        history.append(
            {
                "on": day_after.isoformat(),
                "status": CertificateStatus.EXPIRED,
                "event": "expired",
                "reason": "",
            }
        )
    return history


def registry_search(
    q: str = "",
    status: str = "",
    territory: str = "",
    department: str = "",
    channel: str = "",
    sort: str = "",
    today: dt.date | None = None,
) -> list[int]:
    """The ids of the certificates matching ``q`` (full text, case, accents and typos
    forgiven) and the filters, ranked: :func:`~rcf.certification.selectors.search.\
search_certificates` with the filters as keywords (the pages' and the API's parameters)."""
    filters = Filters(status=status, territory=territory, department=department, channel=channel)
    return search_certificates(q, filters, sort, today)


def certificates_in_order(
    ids: list[int],
    today: dt.date | None = None,
    *,
    application: bool = False,
) -> list[Certificate]:
    """The certificates ``ids`` with their company and public status, in the order given;
    with their application too when asked (the registry's result cards list the certified
    cities), in the same query instead of one per certificate."""
    queryset = Certificate.objects.with_public_status(today).select_related("organisation")
    if application:
        queryset = queryset.select_related("application")
    found = queryset.in_bulk(ids)
    return [found[pk] for pk in ids if pk in found]


def registry_entry(certificate: Certificate) -> dict[str, Any]:
    """A certificate summary in the registry's results (read with its public status)."""
    scope = certificate.scope
    return {
        "number": certificate.number,
        "status": certificate.public_status,
        "organisation": {
            "siren": certificate.organisation.siren,
            "name": certificate.organisation.name,
            "brands": scope.get("brands", []),
        },
        "valid_from": certificate.valid_from.isoformat(),
        "valid_until": certificate.valid_until.isoformat(),
        "sites": {"count": scope["sites"]["count"], "territories": scope["sites"]["territories"]},
        "contributors": scope["contributors"],
    }


@functools.cache
def phone_plan() -> TelephonePlan:
    """How the phone check reads a number: the telephone table of the latest version (read
    once per process: the scheme files do not change while it runs)."""
    plan = telephone_plan(load_scheme(scheme_versions()[-1]))
    assert plan is not None, "the latest scheme version has a [telephone] table"
    return plan


@functools.lru_cache(maxsize=4096)
def phone_read(text: str) -> PhoneNumber:
    """The number a visitor typed; :class:`rcf.referentiel.telephone.PhoneNumberError` when it
    is not a valid telephone number. Remembered per process (a number is read the same way as
    long as the process runs: the plan is read once; a phone app asks for the same numbers
    again and again)."""
    return parse_phone(text, phone_plan())


LIVE_PUBLIC = (CertificateStatus.ACTIVE.value, CertificateStatus.SUSPENDED.value)

PHONE_CHECK_SQL = """
SELECT c.number, {public_status} AS public_status, o.siren, o.name, p.brands, p.purpose
  FROM certification_contactpoint p
  JOIN certificates_certificate c ON c.id = p.certificate_id
  JOIN accounts_organisation o ON o.id = c.organisation_id
 WHERE p.number = %s AND p.channel = 'telephone' AND {public_status} IN (%s, %s)
 ORDER BY c.number, p.position
"""
"""The telephone contact points of one E.164 number with their certificate's public status and
company: driven by the index on the contact points' ``number`` (hand-written for the reason
given at :func:`certificate_get`; a test checks the plan and the table names)."""


def phone_check(number: PhoneNumber) -> dict[str, Any]:
    """``GET /api/v1/phone-check`` (referentiel-v2.md §4): the telephone contact points equal in
    E.164 of every certificate whose *public* status is active or suspended (a withdrawn or
    expired certificate no longer matches). One query, driven by the index on the contact
    points' ``number``, whatever the registry's size; the status is the public one
    (``with_public_status``)."""
    status_sql, status_params = _public_status_sql(timezone.localdate())
    with connection.cursor() as cursor:
        cursor.execute(
            PHONE_CHECK_SQL.format(public_status=status_sql),
            [*status_params, number.e164, *status_params, *LIVE_PUBLIC],
        )
        rows = [(*rest, _brands(brands), purpose) for *rest, brands, purpose in cursor.fetchall()]
    matches = [
        {
            "certificate": certificate,
            "status": status,
            "organisation": {"siren": siren, "name": name},
            "brands": list(brands),
            "purpose": purpose,
        }
        for certificate, status, siren, name, brands, purpose in rows
    ]
    return {
        "number": number.e164,
        "national": number.national,
        "french": number.french,
        "surcharged": number.surcharged,
        "telemarketing_range": number.telemarketing_range,
        "matches": matches,
    }
