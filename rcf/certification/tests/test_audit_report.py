"""The audit report PDF: what was audited, the checklist, the findings with their corrective
actions, the evidence, the counts under "5 minors count as 1 major", a conclusion, and page
numbers. Audits are built through the real workflow services."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import override_settings
from pypdf import PdfReader

from rcf.accounts.models import Organisation, User
from rcf.certification.audit_report import audit_conclusion, audit_report_pdf
from rcf.certification.models import Application, Audit, Finding
from rcf.certification.services.audit import (
    audit_checklist_update,
    audit_close,
    audit_plan,
    corrective_action_propose,
    corrective_action_verify,
    evidence_add,
    finding_record,
)
from rcf.referentiel.versions import load_scheme
from tests.support.cast import Cast
from tests.support.factories import example_declaration, make_organisation, make_user

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 2)
EVIDENCE = b"%PDF-1.4\n% contrat de sous-traitance Brest Contact, clause France page 12\n"


@dataclass
class People:
    organisation: Organisation
    applicant: User
    certifier: User
    auditor: User


def _named(user: User, first: str, last: str) -> User:
    user.first_name, user.last_name = first, last
    user.save(update_fields=["first_name", "last_name"])
    return user


@pytest.fixture
def people() -> People:
    organisation = make_organisation(name="Mutuelle Exemple")
    return People(
        organisation=organisation,
        applicant=_named(
            make_user("claire", "applicant", organisation=organisation), "Claire", "Dupont"
        ),
        certifier=_named(make_user("cedric", "certifier"), "Cédric", "Lemaire"),
        auditor=_named(make_user("alice", "auditor"), "Alice", "Martin"),
    )


def planned_audit(people: People) -> Audit:
    """An initial audit planned on an admissible application of the example mutuelle."""
    application = Application.objects.create(
        organisation=people.organisation,
        status="admissible",
        declaration=example_declaration(),
        evaluation={"format": "rcf-evaluation/1", "scheme_version": "1", "verdict": "to_verify"},
        verdict="to_verify",
        scheme_version="1",
        created_by=people.applicant,
    )
    return audit_plan(
        actor=people.certifier,
        application=application,
        auditor_username="alice",
        planned_on=dt.date(2026, 2, 20),
        kind="initial",
    )


def flat(text: str) -> str:
    """Text as one line: a line broken after a hyphen (« sous-\ntraitant ») is joined back,
    other runs of whitespace become single spaces."""
    return " ".join(text.replace("-\n", "-").split())


def read(pdf: bytes) -> tuple[PdfReader, str]:
    """The PDF and its whole text, made flat."""
    assert pdf.startswith(b"%PDF-")
    reader = PdfReader(io.BytesIO(pdf))
    return reader, " ".join(flat(page.extract_text()) for page in reader.pages)


@pytest.fixture
def closed_audit(people: People, tmp_path: Path) -> Audit:
    """Checklist filled (one major, one minor, one observation), a finding, an evidence file,
    the audit closed, and a corrective action proposed and accepted for the major."""
    audit = planned_audit(people)
    items = [
        {"requirement": "RCF-A1", "result": "conforme", "notes": "Visite de Niort et Brest."},
        {"requirement": "RCF-A2", "result": "nc_majeure", "notes": "Deux contrats absents."},
        {"requirement": "RCF-A3", "result": "nc_mineure", "notes": "Clause France non datée."},
        {"requirement": "RCF-A4", "result": "observation", "notes": "Accords à mettre à jour."},
        {"requirement": "RCF-A5", "result": "non_applicable", "notes": ""},
    ]
    audit_checklist_update(actor=people.auditor, audit=audit, items=items)
    finding_record(
        actor=people.auditor,
        audit=audit,
        requirement="RCF-A2",
        severity="major",
        description="Les contrats de travail de deux conseillers de Niort n'ont pu être produits.",
    )
    with override_settings(RCF_UPLOAD_DIR=tmp_path):
        evidence_add(
            actor=people.auditor,
            audit=audit,
            requirement="RCF-A3",
            name="contrat-brest-contact.pdf",
            handle=io.BytesIO(EVIDENCE),
            size=len(EVIDENCE),
        )
    audit_close(actor=people.auditor, audit=audit)
    major = Finding.objects.get(audit=audit, severity="major")
    action = corrective_action_propose(
        actor=people.applicant,
        finding=major,
        description="Contrats retrouvés et numérisés ; contrôle mensuel des dossiers.",
    )
    corrective_action_verify(
        actor=people.auditor, action=action, accepted=True, comment="Contrats vérifiés sur place."
    )
    return Audit.objects.get(pk=audit.pk)


def test_it_identifies_the_audit_and_its_sample(closed_audit: Audit) -> None:
    """Company, application number, audit kind, auditor, planned and performed dates, and every
    sampled site with its reason."""
    _reader, text = read(audit_report_pdf(closed_audit))

    application = closed_audit.application
    assert closed_audit.performed_on is not None
    for expected in [
        "Rapport d'audit",
        "Mutuelle Exemple des Deux-Sèvres — SIREN 845333145",
        f"Dossier n° {application.pk} (Certification initiale)",
        "Audit initial — statut : Clôturé",
        "Auditeur Alice Martin",
        "Planifié par Cédric Lemaire",
        "Date prévue 20/02/2026",
        f"Date de réalisation {closed_audit.performed_on:%d/%m/%Y}",
        "2 sites à visiter sur 2 établissements",
        "⌈√n⌉, soit 2 sites",
    ]:
        assert expected in text
    assert [s["site"] for s in closed_audit.sampled_sites] == ["niort", "brest"]
    for entry in closed_audit.sampled_sites:
        assert entry["reason"] in text
    assert "SIRET 84533314500017" in text
    assert "Brest Contact SAS" in text


def test_it_lists_every_checklist_item_with_its_text_result_and_notes(
    closed_audit: Audit,
) -> None:
    """RCF-A1…A5, each with the scheme's text, the result in French words and the notes."""
    _reader, text = read(audit_report_pdf(closed_audit))

    checklist = load_scheme("1").section("audit_checklist")
    assert [item["id"] for item in checklist] == ["RCF-A1", "RCF-A2", "RCF-A3", "RCF-A4", "RCF-A5"]
    for item in checklist:
        assert f"{item['id']} {item['text']}" in text
    for words in [
        "Conforme Visite de Niort et Brest.",
        "Non-conformité majeure Deux contrats absents.",
        "Non-conformité mineure Clause France non datée.",
        "Observation Accords à mettre à jour.",
        "Non applicable —",
    ]:
        assert words in text


