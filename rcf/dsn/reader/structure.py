"""Where blocks stand in a DSN (CT: numbered blocks, siblings in increasing order) and the
block instance being read."""

from __future__ import annotations

from rcf.dsn.reader.lines import value_of

# Where a block may stand. Checked when a block instance is complete.
ENVOI, HEADER, DECLARATION, COMPANY, ESTABLISHMENT = range(5)
ESTABLISHMENT_CHILD, INDIVIDUAL, CONTRACT, END, INDIVIDUAL_CHILD = range(5, 10)
AFTER_INDIVIDUALS, WORKPLACE, TOTAL, OUTSIDE_NORM = range(10, 14)


def category(block: bytes) -> int:
    """Where a block stands in the structure (CT: numbered blocks, siblings in increasing
    order; the norm adds blocks every year, so unknown numbers take their range's place)."""
    level, group, number = block[:3], block[4:7], int(block[8:10])
    if group != b"G00":
        return OUTSIDE_NORM
    if level == b"S10":
        return ENVOI
    if level == b"S20":
        return DECLARATION if number == 5 else HEADER
    if level == b"S90":
        return TOTAL if number == 90 else OUTSIDE_NORM
    if level != b"S21":
        return OUTSIDE_NORM
    fixed = {6: COMPANY, 11: ESTABLISHMENT, 30: INDIVIDUAL, 40: CONTRACT, 62: END}
    fixed |= {82: AFTER_INDIVIDUALS, 85: WORKPLACE}
    if number in fixed:
        return fixed[number]
    if 12 <= number <= 29:
        return ESTABLISHMENT_CHILD
    if number >= 31:
        return INDIVIDUAL_CHILD
    return OUTSIDE_NORM


class Instance:
    """One block instance being read: its lines so far, by rubrique number."""

    __slots__ = ("block", "last", "line", "segments", "values")

    def __init__(self, block: bytes, line: int, values: dict[bytes, bytes], last: bytes) -> None:
        self.block = block
        self.line = line
        self.values = values
        self.last = last
        self.segments: list[tuple[int, int]] | None = None
        """(index of the first rubrique, its line) of each run after the first: an instance
        interrupted by a malformed line or a read boundary continues in a later run."""

    def get(self, number: bytes) -> bytes | None:
        """The value of one of its rubriques (``019`` …), or ``None`` when absent."""
        line = self.values.get(number)
        return None if line is None else value_of(line)

    def line_of(self, number: bytes) -> int:
        """Line of one of its rubriques, for messages."""
        index = list(self.values).index(number)
        first, line = 0, self.line
        for start, start_line in self.segments or ():
            if start <= index:
                first, line = start, start_line
        return line + index - first
