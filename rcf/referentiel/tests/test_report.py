"""The French text report: verdict first, each requirement with its findings, then metrics."""

from __future__ import annotations

from rcf.referentiel.report import render_report
from rcf.referentiel.tests.builders import example, run


def test_it_puts_the_verdict_first_then_requirements_then_metrics() -> None:
    """The report reads top-down: who, verdict and its meaning, requirements, metrics."""
    report = render_report(run(example("telecom-offshore"), payroll=[]))
    lines = report.splitlines()
    assert lines[0] == "Pré-contrôle « Relation Client France » — référentiel version 1"
    assert lines[1] == "Entreprise candidate : Télécom Exemple SA (SIREN 804072387)"
    assert lines[2] == "Date de référence : 30/06/2026"
    assert lines[4] == "VERDICT : NON ÉLIGIBLE"
    assert report.index("VERDICT") < report.index("RCF-01") < report.index("RCF-08")
    assert report.index("RCF-08") < report.index("Indicateurs")
    assert report.endswith("\n")


def test_it_lists_findings_with_their_objects_under_their_requirement() -> None:
    """Each finding: its message, then its code, status and the objects concerned."""
    report = render_report(run(example("telecom-offshore"), payroll=[]))
    rcf05 = report[report.index("RCF-05") : report.index("RCF-06")]
    assert rcf05.startswith(
        "RCF-05 — 100 % des contributeurs ont un contrat de travail de droit français : "
        "NON CONFORME (3 constats)"
    )
    assert (
        "     [no_employment_contract · non conforme] site paris · opérateur applicant · "
        "ligne d'effectif /workforce/1 · effectif 6\n" in rcf05
    )
    assert "RCF-02 — Identification des organisations et des établissements : CONFORME\n" in report


def test_it_shows_the_metrics_with_french_number_formats() -> None:
    """Headcounts with a space as thousands separator, the share as a French percentage."""
    document = example("telecom-offshore")
    document["workforce"][0]["headcount"] = 21000
    report = render_report(run(document, payroll=[]))
    assert "  Contributeurs (personnes)                  21 561\n" in report
    assert report.endswith("  Part conforme (seuil du label : 100 %)     98,05 %\n")


def test_it_says_to_verify_for_the_mutuelle_without_dsn() -> None:
    """The mutuelle without DSN: to verify, with the missing DSN as the one finding."""
    report = render_report(run(example("mutuelle-sans-dsn"), payroll=[]))
    assert "VERDICT : À VÉRIFIER\n" in report
    assert (
        "  1. Aucune DSN fournie pour l'établissement 84533314500017 "
        "(67 contributeurs salariés de l'entreprise).\n" in report
    )
    assert "Exigences (Conforme : 7 · À vérifier : 1)" in report


def test_it_is_deterministic() -> None:
    """The same evaluation gives the same report."""
    evaluation = run(example("telecom-offshore"), payroll=[])
    assert render_report(evaluation) == render_report(run(example("telecom-offshore"), payroll=[]))