def test_it_lists_every_finding_with_its_actions_and_the_evidence(closed_audit: Audit) -> None:
    """Each finding: number, severity, requirement, description, status, due date; the
    corrective action and its verification; each evidence file with its SHA-256."""
    _reader, text = read(audit_report_pdf(closed_audit))

    findings = list(closed_audit.findings.order_by("id"))
    assert [(f.severity, f.requirement) for f in findings] == [
        ("major", "RCF-A2"),
        ("minor", "RCF-A3"),
        ("observation", "RCF-A4"),
    ]
    major, minor, observation = findings
    assert major.due_on is not None and minor.due_on is not None
    assert f"Constat n° {major.pk} — Majeure — RCF-A2" in text
    assert "Les contrats de travail de deux conseillers de Niort n'ont pu être produits." in text
    assert f"Statut : Levée · échéance : {major.due_on:%d/%m/%Y}" in text
    assert f"Constat n° {minor.pk} — Mineure — RCF-A3 Clause France non datée." in text
    assert f"Statut : Ouverte · échéance : {minor.due_on:%d/%m/%Y}" in text
    assert f"Constat n° {observation.pk} — Observation — RCF-A4" in text
    assert "Contrats retrouvés et numérisés ; contrôle mensuel des dossiers." in text
    assert "vérification : Acceptée" in text
    assert "par Alice Martin — « Contrats vérifiés sur place. »" in text
    assert "Proposée le" in text and "par Claire Dupont" in text

    assert "contrat-brest-contact.pdf" in text
    assert hashlib.sha256(EVIDENCE).hexdigest() in text


