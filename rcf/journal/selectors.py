"""Reads of the journal: an object's history, and the verification of the whole chain."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from rcf.journal.models import GENESIS_HASH, JournalEntry, JournalHead


def journal_for(obj_type: str, obj_id: object) -> QuerySet[JournalEntry]:
    """The entries about one object, oldest first (for history pages)."""
    return (
        JournalEntry.objects.filter(obj_type=obj_type, obj_id=str(obj_id))
        .select_related("actor")
        .order_by("sequence")
    )


@dataclass(frozen=True)
class JournalVerification:
    """The outcome of :func:`journal_verify`: ``broken_at`` is None when the chain holds."""

    count: int
    broken_at: int | None = None
    reason: str = ""

    @property
    def intact(self) -> bool:
        return self.broken_at is None


def journal_verify() -> JournalVerification:
    """Check every entry's hash, every link, the numbering and the head; stop at the first fault.

    * a row whose fields no longer give its hash: ``empreinte altérée``;
    * a row whose ``prev_hash`` is not the previous row's hash: ``chaînage rompu``;
    * a gap in the numbering, or fewer rows than the head counts: ``entrée manquante``;
    * more rows than the head counts, or a last hash unlike the head's: named too.
    """
    expected = 1
    prev_hash = GENESIS_HASH
    entries = JournalEntry.objects.order_by("sequence").iterator(chunk_size=2000)
    for entry in entries:
        if entry.sequence != expected:
            return JournalVerification(expected - 1, expected, "entrée manquante")
        if entry.compute_hash() != entry.hash:
            return JournalVerification(expected - 1, expected, "empreinte altérée")
        if entry.prev_hash != prev_hash:
            return JournalVerification(
                expected - 1,
                expected,
                f"chaînage rompu (l'empreinte précédente n'est pas celle de l'entrée n° "
                f"{expected - 1})",
            )
        prev_hash = entry.hash
        expected += 1
    count = expected - 1
    head = JournalHead.objects.filter(pk=1).first()
    head_count = head.count if head is not None else 0
    head_hash = head.last_hash if head is not None else GENESIS_HASH
    if head_count > count:
        return JournalVerification(
            count, count + 1, f"entrée manquante (la tête du journal compte {head_count} entrées)"
        )
    if head_count < count:
        return JournalVerification(
            count,
            head_count + 1,
            f"entrée ajoutée hors du journal (la tête du journal compte {head_count} entrées)",
        )
    if head_hash != prev_hash:
        return JournalVerification(
            count, count, "empreinte altérée (elle diffère de celle de la tête du journal)"
        )
    return JournalVerification(count)
