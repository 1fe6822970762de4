"""Writes of the accounts app: users, organisations, API tokens, login attempts.

Each function runs in one transaction and raises :class:`rcf.core.errors.InvalidInput` (every
problem found, each with the field it concerns) when the request cannot be honoured.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import datetime, timedelta

from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import connection, transaction
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from rcf.accounts.choices import LoginOutcome, Role
from rcf.accounts.models import (
    ApiToken,
    LoginAttempt,
    Organisation,
    User,
    UserRole,
    username_key,
    validate_siren,
)
from rcf.core.errors import InputError, InvalidInput
from rcf.referentiel.characters import forbidden_character

TOKEN_PREFIX = "rcf_"  # noqa: S105 (a public marker, not a secret)
#: ``last_used_at`` is written at most this often, so API reads do not all become writes.
TOKEN_TOUCH_INTERVAL = timedelta(minutes=1)
#: Lifetime of an API token unless ``rcf tokens create --expires DAYS`` says otherwise.
TOKEN_DEFAULT_DAYS = 365
#: Ten years: past that a token is as good as eternal, and the date would soon overflow.
TOKEN_MAX_DAYS = 3650

#: Login throttle (docs/accounts.md): this many failures within the window lock the username
#: (or the IP address) for the lock duration, counted from the failure that reached it.
LOGIN_MAX_FAILURES = 5
LOGIN_WINDOW = timedelta(minutes=15)
LOGIN_LOCK = timedelta(minutes=15)
LOGIN_ATTEMPT_RETENTION = timedelta(days=1)


# Organisations and users ----------------------------------------------------------------------


def organisation_create(*, siren: str, name: str = "") -> Organisation:
    """Create an organisation; the SIREN must be 9 digits with a valid check digit.

    The name may be empty: it is then shown as the SIREN until ``organisation_name_fill``
    gives it one (docs/accounts.md).
    """
    siren, name = siren.strip(), name.strip()
    errors = _text_errors("organisation_name", name)
    organisation = Organisation(siren=siren, name=name)
    try:
        organisation.full_clean()
    except ValidationError as error:
        errors += _input_errors(error, prefix="organisation_")
    if errors:
        raise InvalidInput(errors)
    with transaction.atomic():
        organisation.save()
    return organisation


def organisation_name_fill(*, siren: str, name: str) -> bool:
    """Name the organisation of ``siren`` if it has no name yet; True when it was named.

    For the layers that know a company's name (the membership registry, the declaration):
    an organisation created from its SIREN alone gets its name from the first of them, and a
    name someone gave is never overwritten. A name with forbidden characters or too long is
    refused (``InvalidInput``, pointer ``organisation_name``).
    """
    name = name.strip()
    errors = _text_errors("organisation_name", name)
    max_length = Organisation._meta.get_field("name").max_length or 0
    if len(name) > max_length:
        errors.append(_too_long("organisation_name", max_length, len(name)))
    if errors:
        raise InvalidInput(errors)
    if not name:
        return False
    with transaction.atomic():
        return bool(Organisation.objects.filter(siren=siren, name="").update(name=name))


def user_create(
    username: str,
    roles: Iterable[Role | str],
    *,
    organisation_siren: str | None = None,
    organisation_name: str | None = None,
    email: str = "",
    password: str | None = None,
) -> User:
    """Create a user holding ``roles``.

    An applicant belongs to exactly one organisation, and only applicants belong to one. The
    organisation is created when its SIREN is unknown, named ``organisation_name`` or else
    left unnamed (shown as its SIREN) until the registry import or the first declaration names
    it. Without ``password`` the user has no usable password and sets one through the
    password-reset e-mail.
    """
    errors: list[InputError] = []
    role_values = _role_values(roles, errors)
    username = User.normalize_username(username.strip())
    errors += _username_errors(username)
    if email:
        try:
            validate_email(email)
        except ValidationError:
            errors.append(InputError("email", _("« %s » n'est pas une adresse e-mail.") % email))
    if organisation_siren:
        try:
            validate_siren(organisation_siren.strip())
        except ValidationError as error:
            errors.extend(InputError("organisation", message) for message in error.messages)
    if organisation_name:
        errors += _text_errors("organisation_name", organisation_name.strip())
    if role_values:
        problem = organisation_rule_problem(role_values, has_organisation=bool(organisation_siren))
        if problem:
            errors.append(InputError("organisation", problem))
    if password is not None:
        try:
            validate_password(password, User(username=username, email=email))
        except ValidationError as error:
            errors.extend(InputError("password", message) for message in error.messages)
    if errors:
        raise InvalidInput(errors)

    with transaction.atomic():
        organisation = None
        if organisation_siren:
            organisation = _organisation_for(organisation_siren, organisation_name)
        # Without a password, create_user stores an unusable one.
        user = User.objects.create_user(
            username=username, email=email, password=password, organisation=organisation
        )
        UserRole.objects.bulk_create(UserRole(user=user, role=role) for role in role_values)
    return user


def _username_errors(username: str) -> list[InputError]:
    """What is wrong with ``username`` (already NFKC-normalised), every problem at once.

    Checked here rather than left to the database: a control or invisible character, a name
    too long for the column or one that is another user's name in another case would
    otherwise end in an integrity or data error (PostgreSQL) instead of a located message.
    """
    if not username:
        return [InputError("username", _("L'identifiant est obligatoire."))]
    errors = _text_errors("username", username)
    if errors:
        return errors
    max_length = User._meta.get_field("username").max_length or 0
    key = username_key(username)
    if len(username) > max_length or len(key) > max_length:
        return [_too_long("username", max_length, len(username))]
    try:
        User.username_validator(username)
    except ValidationError:
        return [
            InputError(
                "username",
                _(
                    "L'identifiant « %s » ne peut contenir que des lettres, des chiffres et "
                    "les caractères @ . + - _"
                )
                % username,
            )
        ]
    taken = User.objects.filter(username_key=key).values_list("username", flat=True).first()
    if taken is not None:
        if taken == username:
            message = _("L'identifiant « %s » est déjà pris.") % username
        else:
            message = _(
                "L'identifiant « %(username)s » est déjà pris sous la forme « %(taken)s » "
                "(les identifiants ne distinguent ni la casse ni les formes Unicode)."
            ) % {"username": username, "taken": taken}
        return [InputError("username", message)]
    return []


def _text_errors(pointer: str, value: str) -> list[InputError]:
    """A located error when ``value`` holds a control, invisible or surrogate character."""
    found = forbidden_character(value)
    if found is None:
        return []
    return [
        InputError(
            pointer,
            _(
                "Caractère interdit %(codepoint)s%(name)s en position %(position)s : les "
                "caractères de contrôle, invisibles ou d'inversion du sens d'écriture ne sont "
                "pas admis."
            )
            % {
                "codepoint": found.codepoint,
                "name": f" ({found.name})" if found.name else "",
                "position": found.position,
            },
        )
    ]


def _too_long(pointer: str, max_length: int, length: int) -> InputError:
    return InputError(
        pointer,
        _("Trop long : %(length)s caractères, %(max)s au plus.")
        % {"length": length, "max": max_length},
    )


def organisation_rule_problem(roles: Iterable[str], *, has_organisation: bool) -> str | None:
    """Why these roles and this organisation (or its absence) do not fit together, if so.

    An applicant acts for exactly one company; the other roles act for no company.
    """
    roles = set(roles)
    is_applicant = Role.APPLICANT.value in roles
    if is_applicant and len(roles) > 1:
        # A company's employee never judges, audits or decides on its own dossier: the
        # impartiality of the label rests on it (ISO/IEC 17065 §4.2, §7.6).
        return _("Un demandeur ne peut avoir aucun autre rôle (AFRC, certification, audit).")
    if is_applicant and not has_organisation:
        return _("Un demandeur appartient à une organisation : indiquez son SIREN.")
    if has_organisation and not is_applicant:
        return _("Seul un demandeur appartient à une organisation.")
    return None


def _role_values(roles: Iterable[Role | str], errors: list[InputError]) -> list[str]:
    values: list[str] = []
    for role in roles:
        if role not in Role.values:
            known = ", ".join(Role.values)
            errors.append(
                InputError(
                    "roles",
                    _("Rôle inconnu « %(role)s » (rôles : %(known)s).")
                    % {"role": role, "known": known},
                )
            )
        elif str(role) not in values:
            values.append(Role(role).value)
    if not values and not errors:
        errors.append(InputError("roles", _("Au moins un rôle est requis.")))
    return values


def _organisation_for(siren: str, name: str | None) -> Organisation:
    """The organisation of that SIREN, created when missing (named ``name``, or unnamed).

    Unnamed rather than named from the membership registry: the accounts layer sits below
    the membership registry app and does not read it; the registry import names it instead.
    """
    siren = siren.strip()
    existing = Organisation.objects.filter(siren=siren).first()
    if existing is not None:
        return existing
    return organisation_create(siren=siren, name=name or "")


def _input_errors(error: ValidationError, *, prefix: str = "") -> list[InputError]:
    return [
        InputError(f"{prefix}{field}", message)
        for field, messages in error.message_dict.items()
        for message in messages
    ]


# API tokens -----------------------------------------------------------------------------------


def _secret_digest(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


def token_create(*, user: User, days: int = TOKEN_DEFAULT_DAYS) -> str:
    """Create an API token for ``user``, valid ``days`` days; the clear token, shown once."""
    return token_issue(user=user, days=days)[0]


def token_issue(*, user: User, days: int = TOKEN_DEFAULT_DAYS) -> tuple[str, ApiToken]:
    """Create an API token for ``user``, valid ``days`` days (1 to 3650).

    Returns the clear token (the only time it is known) and its row (``expires_at``).
    """
    if not 1 <= days <= TOKEN_MAX_DAYS:
        raise InvalidInput(
            [
                InputError(
                    "expires",
                    _("Durée de validité : de 1 à %(max)s jours, pas %(days)s.")
                    % {"max": TOKEN_MAX_DAYS, "days": days},
                )
            ]
        )
    secret = secrets.token_urlsafe(32)
    with transaction.atomic():
        prefix = secrets.token_hex(4)
        while ApiToken.objects.filter(prefix=prefix).exists():
            prefix = secrets.token_hex(4)
        token = ApiToken.objects.create(
            user=user,
            prefix=prefix,
            secret_sha256=_secret_digest(secret),
            expires_at=timezone.now() + timedelta(days=days),
        )
    return f"{TOKEN_PREFIX}{prefix}_{secret}", token


def _split_token(raw: str) -> tuple[str, str] | None:
    if not raw.startswith(TOKEN_PREFIX):
        return None
    prefix, sep, secret = raw[len(TOKEN_PREFIX) :].partition("_")
    if not sep or not prefix or not secret:
        return None
    return prefix, secret


def token_authenticate(raw: str) -> User | None:
    """The active user owning the unrevoked, unexpired token ``raw``, or None.

    The hashes are compared in constant time; ``last_used_at`` is refreshed at most once a
    minute.
    """
    parts = _split_token(raw.strip())
    if parts is None:
        return None
    prefix, secret = parts
    # No transaction around the read: on SQLite (BEGIN IMMEDIATE) it would take the write lock
    # on every API request. The only write is one UPDATE statement, atomic by itself.
    token = ApiToken.objects.select_related("user").filter(prefix=prefix).first()
    if token is None:
        return None
    if not hmac.compare_digest(_secret_digest(secret), token.secret_sha256):
        return None
    now = timezone.now()
    if token.revoked_at is not None or token.has_expired(now) or not token.user.is_active:
        return None
    if token.last_used_at is None or now - token.last_used_at >= TOKEN_TOUCH_INTERVAL:
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user


def token_revoke(*, token: ApiToken) -> ApiToken:
    """Revoke ``token`` for good (idempotent: the first revocation date is kept)."""
    with transaction.atomic():
        ApiToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
            revoked_at=timezone.now()
        )
        token.refresh_from_db(fields=["revoked_at"])
    return token


def token_find(raw_or_prefix: str) -> ApiToken | None:
    """The token named by its public prefix or by the whole clear token."""
    parts = _split_token(raw_or_prefix.strip())
    prefix = parts[0] if parts else raw_or_prefix.strip()
    return ApiToken.objects.filter(prefix=prefix).first()


# Login throttle -------------------------------------------------------------------------------


def username_digest(username: str) -> str:
    """A keyed digest of the username as typed, ignoring case: never stored in clear."""
    return salted_hmac("rcf.accounts.login", username.strip().casefold()).hexdigest()


def login_locked_until(
    *, username: str, ip: str | None, exclude: int | None = None
) -> datetime | None:
    """When the lock on this username or IP address ends, or None when there is no lock.

    A lock starts at a failure that is the fifth within ``LOGIN_WINDOW`` and lasts
    ``LOGIN_LOCK``. Refused attempts (made during a lock) do not count. A success clears the
    username's earlier failures, not the IP address's (an attacker with one valid account
    must not be able to reset the counter of the address).
    """
    now = timezone.now()
    since = now - LOGIN_WINDOW - LOGIN_LOCK
    failures = LoginAttempt.objects.filter(attempted_at__gt=since, outcome=LoginOutcome.FAILURE)
    if exclude is not None:
        failures = failures.exclude(pk=exclude)
    by_username = failures.filter(username_digest=username_digest(username))
    last_success = (
        LoginAttempt.objects.filter(
            username_digest=username_digest(username),
            attempted_at__gt=since,
            outcome=LoginOutcome.SUCCESS,
        )
        .order_by("-attempted_at")
        .values_list("attempted_at", flat=True)
        .first()
    )
    if last_success is not None:
        by_username = by_username.filter(attempted_at__gt=last_success)
    ends = [_lock_end(by_username.order_by("attempted_at").values_list("attempted_at", flat=True))]
    if ip is not None:
        by_ip = failures.filter(ip=ip).order_by("attempted_at")
        ends.append(_lock_end(by_ip.values_list("attempted_at", flat=True)))
    current = [end for end in ends if end is not None and end > now]
    return max(current) if current else None


def _lock_end(times: Iterable[datetime]) -> datetime | None:
    """End of the latest lock started by these failure times (ascending), if any."""
    times = list(times)
    end = None
    for first, nth in zip(times, times[LOGIN_MAX_FAILURES - 1 :], strict=False):
        if nth - first <= LOGIN_WINDOW:
            end = nth + LOGIN_LOCK
    return end


RESET_LIMIT_PER_ADDRESS = 3
RESET_LIMIT_PER_IP = 10
RESET_WINDOW = timedelta(hours=1)


def password_reset_allowed(*, email: str, ip: str | None) -> bool:
    """Whether a reset e-mail may go out now, and record the request.

    At most 3 reset e-mails per address and 10 per client address an hour: the reset form is
    public, and must not become a way to flood someone's inbox. The answer page is the same
    either way, so the limit reveals nothing about which addresses have accounts.
    """
    digest = username_digest("reset:" + email.strip().lower())
    since = timezone.now() - RESET_WINDOW
    recent = LoginAttempt.objects.filter(outcome=LoginOutcome.RESET, attempted_at__gt=since)
    allowed = recent.filter(username_digest=digest).count() < RESET_LIMIT_PER_ADDRESS and (
        ip is None or recent.filter(ip=ip).count() < RESET_LIMIT_PER_IP
    )
    login_attempt_record(
        username="reset:" + email.strip().lower(), ip=ip, outcome=LoginOutcome.RESET
    )
    return allowed


def login_attempt_begin(*, username: str, ip: str | None) -> LoginAttempt | None:
    """Reserve a password check, or refuse it (None) while a lock lasts.

    The attempt is written as a failure *before* the password is checked, and the lock is
    judged against the attempts written before it, one request at a time per name and address
    (the row insert holds SQLite's write lock; PostgreSQL takes advisory locks): forty
    simultaneous wrong passwords check five, not as many as got past a read. A correct password
    then turns the reserved failure into a success (:func:`login_attempt_succeeded`).
    """
    now = timezone.now()
    with transaction.atomic():
        if connection.vendor == "postgresql":
            keys = sorted({_lock_key("user:" + username_digest(username)), _lock_key(f"ip:{ip}")})
            with connection.cursor() as cursor:
                for key in keys:
                    cursor.execute("SELECT pg_advisory_xact_lock(%s)", [key])
        attempt = LoginAttempt.objects.create(
            username_digest=username_digest(username),
            ip=ip,
            attempted_at=now,
            outcome=LoginOutcome.FAILURE,
        )
        if login_locked_until(username=username, ip=ip, exclude=attempt.pk) is not None:
            attempt.outcome = LoginOutcome.REFUSED
            attempt.save(update_fields=["outcome"])
            return None
    return attempt


def login_attempt_succeeded(attempt: LoginAttempt) -> None:
    """The reserved attempt's password was right."""
    LoginAttempt.objects.filter(pk=attempt.pk).update(outcome=LoginOutcome.SUCCESS)


def _lock_key(text: str) -> int:
    """A signed 64-bit key for ``pg_advisory_xact_lock``."""
    digest = hashlib.sha256(text.encode()).digest()
    return int.from_bytes(digest[:8], "big", signed=True)


def login_attempt_record(*, username: str, ip: str | None, outcome: LoginOutcome) -> None:
    """Record one attempt, and forget attempts older than a day (they no longer count)."""
    now = timezone.now()
    with transaction.atomic():
        LoginAttempt.objects.create(
            username_digest=username_digest(username), ip=ip, attempted_at=now, outcome=outcome
        )
        LoginAttempt.objects.filter(attempted_at__lt=now - LOGIN_ATTEMPT_RETENTION).delete()
