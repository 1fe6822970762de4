"""A malformed DSN is rejected whole, with ``FILE:LINE: message`` for each problem (dsn.md §3).

Each fixture is ``minimal.dsn`` (valid: two individuals, one workplace block) with one thing
broken; some are CRLF, all Latin-1.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from rcf.dsn import DsnFileError, read_dsn, read_dsn_files
from rcf.dsn.reader import MAX_ERRORS, DsnReader

FIXTURES = Path(__file__).parent / "fixtures"
VALUE = "attendu ,'valeur'"
LINE = "ligne mal formée : attendu Sxx.Gxx.xx.xxx,'valeur'"

CASES = {
    # line syntax
    "syntax-no-quotes.dsn": [(11, f"S21.G00.30.002 : valeur mal délimitée, {VALUE}")],
    "syntax-unclosed-value.dsn": [(11, f"S21.G00.30.002 : valeur mal délimitée, {VALUE}")],
    "syntax-bad-rubrique.dsn": [(11, LINE)],
    "syntax-empty-line.dsn": [(12, "ligne vide")],
    "empty-value.dsn": [(11, "S21.G00.30.002 : valeur vide")],
    "record-too-long.dsn": [(11, "enregistrement de 267 caractères, au-delà des 256 permis")],
    # block order
    "not-starting-with-envoi.dsn": [(1, "l'envoi doit commencer par le bloc S10.G00.00")],
    "envoi-after-declaration.dsn": [
        (7, "bloc S10.G00.02 après le début des déclarations (S20.G00.05)")
    ],
    "establishment-before-company.dsn": [
        (4, "déclaration sans bloc établissement S21.G00.11"),
        (7, "bloc établissement S21.G00.11 avant le bloc entreprise S21.G00.06"),
        (10, "individu S21.G00.30 avant l'établissement (S21.G00.11)"),
        (16, "individu S21.G00.30 avant l'établissement (S21.G00.11)"),
        (25, "lieu de travail S21.G00.85 avant l'établissement (S21.G00.11)"),
    ],
    "second-establishment.dsn": [
        (10, "second bloc établissement S21.G00.11 : une déclaration a un seul établissement")
    ],
    "individual-before-establishment.dsn": [
        (8, "individu S21.G00.30 avant l'établissement (S21.G00.11)")
    ],
    "contract-before-individual.dsn": [(10, "contrat S21.G00.40 hors d'un individu (S21.G00.30)")],
    "pay-before-individual.dsn": [(10, "bloc S21.G00.50 hors d'un individu (S21.G00.30)")],
    "end-without-contract.dsn": [
        (18, "fin de contrat S21.G00.62 sans contrat S21.G00.40 au-dessus")
    ],
    "individual-after-workplace.dsn": [
        (
            18,
            "individu S21.G00.30 après les lieux de travail ou cotisations d'établissement "
            "(S21.G00.82, S21.G00.85)",
        )
    ],
    "line-after-total.dsn": [(29, "bloc S21.G00.85 après le total S90")],
    "outside-norm.dsn": [
        (4, "bloc S30.G00.00 hors de la structure de la norme (S10, S20, S21, S90 en G00)")
    ],
    "header-out-of-place.dsn": [
        (
            8,
            "bloc S20.G00.07 hors de l'en-tête d'une déclaration (entre S20.G00.05 et S21.G00.06)",
        )
    ],
    "second-company.dsn": [(8, "second bloc entreprise S21.G00.06 dans la déclaration")],
    "establishment-block-after-individuals.dsn": [
        (16, "bloc S21.G00.20 après les individus (S21.G00.30)")
    ],
    "second-total.dsn": [(29, "second bloc total de l'envoi S90.G00.90")],
    "no-declaration.dsn": [(5, "aucune déclaration (S20.G00.05) dans l'envoi")],
    # missing or malformed identifiers and dates
    "missing-declaration-nature.dsn": [(4, "nature de la déclaration manquante (S20.G00.05.001)")],
    "missing-siren.dsn": [(7, "SIREN manquant (S21.G00.06.001)")],
    "malformed-siren.dsn": [(7, "S21.G00.06.001 : SIREN mal formé, 9 chiffres attendus")],
    "missing-nic.dsn": [(8, "NIC manquant (S21.G00.11.001)")],
    "missing-nir-and-ntt.dsn": [(10, "individu sans NIR (S21.G00.30.001) ni NTT (S21.G00.30.020)")],
    "contract-without-start.dsn": [(12, "contrat sans date de début (S21.G00.40.001)")],
    "contract-without-nature.dsn": [(12, "contrat sans nature (S21.G00.40.007)")],
    "invalid-start-date.dsn": [(12, "S21.G00.40.001 : date invalide, attendu JJMMAAAA")],
    "invalid-end-date.dsn": [(21, "S21.G00.62.001 : date invalide, attendu JJMMAAAA")],
    "invalid-month.dsn": [
        (6, "S20.G00.05.005 : mois principal déclaré invalide, attendu 01MMAAAA")
    ],
    "workplace-without-identifier.dsn": [(25, "lieu de travail sans identifiant (S21.G00.85.001)")],
    # totals
    "total-mismatch.dsn": [(27, "S90.G00.90.001 annonce 27 rubriques, l'envoi en compte 28")],
    "declarations-mismatch.dsn": [
        (28, "S90.G00.90.002 annonce 2 déclarations, l'envoi en compte 1")
    ],
    "missing-total.dsn": [(26, "fin du fichier sans total de l'envoi (S90.G00.90)")],
    "total-not-a-number.dsn": [(27, "S90.G00.90.001 : nombre attendu")],
    "total-without-count.dsn": [(27, "total de l'envoi sans S90.G00.90.001")],
}


def read_bytes(data: bytes, *, chunk_size: int = 1 << 20) -> list:
    return DsnReader("x.dsn", chunk_size=chunk_size).read(io.BytesIO(data))


def test_it_reads_the_valid_base_of_the_error_fixtures() -> None:
    """The fixtures below break ``minimal.dsn`` in one place; it is valid itself."""
    (summary,) = read_dsn(FIXTURES / "minimal.dsn")
    assert (summary.individuals, summary.ended_before_month_end) == (2, 1)


@pytest.mark.parametrize("name", sorted(CASES))
def test_it_rejects_a_malformed_file_with_located_errors(name: str) -> None:
    """Every structural control of dsn.md §3 names the file and the line, in line order,
    and no summary is produced."""
    path = FIXTURES / name
    with pytest.raises(DsnFileError) as caught:
        read_dsn(path)
    assert caught.value.errors == [f"{path}:{line}: {message}" for line, message in CASES[name]]


def test_it_accepts_a_record_of_exactly_256_characters() -> None:
    """256 characters is the limit, not over it; 257 is refused."""
    base = (FIXTURES / "minimal.dsn").read_bytes()
    name_line = b"S21.G00.30.002,'MARTIN'"
    longest = b"S21.G00.30.002,'" + b"A" * 239 + b"'"
    assert len(longest) == 256
    assert read_bytes(base.replace(name_line, longest))[0].individuals == 2
    with pytest.raises(DsnFileError) as caught:
        read_bytes(base.replace(name_line, longest[:-1] + b"A'"))
    assert caught.value.errors == [
        "x.dsn:11: enregistrement de 257 caractères, au-delà des 256 permis"
    ]


def test_it_takes_the_value_up_to_the_last_apostrophe() -> None:
    """``'O'CONNOR'`` is a value with an apostrophe inside; ``'D'ARTAGNAN''`` one ending with
    an apostrophe; text after the last apostrophe is a malformed line."""
    base = (FIXTURES / "minimal.dsn").read_bytes()
    assert read_bytes(base.replace(b"'MARTIN'", b"'D'ARTAGNAN''"))[0].individuals == 2
    with pytest.raises(DsnFileError) as caught:
        read_bytes(base.replace(b"'MARTIN'", b"'MARTIN' X"))
    assert caught.value.errors == [f"x.dsn:11: S21.G00.30.002 : valeur mal délimitée, {VALUE}"]


def test_it_reports_an_empty_file() -> None:
    """An empty file is not a DSN."""
    with pytest.raises(DsnFileError) as caught:
        read_bytes(b"")
    assert caught.value.errors == ["x.dsn:1: fichier vide : aucune rubrique"]


def test_it_stops_at_one_hundred_errors() -> None:
    """A file full of garbage gives the first 100 errors, not one per line."""
    data = b"not a rubrique\n" * 1000
    with pytest.raises(DsnFileError) as caught:
        read_bytes(data, chunk_size=4096)
    assert len(caught.value.errors) == MAX_ERRORS == 100
    assert caught.value.errors[0] == f"x.dsn:1: {LINE}"
    assert caught.value.errors[-1] == f"x.dsn:100: {LINE}"


def test_it_reports_a_huge_line_without_holding_it() -> None:
    """A line longer than the read buffer is reported and skipped, and the line numbers after
    it stay right."""
    base = (FIXTURES / "minimal.dsn").read_bytes()
    data = base.replace(b"'MARTIN'", b"'" + b"M" * 300_000 + b"'")
    with pytest.raises(DsnFileError) as caught:
        read_bytes(data, chunk_size=4096)
    assert caught.value.errors == ["x.dsn:11: enregistrement de plus de 65536 caractères"]


def test_it_skips_unknown_rubriques_and_blocks_inside_the_structure() -> None:
    """The norm grows every year: an unknown rubrique of a known block, or an unknown block
    numbered among the individual's blocks, is skipped."""
    base = (FIXTURES / "minimal.dsn").read_text("latin-1")
    text = base.replace(
        "S21.G00.30.002,'MARTIN'\n",
        "S21.G00.30.002,'MARTIN'\nS21.G00.30.098,'nouveau'\n",
    ).replace("S21.G00.50.001,'30092026'\n", "S21.G00.50.001,'30092026'\nS21.G00.97.001,'X'\n")
    text = text.replace("S90.G00.90.001,'28'", "S90.G00.90.001,'30'")
    assert read_bytes(text.encode("latin-1"))[0].as_dict() == read_dsn(FIXTURES / "minimal.dsn")[
        0
    ].as_dict() | {"file": "x.dsn"}


def test_it_reports_every_malformed_file_of_several() -> None:
    """Several files: one error list for all of them, nothing from the valid ones."""
    with pytest.raises(DsnFileError) as caught:
        read_dsn_files(
            [
                FIXTURES / "minimal.dsn",
                FIXTURES / "empty-value.dsn",
                FIXTURES / "missing-nic.dsn",
                FIXTURES / "does-not-exist.dsn",
            ]
        )
    assert caught.value.errors == [
        f"{FIXTURES / 'empty-value.dsn'}:11: S21.G00.30.002 : valeur vide",
        f"{FIXTURES / 'missing-nic.dsn'}:8: NIC manquant (S21.G00.11.001)",
        f"{FIXTURES / 'does-not-exist.dsn'}:0: fichier illisible (No such file or directory)",
    ]
