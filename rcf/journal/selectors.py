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


def _walk(
    upto: int | None, *, after: int = 0, prev_hash: str = GENESIS_HASH
) -> tuple[int, str, JournalVerification | None]:
    """Check entries ``after + 1``, ``after + 2``, … (up to ``upto`` when given) in order,
    chaining to ``prev_hash``; stop at the first fault.

    Returns the number of entries checked in all, the last one's hash and the fault (None if
    none).
    """
    expected = after + 1
    entries = JournalEntry.objects.filter(sequence__gt=after).order_by("sequence")
    if upto is not None:
        entries = entries.filter(sequence__lte=upto)
    for entry in entries.iterator(chunk_size=2000):
        if entry.sequence != expected:
            return (
                expected - 1,
                prev_hash,
                JournalVerification(expected - 1, expected, "entrée manquante"),
            )
        if entry.compute_hash() != entry.hash:
            return (
                expected - 1,
                prev_hash,
                JournalVerification(expected - 1, expected, "empreinte altérée"),
            )
        if entry.prev_hash != prev_hash:
            return (
                expected - 1,
                prev_hash,
                JournalVerification(
                    expected - 1,
                    expected,
                    f"chaînage rompu (l'empreinte précédente n'est pas celle de l'entrée n° "
                    f"{expected - 1})",
                ),
            )
        prev_hash = entry.hash
        expected += 1
    return expected - 1, prev_hash, None


def journal_verify() -> JournalVerification:
    """Check every entry's hash, every link, the numbering and the head; stop at the first fault.

    * a row whose fields no longer give its hash: ``empreinte altérée``;
    * a row whose ``prev_hash`` is not the previous row's hash: ``chaînage rompu``;
    * a gap in the numbering, or fewer rows than the head counts: ``entrée manquante``;
    * more rows than the head counts, or a last hash unlike the head's: named too.

    Entries appended while it runs (the platform keeps working) are checked too, up to the
    head read last: a journal that grows is never reported broken.

    The chain alone cannot show a rewrite that recomputed every hash after the change, nor the
    removal of the last entries together with the head: signed checkpoints do
    (``rcf.journal.checkpoints``).
    """
    count, prev_hash, fault = _walk(None)
    while True:
        if fault is not None:
            return fault
        # Read after the entries: an entry and the head are written in one transaction, so
        # the head counts at least the entries seen. More means appended meanwhile (the
        # platform keeps working) or missing: the entries after those checked tell which.
        head = JournalHead.objects.filter(pk=1).first()
        head_count = head.count if head is not None else 0
        head_hash = head.last_hash if head is not None else GENESIS_HASH
        if head_count <= count:
            break
        count, prev_hash, fault = _walk(head_count, after=count, prev_hash=prev_hash)
        if fault is None and count < head_count:
            return JournalVerification(
                count,
                count + 1,
                f"entrée manquante (la tête du journal compte {head_count} entrées)",
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


def journal_verify_upto(seq: int, last_hash: str) -> JournalVerification:
    """Check entries 1 to ``seq`` and that entry ``seq`` has ``last_hash``.

    What a checkpoint is issued over: the head as read at one moment. Entries appended since
    are not looked at, so a journal that grows while this runs is not reported broken.
    """
    count, prev_hash, fault = _walk(seq)
    if fault is not None:
        return fault
    if count < seq:
        return JournalVerification(count, count + 1, "entrée manquante")
    if prev_hash != last_hash:
        return JournalVerification(
            count, count, "empreinte altérée (elle diffère de celle de la tête du journal)"
        )
    return JournalVerification(count)
