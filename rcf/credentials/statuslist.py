"""W3C Bitstring Status List v1.0: the revocation and suspension lists of the certificates.

Each certificate credential holds one entry per purpose: a list and an index in it. The list
is published as a signed credential at ``/status/{list}.jwt``; the certificate is revoked
(withdrawn) or suspended when its bit is 1.

Encoding (Bitstring Status List v1.0 §4): the bitstring holds at least 131,072 bits (16 KB);
bit 0 is the left-most, most significant bit of the first byte; ``encodedList`` is the
multibase base64url form (prefix ``u``, no padding) of the GZIP of those bytes.
"""

from __future__ import annotations

import base64
import datetime as dt
import gzip
import re
import secrets
import zlib
from collections.abc import Collection, Iterable
from typing import Any

from rcf.credentials.keys import Keyring
from rcf.credentials.signing import VC_CONTEXT, issuer_of, sign_vc_jwt, xml_datetime

LIST_SIZE = 131_072
"""Bits per list: the minimum the standard allows, and enough for every certificate of a
list (a new list is opened every 131,072 certificates: ``revocation-2``…)."""
PURPOSES = ("revocation", "suspension")
LIST_ID = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")
MAX_DECODED_BYTES = 16 * 1024 * 1024
"""Refuse to inflate more than this: a hostile list must not exhaust memory."""


class StatusListError(ValueError):
    """An encoded list or a status list argument is not valid."""


def status_list_url(base_url: str, list_id: str) -> str:
    """Where the list is published: ``{base_url}/status/{list_id}.jwt``."""
    if not LIST_ID.fullmatch(list_id):
        raise StatusListError(f"identifiant de liste {list_id!r} : [a-z0-9-] attendu")
    return f"{base_url.rstrip('/')}/status/{list_id}.jwt"


def _check_size(size: int) -> None:
    if size < LIST_SIZE or size % 8:
        raise StatusListError(
            f"taille {size} : un multiple de 8 d'au moins {LIST_SIZE} bits est exigé"
        )


def encode_bitstring(set_indexes: Iterable[int], size: int = LIST_SIZE) -> str:
    """The ``encodedList`` of a bitstring of ``size`` bits where exactly ``set_indexes`` are 1.

    Deterministic: the GZIP header carries no timestamp, so the same set gives the same text.
    """
    _check_size(size)
    bits = bytearray(size // 8)
    for index in set_indexes:
        if not 0 <= index < size:
            raise StatusListError(f"index {index} hors de la liste (0 à {size - 1})")
        bits[index // 8] |= 0x80 >> (index % 8)
    compressed = gzip.compress(bytes(bits), compresslevel=9, mtime=0)
    return "u" + base64.urlsafe_b64encode(compressed).decode("ascii").rstrip("=")


def decode_bitstring(encoded: str) -> bytes:
    """The bitstring bytes of an ``encodedList``; :class:`StatusListError` if it is malformed
    or shorter than the standard's 16 KB."""
    if not encoded.startswith("u"):
        raise StatusListError("encodedList : préfixe multibase « u » (base64url) attendu")
    body = encoded[1:]
    if not re.fullmatch(r"[A-Za-z0-9_-]*", body):
        raise StatusListError("encodedList : caractères base64url sans remplissage attendus")
    try:
        compressed = base64.urlsafe_b64decode(body + "=" * (-len(body) % 4))
        inflater = zlib.decompressobj(wbits=31)  # 31: GZIP framing
        bits = inflater.decompress(compressed, MAX_DECODED_BYTES)
    except (ValueError, zlib.error) as exc:
        raise StatusListError(f"encodedList : GZIP base64url illisible ({exc})") from None
    if inflater.unconsumed_tail:
        raise StatusListError(f"encodedList : liste de plus de {MAX_DECODED_BYTES} octets")
    if not inflater.eof:
        raise StatusListError("encodedList : flux GZIP tronqué")
    if len(bits) * 8 < LIST_SIZE:
        raise StatusListError(
            f"encodedList : {len(bits) * 8} bits, la norme en exige au moins {LIST_SIZE}"
        )
    return bits


def bit_is_set(encoded: str, index: int) -> bool:
    """Whether bit ``index`` of an ``encodedList`` is 1 (the certificate is revoked/suspended)."""
    bits = decode_bitstring(encoded)
    if not 0 <= index < len(bits) * 8:
        raise StatusListError(f"index {index} hors de la liste (0 à {len(bits) * 8 - 1})")
    return bool(bits[index // 8] & (0x80 >> (index % 8)))


def random_free_index(used: Collection[int], *, size: int = LIST_SIZE) -> int:
    """A random index of the list that ``used`` does not hold yet.

    Random rather than sequential (Bitstring Status List §6.3, group privacy): an index reveals
    nothing about when or in which order a certificate was issued. Raises
    :class:`StatusListError` when the list is full: open the next list.
    """
    _check_size(size)
    if len(used) >= size:
        raise StatusListError(f"liste pleine ({size} index) : ouvrez la liste suivante")
    # At most a few draws while the list is less than half full; then pick among the rest.
    for _ in range(64):
        index = secrets.randbelow(size)
        if index not in used:
            return index
    free = sorted(set(range(size)) - set(used))
    return free[secrets.randbelow(len(free))]


def status_list_document(
    list_id: str,
    purpose: str,
    set_indexes: Iterable[int],
    *,
    base_url: str,
    valid_from: dt.datetime,
    valid_until: dt.datetime | None = None,
) -> dict[str, Any]:
    """The unsigned ``BitstringStatusListCredential`` (see :func:`status_list_credential`)."""
    if purpose not in PURPOSES:
        raise StatusListError(f"statusPurpose {purpose!r} : {' ou '.join(PURPOSES)} attendu")
    url = status_list_url(base_url, list_id)
    credential: dict[str, Any] = {
        "@context": [VC_CONTEXT],
        "id": url,
        "type": ["VerifiableCredential", "BitstringStatusListCredential"],
        "issuer": issuer_of(base_url),
        "validFrom": xml_datetime(valid_from),
    }
    if valid_until is not None:
        credential["validUntil"] = xml_datetime(valid_until)
    credential["credentialSubject"] = {
        "id": f"{url}#list",
        "type": "BitstringStatusList",
        "statusPurpose": purpose,
        "encodedList": encode_bitstring(set_indexes),
    }
    return credential


def status_list_credential(
    list_id: str,
    purpose: str,
    set_indexes: Iterable[int],
    *,
    base_url: str,
    keyring: Keyring,
    valid_from: dt.datetime,
    valid_until: dt.datetime | None = None,
) -> str:
    """The signed status list credential (compact JWS, ``typ: vc+jwt``) to serve at
    ``/status/{list_id}.jwt``: bit *i* is 1 exactly when *i* is in ``set_indexes``.

    ``valid_from`` is when the list was produced (sign it anew when a bit changes or on each
    request); ``valid_until``, if given, tells verifiers when to stop trusting a cached copy.
    """
    document = status_list_document(
        list_id,
        purpose,
        set_indexes,
        base_url=base_url,
        valid_from=valid_from,
        valid_until=valid_until,
    )
    return sign_vc_jwt(document, keyring=keyring)
