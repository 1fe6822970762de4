"""The signing key ring: one current Ed25519 private key and the public keys it replaced.

The ring is a JSON file at ``settings.RCF_SIGNING_KEY_FILE``, never in the database and never
logged. It is created with mode 0600 and always written whole to a temporary file that is then
renamed over the old one, so a crash never leaves half a ring. A ring that other users could
read is refused: its private key must be assumed stolen.

After a rotation only the *public* part of the old key is kept: credentials it signed must
still verify (the JWKS keeps publishing it), but nothing may be signed with it any more, so its
private part has no reason to exist.

File format (``rcf-signing-keys/1``)::

    {"format": "rcf-signing-keys/1",
     "current": {"kid": "…", "created_at": "2026-03-13T09:00:00Z",
                 "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "…", "d": "…"}},
     "retired": [{"kid": "…", "created_at": "…", "retired_at": "…",
                  "jwk": {"kty": "OKP", "crv": "Ed25519", "x": "…"}}]}

``kid`` is the RFC 7638 JWK thumbprint (SHA-256, base64url) of the public key.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import os
import secrets
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Final

from joserfc.errors import JoseError
from joserfc.jwk import OKPKey

FORMAT = "rcf-signing-keys/1"
ALGORITHM = "EdDSA"
CURVE: Final = "Ed25519"
PUBLIC_MEMBERS = ("kty", "crv", "x")


class KeyringError(Exception):
    """The key ring cannot be used as asked; the message says why and what to do."""


class KeyringMissing(KeyringError):
    pass


class KeyringExists(KeyringError):
    pass


@dataclass(frozen=True)
class CurrentKey:
    """The key that signs. ``key`` holds the private part: it is kept out of ``repr``."""

    kid: str
    created_at: dt.datetime
    key: OKPKey = field(repr=False)


@dataclass(frozen=True)
class RetiredKey:
    """A key replaced by a rotation: public part only, still published to verify old credentials."""

    kid: str
    created_at: dt.datetime
    retired_at: dt.datetime
    public_jwk: dict[str, str]


@dataclass(frozen=True)
class Keyring:
    current: CurrentKey
    retired: tuple[RetiredKey, ...] = ()
    """Newest first."""


def _utcnow() -> dt.datetime:
    return dt.datetime.now(dt.UTC).replace(microsecond=0)


def _timestamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _new_key(now: dt.datetime) -> CurrentKey:
    key = OKPKey.generate_key(CURVE, private=True)
    return CurrentKey(kid=key.thumbprint(), created_at=now, key=key)


def public_jwk(key: OKPKey) -> dict[str, str]:
    """The public members of an Ed25519 key (``kty``, ``crv``, ``x``), nothing else."""
    data = key.as_dict(private=False)
    return {name: str(data[name]) for name in PUBLIC_MEMBERS}


def jwks(keyring: Keyring) -> dict[str, Any]:
    """The JSON Web Key Set to publish at ``/.well-known/jwks.json``: public keys only.

    The current key comes first, then the retired ones, newest first: a credential signed
    before a rotation keeps verifying.
    """
    entries = [(keyring.current.kid, public_jwk(keyring.current.key))]
    entries += [(old.kid, old.public_jwk) for old in keyring.retired]
    return {"keys": [{**jwk, "kid": kid, "alg": ALGORITHM, "use": "sig"} for kid, jwk in entries]}


# --- reading ---------------------------------------------------------------------------------


def _parse_time(value: Any, where: str) -> dt.datetime:
    try:
        moment = dt.datetime.fromisoformat(value)
    except (TypeError, ValueError):
        raise KeyringError(f"{where} : date illisible {value!r}") from None
    if moment.tzinfo is None:
        raise KeyringError(f"{where} : date sans fuseau horaire {value!r}")
    return moment


def _import_key(jwk: Any, kid: Any, where: str, *, private: bool) -> OKPKey:
    if not isinstance(jwk, dict) or jwk.get("kty") != "OKP" or jwk.get("crv") != CURVE:
        raise KeyringError(f"{where} : clé attendue de type OKP / {CURVE}")
    if private != ("d" in jwk):
        if private:
            raise KeyringError(f"{where} : la clé courante n'a pas de partie privée")
        raise KeyringError(
            f"{where} : une clé retirée ne doit garder que sa partie publique (« d » présent)"
        )
    try:
        key = OKPKey.import_key(jwk)
    except (JoseError, ValueError, TypeError) as exc:
        raise KeyringError(f"{where} : clé illisible ({type(exc).__name__})") from None
    if kid != key.thumbprint():
        raise KeyringError(f"{where} : le kid ne correspond pas à l'empreinte RFC 7638 de la clé")
    return key


def _check_mode(path: Path) -> None:
    mode = stat.S_IMODE(path.stat().st_mode)
    if mode & 0o077:
        raise KeyringError(
            f"{path} : trousseau de clés accessible à d'autres utilisateurs (mode {mode:04o}). "
            "Sa clé privée doit être considérée comme compromise : corrigez avec "
            f"« chmod 600 {path} » puis remplacez la clé avec « rcf keys rotate »."
        )


def load_keyring(path: Path) -> Keyring:
    """Read and check the ring: mode 0600, known format, every ``kid`` its key's thumbprint."""
    path = Path(path)
    if not path.exists():
        raise KeyringMissing(
            f"{path} : pas de trousseau de clés ; créez-le avec « rcf keys init »."
        )
    _check_mode(path)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError):
        raise KeyringError(f"{path} : le trousseau n'est pas un JSON lisible") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT:
        raise KeyringError(f"{path} : format attendu « {FORMAT} »")
    current = data.get("current")
    retired = data.get("retired", [])
    if not isinstance(current, dict) or not isinstance(retired, list):
        raise KeyringError(f"{path} : « current » (objet) et « retired » (liste) attendus")
    where = f"{path} (clé courante)"
    key = _import_key(current.get("jwk"), current.get("kid"), where, private=True)
    ring_current = CurrentKey(
        kid=key.thumbprint(), created_at=_parse_time(current.get("created_at"), where), key=key
    )
    olds: list[RetiredKey] = []
    for position, entry in enumerate(retired):
        where = f"{path} (clé retirée n° {position + 1})"
        if not isinstance(entry, dict):
            raise KeyringError(f"{where} : objet attendu")
        old = _import_key(entry.get("jwk"), entry.get("kid"), where, private=False)
        olds.append(
            RetiredKey(
                kid=old.thumbprint(),
                created_at=_parse_time(entry.get("created_at"), where),
                retired_at=_parse_time(entry.get("retired_at"), where),
                public_jwk=public_jwk(old),
            )
        )
    return Keyring(current=ring_current, retired=tuple(olds))