def test_it_counts_the_findings_and_concludes(closed_audit: Audit) -> None:
    """Majors and minors, raised and still open; the 5-for-1 rule; the conclusion line."""
    _reader, text = read(audit_report_pdf(closed_audit))

    assert "Non-conformités majeures 1 0" in text
    assert "Non-conformités mineures 1 1" in text
    assert "Observations 1 —" in text
    assert "5 mineures comptent pour 1 majeure" in text
    assert "Non-conformités majeures ouvertes, en équivalent : 0" in text
    assert (
        "Conclusion. Aucune non-conformité majeure ouverte : le dossier peut être présenté à la "
        "décision de certification. 1 non-conformité mineure reste à traiter, avec un plan "
        "d'action vérifié au prochain audit."
    ) in text


def test_it_counts_five_open_minors_as_one_major(people: People) -> None:
    """Five open minors and nothing else: one major in equivalent, to lift by the earliest
    deadline, or the initial certification is refused."""
    audit = planned_audit(people)
    audit_checklist_update(
        actor=people.auditor,
        audit=audit,
        items=[{"requirement": f"RCF-A{i}", "result": "conforme"} for i in range(1, 6)],
    )
    for n in range(5):
        finding_record(
            actor=people.auditor,
            audit=audit,
            requirement="RCF-A2",
            severity="minor",
            description=f"Bulletin de paie manquant n° {n + 1}.",
        )
    audit_close(actor=people.auditor, audit=audit)
    audit = Audit.objects.get(pk=audit.pk)
    findings = list(audit.findings.all())
    due = min(f.due_on for f in findings if f.due_on)

    _reader, text = read(audit_report_pdf(audit, today=TODAY))

    expected = (
        f"1 non-conformité majeure ouverte (en équivalent) : à lever avant le {due:%d/%m/%Y}, "
        "faute de quoi la certification est refusée."
    )
    assert audit_conclusion(audit, findings) == expected
    assert f"Conclusion. {expected}" in text
    assert "Non-conformités mineures 5 5" in text
    assert "Non-conformités majeures ouvertes, en équivalent : 1" in text
    for n in range(1, 6):
        assert f"Bulletin de paie manquant n° {n}." in text


def test_it_numbers_every_page(people: People) -> None:
    """A report longer than a page says ``Page n / N`` on each page, with the references of
    the application and the audit in the page header."""
    audit = planned_audit(people)
    for n in range(14):
        finding_record(
            actor=people.auditor,
            audit=audit,
            requirement="RCF-A1",
            severity="observation",
            description=f"Observation n° {n + 1} : " + "le registre des sites est tenu. " * 8,
        )

    reader, _text = read(audit_report_pdf(audit, today=TODAY))

    pages = len(reader.pages)
    assert pages >= 2
    for number, page in enumerate(reader.pages, start=1):
        page_text = flat(page.extract_text())
        assert f"Page {number} / {pages}" in page_text
        assert f"Dossier n° {audit.application_id} · audit n° {audit.pk}" in page_text


def test_it_marks_the_report_of_an_open_audit_as_provisional(people: People) -> None:
    """Before closing: not yet performed, every item « Non renseigné », a provisional report."""
    audit = planned_audit(people)

    _reader, text = read(audit_report_pdf(audit, today=TODAY))

    assert "Audit non clôturé : ce rapport est provisoire." in text
    assert "Date de réalisation non encore réalisé" in text
    assert text.count("Non renseigné") == 5
    assert "Aucun constat." in text
    assert "Aucun fichier de preuve." in text
    assert "Édité le 02/03/2026 · rapport provisoire" in text
    assert "Conclusion. Audit non clôturé : rapport provisoire" in text


@pytest.mark.parametrize(
    ("role", "expected"),
    [
        ("anonymous", 302),
        ("applicant", 200),
        ("other_applicant", 404),
        ("afrc", 200),
        ("certifier", 200),
        ("auditor", 200),
    ],
)
def test_the_report_downloads_for_whoever_may_see_the_audit(
    cast: Cast, role: str, expected: int
) -> None:
    """The report is a PDF attachment for those who see the audit; 404 for the others."""
    from django.test import Client

    from rcf.certification.tests import test_api_authorization as states

    audit = states.planned(cast)
    client = Client()
    if role != "anonymous":
        client.force_login(getattr(cast, role).user)
    response = client.get(f"/espace/audits/{audit.pk}/rapport.pdf")
    assert response.status_code == expected
    if expected == 200:
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"] == (
            f'attachment; filename="rapport-audit-{audit.pk}.pdf"'
        )
        assert response.content.startswith(b"%PDF-")
