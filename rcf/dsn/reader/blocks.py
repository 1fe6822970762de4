"""The structural rules of a DSN, checked as each block instance is complete, and the
counting of individuals (référentiel §3 point 3) into the declaration's summary."""

from __future__ import annotations

import calendar
import os
from collections.abc import Callable

from rcf.dsn.reader.declarations import Contract, DeclarationState
from rcf.dsn.reader.errors import MAX_ERRORS, TooManyErrors
from rcf.dsn.reader.lines import ABROAD, ANNULMENT, dsn_date, latin1
from rcf.dsn.reader.structure import (
    AFTER_INDIVIDUALS,
    COMPANY,
    CONTRACT,
    DECLARATION,
    END,
    ENVOI,
    ESTABLISHMENT,
    ESTABLISHMENT_CHILD,
    HEADER,
    INDIVIDUAL,
    INDIVIDUAL_CHILD,
    OUTSIDE_NORM,
    TOTAL,
    WORKPLACE,
    Instance,
    category,
)
from rcf.dsn.summary import (
    DeclarationSummary,
)


class BlockRules:
    """The state of one file being read and the rules applied to each complete block
    instance. :class:`~rcf.dsn.reader.stream.DsnReader` feeds it the instances."""

    def __init__(self, name: str) -> None:
        self.name = name
        """How messages name the file (``NAME:LINE: message``)."""
        self.errors: list[tuple[int, str]] = []
        """(line, message), in the order found."""
        self.declarations: list[DeclarationSummary] = []
        self.lines = 0
        self._open: Instance | None = None
        self._decl: DeclarationState | None = None
        self._individual: tuple[bytes | None, list[Contract]] | None = None
        self._declaration_count = 0
        self._first_block = True
        self._total: Instance | None = None
        self._filler_refused = False
        self._handlers: dict[bytes, Callable[[Instance], None]] = {}

    def _error(self, line: int, message: str) -> None:
        self.errors.append((line, message))
        if len(self.errors) >= MAX_ERRORS:
            raise TooManyErrors

    # ------------------------------------------------------- block instances

    def _close(self) -> None:
        instance = self._open
        assert instance is not None
        self._open = None
        handler = self._handlers.get(instance.block)
        if handler is None:
            handler = self._handlers[instance.block] = self._handler(instance.block)
        if self._first_block:
            self._first_block = False
            if instance.block != b"S10.G00.00":
                self._error(instance.line, "l'envoi doit commencer par le bloc S10.G00.00")
        if self._total is not None and handler != self._close_total:
            self._error(instance.line, f"bloc {latin1(instance.block)} après le total S90")
            return
        handler(instance)

    def _handler(self, block: bytes) -> Callable[[Instance], None]:
        return {
            ENVOI: self._close_envoi,
            HEADER: self._close_header,
            DECLARATION: self._close_declaration,
            COMPANY: self._close_company,
            ESTABLISHMENT: self._close_establishment,
            ESTABLISHMENT_CHILD: self._close_establishment_child,
            INDIVIDUAL: self._close_individual,
            CONTRACT: self._close_contract,
            END: self._close_end,
            INDIVIDUAL_CHILD: self._close_individual_child,
            AFTER_INDIVIDUALS: self._close_after_individuals,
            WORKPLACE: self._close_workplace,
            TOTAL: self._close_total,
            OUTSIDE_NORM: self._close_outside_norm,
        }[category(block)]

    def _establishment_or_error(self, instance: Instance, what: str) -> DeclarationState | None:
        decl = self._decl
        if decl is None or decl.establishment_line is None:
            self._error(instance.line, f"{what} avant l'établissement (S21.G00.11)")
            return None
        return decl

    def _close_envoi(self, instance: Instance) -> None:
        if self._declaration_count:
            self._error(
                instance.line,
                f"bloc {latin1(instance.block)} après le début des déclarations (S20.G00.05)",
            )

    def _close_header(self, instance: Instance) -> None:
        decl = self._decl
        if decl is None or decl.company_line is not None:
            self._error(
                instance.line,
                f"bloc {latin1(instance.block)} hors de l'en-tête d'une déclaration "
                "(entre S20.G00.05 et S21.G00.06)",
            )

    def _close_declaration(self, instance: Instance) -> None:
        self._end_declaration()
        self._declaration_count += 1
        decl = self._decl = DeclarationState(instance)
        for number, what in ((b"001", "nature"), (b"002", "type")):
            if number not in instance.values:
                self._error(
                    instance.line,
                    f"{what} de la déclaration manquante (S20.G00.05.{latin1(number)})",
                )
        month = instance.get(b"005")
        if month is None:
            self._error(instance.line, "mois principal déclaré manquant (S20.G00.05.005)")
            return
        first_day = dsn_date(month)
        if first_day is None or month[:2] != b"01":
            self._error(
                instance.line_of(b"005"),
                "S20.G00.05.005 : mois principal déclaré invalide, attendu 01MMAAAA",
            )
            return
        year, month_number = first_day // 10000, first_day // 100 % 100
        decl.month = f"{year:04d}-{month_number:02d}"
        decl.last_day = first_day + calendar.monthrange(year, month_number)[1] - 1

    def _close_company(self, instance: Instance) -> None:
        decl = self._decl
        if decl is None:
            self._error(
                instance.line, "bloc entreprise S21.G00.06 hors d'une déclaration (S20.G00.05)"
            )
            return
        if decl.company_line is not None:
            self._error(instance.line, "second bloc entreprise S21.G00.06 dans la déclaration")
            return
        decl.company_line = instance.line
        siren = instance.get(b"001")
        if siren is None:
            self._error(instance.line, "SIREN manquant (S21.G00.06.001)")
        elif len(siren) != 9 or not siren.isdigit():
            self._error(
                instance.line_of(b"001"), "S21.G00.06.001 : SIREN mal formé, 9 chiffres attendus"
            )
        else:
            decl.siren = siren

    def _close_establishment(self, instance: Instance) -> None:
        decl = self._decl
        if decl is None or decl.company_line is None:
            self._error(
                instance.line, "bloc établissement S21.G00.11 avant le bloc entreprise S21.G00.06"
            )
            return
        if decl.establishment_line is not None:
            self._error(
                instance.line,
                "second bloc établissement S21.G00.11 : une déclaration a un seul établissement",
            )
            return
        decl.establishment_line = instance.line
        get = instance.get
        nic = get(b"001")
        if nic is None:
            self._error(instance.line, "NIC manquant (S21.G00.11.001)")
        elif len(nic) != 5 or not nic.isdigit():
            self._error(
                instance.line_of(b"001"), "S21.G00.11.001 : NIC mal formé, 5 chiffres attendus"
            )
        else:
            decl.nic = nic
        decl.siret = (decl.siren or b"") + (decl.nic or b"")
        decl.postal_code = get(b"004")
        decl.country = get(b"015")
        decl.takes_individuals = decl.last_day is not None

    def _close_establishment_child(self, instance: Instance) -> None:
        block = latin1(instance.block)
        decl = self._establishment_or_error(instance, f"bloc {block}")
        if decl is not None and decl.individuals_started:
            self._error(instance.line, f"bloc {block} après les individus (S21.G00.30)")

    def _close_individual(self, instance: Instance) -> None:
        decl = self._establishment_or_error(instance, "individu S21.G00.30")
        if decl is not None and decl.after_individuals:
            self._error(
                instance.line,
                "individu S21.G00.30 après les lieux de travail ou cotisations d'établissement "
                "(S21.G00.82, S21.G00.85)",
            )
        if decl is None or decl.after_individuals:
            self._individual = (None, [])  # misplaced: its contracts need no further message
            return
        self._end_individual()
        decl.individuals_started = True
        nir = instance.get(b"001")
        ntt = instance.get(b"020")
        key = b"N" + nir if nir is not None else b"T" + ntt if ntt is not None else None
        if key is None:
            self._error(instance.line, "individu sans NIR (S21.G00.30.001) ni NTT (S21.G00.30.020)")
        self._individual = (key, [])

    def _close_contract(self, instance: Instance) -> None:
        if self._individual is None:
            self._error(instance.line, "contrat S21.G00.40 hors d'un individu (S21.G00.30)")
            return
        get = instance.get
        start = get(b"001")
        start_day = dsn_date(start)
        if start is None:
            self._error(instance.line, "contrat sans date de début (S21.G00.40.001)")
        elif start_day is None:
            self._error(
                instance.line_of(b"001"), "S21.G00.40.001 : date invalide, attendu JJMMAAAA"
            )
        nature = get(b"007")
        if nature is None:
            self._error(instance.line, "contrat sans nature (S21.G00.40.007)")
            nature = b""
        abroad = get(b"024") in ABROAD
        self._individual[1].append(Contract(start_day, nature, get(b"019"), abroad))

    def _close_end(self, instance: Instance) -> None:
        individual = self._individual
        if individual is None or not individual[1]:
            self._error(
                instance.line, "fin de contrat S21.G00.62 sans contrat S21.G00.40 au-dessus"
            )
            return
        end = instance.get(b"001")
        end_day = dsn_date(end)
        if end is None:
            self._error(instance.line, "fin de contrat sans date (S21.G00.62.001)")
            return
        if end_day is None:
            self._error(
                instance.line_of(b"001"), "S21.G00.62.001 : date invalide, attendu JJMMAAAA"
            )
            return
        decl = self._decl
        # An end on the last day of the month leaves the contract active on that day: the
        # référentiel asks for no end *before* it. Motif 099 cancels an earlier end.
        last_day = decl.last_day if decl is not None else None
        if instance.get(b"002") != ANNULMENT and last_day is not None and end_day < last_day:
            individual[1][-1].ended = True

    def _close_individual_child(self, instance: Instance) -> None:
        # These blocks normally arrive as filler runs, checked in _scan; same rule here.
        if self._individual is None:
            self._error(
                instance.line, f"bloc {latin1(instance.block)} hors d'un individu (S21.G00.30)"
            )

    def _close_after_individuals(self, instance: Instance) -> None:
        decl = self._establishment_or_error(instance, f"bloc {latin1(instance.block)}")
        if decl is not None:
            self._end_individual()
            decl.after_individuals = True
            decl.takes_individuals = False

    def _close_workplace(self, instance: Instance) -> None:
        decl = self._establishment_or_error(instance, "lieu de travail S21.G00.85")
        if decl is None:
            return
        self._end_individual()
        decl.after_individuals = True
        decl.takes_individuals = False
        identifier = instance.get(b"001")
        if identifier is None:
            self._error(instance.line, "lieu de travail sans identifiant (S21.G00.85.001)")
            return
        decl.places.setdefault(identifier, (instance.get(b"006"), instance.get(b"011")))

    def _close_total(self, instance: Instance) -> None:
        if self._total is not None:
            self._error(instance.line, "second bloc total de l'envoi S90.G00.90")
            return
        self._end_declaration()
        self._total = instance

    def _close_outside_norm(self, instance: Instance) -> None:
        self._error(
            instance.line,
            f"bloc {latin1(instance.block)} hors de la structure de la norme "
            "(S10, S20, S21, S90 en G00)",
        )

    # ----------------------------------------------------------- conclusions

    def _end_individual(self) -> None:
        """Count the individual that just ended (référentiel §3 point 3)."""
        individual, self._individual = self._individual, None
        decl = self._decl
        if individual is None or decl is None:
            return
        key, contracts = individual
        if key is None:
            return
        decl.seen.add(key)
        last_day = decl.last_day
        if key in decl.active or last_day is None:
            return
        for contract in contracts:
            if contract.start is not None and contract.start <= last_day and not contract.ended:
                break
        else:
            return
        decl.active.add(key)
        workplace = contract.workplace or decl.siret
        counts = decl.workplaces.get(workplace)
        if counts is None:
            counts = decl.workplaces[workplace] = [0, {}, 0]
        counts[0] += 1
        counts[1][contract.nature] = counts[1].get(contract.nature, 0) + 1
        counts[2] += contract.abroad

    def _end_declaration(self) -> None:
        if self._open is not None:
            self._close()
        self._end_individual()
        decl, self._decl = self._decl, None
        if decl is None:
            return
        if decl.company_line is None:
            self._error(decl.line, "déclaration sans bloc entreprise S21.G00.06")
        if decl.establishment_line is None:
            self._error(decl.line, "déclaration sans bloc établissement S21.G00.11")
        if self.errors:
            return  # the file is rejected: no need for its summary
        self.declarations.append(decl.summary(os.path.basename(self.name)))

    def _finish(self) -> None:
        self._end_declaration()
        last_line = max(self.lines, 1)
        if self.lines == 0:
            self._error(1, "fichier vide : aucune rubrique")
            return
        if self._declaration_count == 0:
            self._error(last_line, "aucune déclaration (S20.G00.05) dans l'envoi")
        total = self._total
        if total is None:
            self._error(last_line, "fin du fichier sans total de l'envoi (S90.G00.90)")
            return
        self._check_total(total, b"001", self.lines, "rubriques")
        self._check_total(total, b"002", self._declaration_count, "déclarations")

    def _check_total(self, total: Instance, number: bytes, actual: int, what: str) -> None:
        rubrique = f"S90.G00.90.{latin1(number)}"
        value = total.get(number)
        if value is None:
            self._error(total.line, f"total de l'envoi sans {rubrique}")
        elif not value.isdigit():
            self._error(total.line_of(number), f"{rubrique} : nombre attendu")
        elif int(value) != actual:
            self._error(
                total.line_of(number),
                f"{rubrique} annonce {int(value)} {what}, l'envoi en compte {actual}",
            )
