"""The signed files of the registry: certificate credentials, status lists and the JWKS.

Everything is signed when asked for, from the database as it is now: Ed25519 signatures are
deterministic, so the same certificate gives the same bytes (and the same ``ETag``) until it
changes, and there is no cache to invalidate when a certificate is suspended.
"""

from __future__ import annotations

import datetime as dt
import os
import threading
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db.models import Max
from django.utils import timezone

from rcf.certification.choices import CertificateStatus
from rcf.certification.models import Certificate
from rcf.credentials.keys import Keyring, KeyringExists, jwks, keyring_init, load_keyring
from rcf.credentials.statuslist import status_list_credential
from rcf.credentials.vc import CertificateClaims, certificate_credential
from rcf.referentiel.versions import load_scheme

STATUS_LISTS = {
    "revocation-1": ("revocation", CertificateStatus.WITHDRAWN),
    "suspension-1": ("suspension", CertificateStatus.SUSPENDED),
}
"""The published lists: id → (statusPurpose, the certificate status that sets the bit).

One list per purpose holds every certificate: a certificate's ``status_index`` is its
position in both (131,072 positions, drawn at random when it is issued)."""
REVOCATION_LIST, SUSPENSION_LIST = STATUS_LISTS

_keyring_lock = threading.Lock()
_keyring_cache: dict[str, tuple[tuple[int, int, int], Keyring]] = {}


def keyring_current() -> Keyring:
    """The signing key ring, read again only when its file changes (after ``rcf keys rotate``).

    Raises :class:`rcf.credentials.keys.KeyringError` (``KeyringMissing`` before
    ``rcf keys init``).
    """
    path = Path(settings.RCF_SIGNING_KEY_FILE)
    try:
        info = os.stat(path)
        stamp = (info.st_ino, info.st_mtime_ns, info.st_size)
    except FileNotFoundError:
        if settings.PRODUCTION:
            # In production keys are created on purpose (``rcf keys init``), never by a request.
            return load_keyring(path)  # raises KeyringMissing, saying what to do
        # A development or demonstration instance signs with a key made on first use.
        try:
            return keyring_init(path)
        except KeyringExists:  # another process made it first
            return load_keyring(path)
    with _keyring_lock:
        cached = _keyring_cache.get(str(path))
        if cached is not None and cached[0] == stamp:
            return cached[1]
        keyring = load_keyring(path)
        _keyring_cache[str(path)] = (stamp, keyring)
        return keyring


def jwks_document() -> dict[str, Any]:
    """``/.well-known/jwks.json``: the current public key and the retired ones."""
    return jwks(keyring_current())


def certificate_claims(certificate: Certificate) -> CertificateClaims:
    """What the credential of ``certificate`` says: its current validity period and scope.

    ``issued_on`` is the decision that opened the current period (``valid_from``: a decision
    takes effect the day it is taken, and a renewal starts a new period under the same number).
    """
    scope = certificate.scope
    return CertificateClaims(
        number=certificate.number,
        siren=certificate.organisation.siren,
        name=certificate.organisation.name,
        brands=tuple(scope.get("brands", [])),
        scheme=load_scheme(certificate.scheme_version).scheme,
        scheme_version=certificate.scheme_version,
        issued_on=certificate.valid_from,
        valid_from=certificate.valid_from,
        valid_until=certificate.valid_until,
        channels=tuple(scope["channels"]),
        activities=tuple(scope["activities"]),
        phases=tuple(scope["phases"]),
        sites_count=int(scope["sites"]["count"]),
        territories=tuple(scope["sites"]["territories"]),
        contributors=int(scope["contributors"]),
        revocation_index=certificate.status_index,
        suspension_index=certificate.status_index,
        revocation_list=REVOCATION_LIST,
        suspension_list=SUSPENSION_LIST,
    )


def certificate_token(certificate: Certificate) -> str:
    """``/credentials/{number}.jwt``: the certificate as a signed VC-JOSE credential."""
    return certificate_credential(
        certificate_claims(certificate),
        base_url=settings.RCF_BASE_URL,
        keyring=keyring_current(),
    )


def status_list_token(list_id: str) -> str:
    """``/status/{list_id}.jwt``: bit ``status_index`` is 1 for every certificate whose status
    is the list's (withdrawn for ``revocation-1``, suspended for ``suspension-1``).

    ``validFrom`` is the last change of any certificate's status, so the list's bytes change
    exactly when a status does.
    """
    purpose, status = STATUS_LISTS[list_id]
    indexes = Certificate.objects.filter(status=status).values_list("status_index", flat=True)
    changed = Certificate.objects.aggregate(last=Max("status_changed_at"))["last"]
    if not isinstance(changed, dt.datetime):
        changed = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
    return status_list_credential(
        list_id,
        purpose,
        list(indexes),
        base_url=settings.RCF_BASE_URL,
        keyring=keyring_current(),
        valid_from=changed,
    )
