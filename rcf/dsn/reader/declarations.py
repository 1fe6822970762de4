"""What the reader keeps of one S20 declaration while reading it, and the summary it becomes."""

from __future__ import annotations

from rcf.dsn.reader.lines import latin1, maybe_latin1
from rcf.dsn.reader.structure import Instance
from rcf.dsn.summary import (
    DeclarationSummary,
    WorkplaceSummary,
    establishment_territory,
    territory_scheme,
    workplace_territory,
)


class Contract:
    __slots__ = ("abroad", "ended", "nature", "start", "workplace")

    def __init__(self, start: int | None, nature: bytes, workplace: bytes | None, abroad: bool):
        self.start = start
        self.nature = nature
        self.workplace = workplace
        self.abroad = abroad
        self.ended = False


class DeclarationState:
    """What one S20 declaration needs while it is read."""

    def __init__(self, instance: Instance) -> None:
        self.line = instance.line
        self.nature = instance.get(b"001") or b""
        self.type = instance.get(b"002") or b""
        self.month = ""
        self.last_day: int | None = None
        self.company_line: int | None = None
        self.siren: bytes | None = None
        self.establishment_line: int | None = None
        self.nic: bytes | None = None
        self.siret = b""
        """SIREN + NIC: the workplace of contracts without ``S21.G00.40.019``."""
        self.postal_code: bytes | None = None
        self.country: bytes | None = None
        self.individuals_started = False
        self.after_individuals = False
        self.takes_individuals = False
        """An individual may come now: establishment read, month known, no 82/85 block yet."""
        # The identifiers are the one part of the memory that grows with the declaration:
        # needed to count distinct individuals, dropped when the declaration ends.
        self.seen: set[bytes] = set()
        self.active: set[bytes] = set()
        self.workplaces: dict[bytes, list] = {}
        """workplace → [headcount, {nature: count}, working abroad]."""
        self.places: dict[bytes, tuple[bytes | None, bytes | None]] = {}
        """S21.G00.85 identifier → (code pays, INSEE commune code)."""

    def summary(self, file: str) -> DeclarationSummary:
        """The counts of the declaration once read, workplaces classified with the scheme in
        effect at the end of its month; the declaring establishment comes first."""
        siret = self.siret
        places = []
        scheme = territory_scheme(self.month)
        for workplace, (headcount, natures, abroad) in self.workplaces.items():
            if workplace in self.places:
                country, commune = self.places[workplace]
                territory = workplace_territory(
                    maybe_latin1(country), maybe_latin1(commune), scheme
                )
            elif workplace == siret:
                territory = establishment_territory(
                    maybe_latin1(self.country), maybe_latin1(self.postal_code), scheme
                )
            else:
                territory = workplace_territory(None, None, scheme)
            places.append(
                WorkplaceSummary(
                    workplace=latin1(workplace),
                    territory=territory,
                    headcount=headcount,
                    by_contract_nature={latin1(k): v for k, v in sorted(natures.items())},
                    working_abroad=abroad,
                )
            )
        places.sort(key=lambda place: (place.workplace != latin1(siret), place.workplace))
        return DeclarationSummary(
            file=file,
            siren=latin1(self.siren or b""),
            siret=latin1(siret),
            month=self.month,
            nature=latin1(self.nature),
            type=latin1(self.type),
            individuals=len(self.seen),
            workplaces=tuple(places),
            ended_before_month_end=len(self.seen) - len(self.active),
        )
