"""The journal: an append-only, hash-chained record of every workflow transition.

Each entry stores the hash of the previous one, and its own hash covers all its fields and that
previous hash, so altering, removing or inserting a row breaks the chain where it happened. The
single :class:`JournalHead` row holds the count and the last hash: it serialises writers (it is
locked by each append) and reveals the removal of the *last* entries, which the chain alone
cannot show.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any, NoReturn

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

#: ``prev_hash`` of the first entry.
GENESIS_HASH = "0" * 64


class JournalIsAppendOnly(Exception):
    """Raised on any attempt to change or delete journal entries through the ORM."""


def canonical_json(value: Any) -> bytes:
    """The byte form that is hashed: sorted keys, no spaces, UTF-8 (documented in docs)."""
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def canonical_timestamp(value: datetime) -> str:
    """UTC, microseconds, ``Z``: the form both SQLite and PostgreSQL give back unchanged."""
    return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


class JournalEntryQuerySet(models.QuerySet["JournalEntry"]):
    """Reads only: bulk changes and deletions are refused."""

    def update(self, **kwargs: Any) -> NoReturn:
        raise JournalIsAppendOnly("journal entries cannot be updated")

    def delete(self) -> NoReturn:
        raise JournalIsAppendOnly("journal entries cannot be deleted")


class JournalEntry(models.Model):
    """Who did what to which object, when, with the state before and after.

    Written only by ``rcf.journal.services.journal_record``. ``data`` holds the details of
    the transition (a comment, a decision, counts); never personal data beyond usernames.
    """

    sequence = models.PositiveBigIntegerField(_("numéro"), unique=True)
    recorded_at = models.DateTimeField(_("date"))
    # PROTECT: a user who appears in the journal is deactivated, never deleted, so the row
    # (and its hash, which covers actor_id) never changes.
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("auteur"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="journal_entries",
        help_text=_("Vide quand la plateforme agit seule (échéances, rappels)."),
    )
    actor_username = models.CharField(_("identifiant de l'auteur"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=100)
    obj_type = models.CharField(_("type d'objet"), max_length=50)
    obj_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    before = models.CharField(_("état avant"), max_length=50, blank=True)
    after = models.CharField(_("état après"), max_length=50, blank=True)
    data = models.JSONField(_("détails"), default=dict, blank=True)
    prev_hash = models.CharField(_("empreinte précédente"), max_length=64)
    hash = models.CharField(_("empreinte"), max_length=64, unique=True)

    objects = JournalEntryQuerySet.as_manager()

    class Meta:
        ordering = ["sequence"]
        verbose_name = _("entrée du journal")
        verbose_name_plural = _("entrées du journal")
        indexes = [models.Index(fields=["obj_type", "obj_id", "sequence"])]

    def __str__(self) -> str:
        return f"#{self.sequence} {self.action} {self.obj_type}:{self.obj_id}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # An integrity guard, not business logic: an existing entry is never written again.
        if not self._state.adding:
            raise JournalIsAppendOnly("journal entries cannot be updated")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> NoReturn:
        raise JournalIsAppendOnly("journal entries cannot be deleted")

    def hashed_fields(self) -> dict[str, Any]:
        """Every field but ``hash`` itself, in the form that is hashed."""
        return {
            "sequence": self.sequence,
            "recorded_at": canonical_timestamp(self.recorded_at),
            "actor_id": self.actor_id,
            "actor_username": self.actor_username,
            "action": self.action,
            "obj_type": self.obj_type,
            "obj_id": self.obj_id,
            "before": self.before,
            "after": self.after,
            "data": self.data,
            "prev_hash": self.prev_hash,
        }

    def compute_hash(self) -> str:
        return hashlib.sha256(canonical_json(self.hashed_fields())).hexdigest()


class JournalHead(models.Model):
    """The single row (``pk=1``) holding the number of entries and the last hash.

    Appending locks it with ``SELECT … FOR UPDATE``: two concurrent transactions can never
    chain to the same previous entry.
    """

    count = models.PositiveBigIntegerField(_("nombre d'entrées"), default=0)
    last_hash = models.CharField(_("dernière empreinte"), max_length=64, default=GENESIS_HASH)

    class Meta:
        verbose_name = _("tête du journal")
        verbose_name_plural = _("tête du journal")
        constraints = [models.CheckConstraint(condition=models.Q(pk=1), name="journalhead_single")]

    def __str__(self) -> str:
        return f"{self.count} → {self.last_hash[:12]}"


class JournalCheckpoint(models.Model):
    """A signed statement of the journal's head: "entry ``seq`` had chain hash ``hash``".

    Issued by every ``rcf tick`` (``rcf.journal.checkpoints.checkpoint_issue``) and published
    at ``/journal/checkpoint.jwt``. ``token`` is the compact JWS; ``seq``, ``hash`` and
    ``issued_at`` repeat its payload for listing only: verification always reads the signed
    payload, never these columns, which anyone with database access could rewrite.
    """

    seq = models.PositiveBigIntegerField(_("numéro de la dernière entrée"))
    hash = models.CharField(_("empreinte de la dernière entrée"), max_length=64)
    issued_at = models.DateTimeField(_("signé le"))
    kid = models.CharField(_("clé de signature"), max_length=64)
    token = models.TextField(_("jeton signé (JWS compact)"))

    class Meta:
        ordering = ["-issued_at", "-id"]
        verbose_name = _("point de contrôle du journal")
        verbose_name_plural = _("points de contrôle du journal")

    def __str__(self) -> str:
        return f"#{self.seq} {self.hash[:12]} ({self.issued_at:%Y-%m-%d %H:%M})"