# --- writing ---------------------------------------------------------------------------------


def _serialize(keyring: Keyring) -> bytes:
    current = keyring.current
    private = current.key.as_dict(private=True)
    data = {
        "format": FORMAT,
        "current": {
            "kid": current.kid,
            "created_at": _timestamp(current.created_at),
            "jwk": {name: private[name] for name in (*PUBLIC_MEMBERS, "d")},
        },
        "retired": [
            {
                "kid": old.kid,
                "created_at": _timestamp(old.created_at),
                "retired_at": _timestamp(old.retired_at),
                "jwk": old.public_jwk,
            }
            for old in keyring.retired
        ],
    }
    return (json.dumps(data, indent=2) + "\n").encode("utf-8")


def _write_temporary(path: Path, content: bytes) -> Path:
    """Write ``content`` to a new mode-0600 file beside ``path`` and flush it to disk."""
    path.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(6)}.tmp")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as handle:
            os.fchmod(handle.fileno(), 0o600)  # whatever the umask
            handle.write(content)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _sync_directory(directory: Path) -> None:
    # The rename is durable only once the directory entry is on disk.
    with contextlib.suppress(OSError):
        fd = os.open(directory, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def keyring_init(path: Path, *, now: dt.datetime | None = None) -> Keyring:
    """Create a ring with one new key; refuse to replace an existing ring (that would lose
    the public keys that verify the credentials already issued)."""
    path = Path(path)
    keyring = Keyring(current=_new_key(now or _utcnow()))
    temporary = _write_temporary(path, _serialize(keyring))
    try:
        # link() fails if the name exists, so two concurrent inits cannot both win.
        os.link(temporary, path)
    except FileExistsError:
        raise KeyringExists(
            f"{path} : un trousseau existe déjà ; « rcf keys rotate » le fait tourner."
        ) from None
    finally:
        temporary.unlink(missing_ok=True)
    _sync_directory(path.parent)
    return keyring


def keyring_rotate(path: Path, *, now: dt.datetime | None = None) -> Keyring:
    """Replace the current key by a new one; the old key's public part joins the retired keys
    and its private part is dropped."""
    path = Path(path)
    now = now or _utcnow()
    old = load_keyring(path)
    retired = RetiredKey(
        kid=old.current.kid,
        created_at=old.current.created_at,
        retired_at=now,
        public_jwk=public_jwk(old.current.key),
    )
    keyring = Keyring(current=_new_key(now), retired=(retired, *old.retired))
    temporary = _write_temporary(path, _serialize(keyring))
    os.replace(temporary, path)
    _sync_directory(path.parent)
    return keyring
