"""Queue and deliver e-mails."""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.utils import timezone

from rcf.notifications.models import OutgoingEmail

logger = logging.getLogger(__name__)
_paused = threading.local()


@contextlib.contextmanager
def deliveries_paused() -> Iterator[None]:
    """Queue e-mails without sending them at commit (demonstration data, imports)."""
    _paused.on = True
    try:
        yield
    finally:
        _paused.on = False


MAX_ATTEMPTS = 5


def email_queue(
    *, to: Iterable[str], subject: str, body: str, key: str | None = None
) -> OutgoingEmail | None:
    """Queue an e-mail; with a ``key``, only once ever (``None`` when it was already queued).

    Called inside the caller's transaction. Delivery happens after the commit (and again by
    ``rcf tick`` for anything still unsent), never inside the transaction.
    """
    recipients = sorted({address for address in to if address})
    if not recipients:
        return None
    if key is not None:
        try:
            with transaction.atomic():
                email = OutgoingEmail.objects.create(
                    key=key, to=recipients, subject=subject, body=body
                )
        except IntegrityError:
            return None
    else:
        email = OutgoingEmail.objects.create(to=recipients, subject=subject, body=body)
    if not getattr(_paused, "on", False):
        transaction.on_commit(emails_deliver)
    return email


def emails_deliver() -> int:
    """Send every queued e-mail not sent yet; returns how many went out."""
    sent = 0
    pending = OutgoingEmail.objects.filter(sent_at__isnull=True, attempts__lt=MAX_ATTEMPTS)
    for email in pending.order_by("id"):
        # Claim it first so two processes never send the same e-mail.
        claimed = OutgoingEmail.objects.filter(pk=email.pk, sent_at__isnull=True).update(
            sent_at=timezone.now(), attempts=email.attempts + 1
        )
        if not claimed:
            continue
        try:
            # One message per recipient: a company never sees the certification body's
            # addresses, nor the reverse.
            for address in email.to:
                EmailMessage(
                    subject=email.subject,
                    body=email.body,
                    from_email=settings.DEFAULT_FROM_EMAIL,
                    to=[address],
                ).send()
        except Exception as exc:  # any transport failure: keep it for the next tick
            OutgoingEmail.objects.filter(pk=email.pk).update(
                sent_at=None, last_error=type(exc).__name__
            )
            logger.warning("e-mail %s not sent: %s", email.pk, type(exc).__name__)
            continue
        sent += 1
    return sent


def organisation_addresses(organisation_id: int) -> list[str]:
    """The e-mail addresses of an organisation's active users."""
    from rcf.accounts.models import User

    return sorted(
        User.objects.filter(organisation_id=organisation_id, is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )


def role_addresses(role: str) -> list[str]:
    """The e-mail addresses of the active users holding ``role``."""
    from rcf.accounts.models import User

    return sorted(
        User.objects.with_role(role)
        .filter(is_active=True)
        .exclude(email="")
        .values_list("email", flat=True)
    )
