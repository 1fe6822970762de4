"""Load the demonstration data: idempotent, through the real services.

Each company is carried to its state by the same functions the pages and the API call, so the
demonstration shows real journals, e-mails, evaluations and certificates. A company already
present is left as it is: running ``rcf demo`` again changes nothing.
"""

from __future__ import annotations

import datetime as dt
import io
from dataclasses import dataclass
from importlib import resources

from django.db import transaction
from django.utils import timezone

from rcf.accounts.models import User
from rcf.accounts.services import user_create
from rcf.certification.models import Application, Audit, Certificate, CertificateEvent
from rcf.certification.services import audit as audits
from rcf.certification.services import certificate as certificates
from rcf.certification.services import decision
from rcf.certification.services import dossier as app
from rcf.certification.services.audit import checklist_ids
from rcf.core.dates import add_months, validity_end
from rcf.demo.companies import COMPANIES, Company, declaration_of, siret_from
from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, fake_nir, generate_dsn
from rcf.members.models import Member
from rcf.members.services import members_import
from rcf.notifications.models import OutgoingEmail
from rcf.notifications.services import deliveries_paused


@dataclass(frozen=True)
class DemoAccount:
    username: str
    role: str
    password: str
    what: str


DEMO_PASSWORD = "Label-RCF-2026"  # noqa: S105 - printed on purpose: demonstration accounts only
ACCOUNTS = (
    DemoAccount(
        "entreprise",
        "applicant",
        DEMO_PASSWORD,
        "demandeur d'Énergie Solidaire du Nord (dossier en brouillon)",
    ),
    DemoAccount("afrc", "afrc", DEMO_PASSWORD, "AFRC : adhérents et recevabilité"),
    DemoAccount(
        "certification",
        "certifier",
        DEMO_PASSWORD,
        "responsable de certification AFNOR : audits, décisions, suspensions",
    ),
    DemoAccount("auditrice", "auditor", DEMO_PASSWORD, "auditrice AFNOR : grilles d'audit"),
    DemoAccount(
        "auditeur2",
        "auditor,certifier",
        DEMO_PASSWORD,
        "auditeur et responsable de certification (règle d'impartialité)",
    ),
)


def _user(
    username: str, roles: list[str], *, password: str | None = None, company: Company | None = None
) -> User:
    existing = User.objects.filter(username=username).first()
    if existing is not None:
        return User.objects.prefetch_related("roles").get(pk=existing.pk)
    user = user_create(
        username,
        roles,
        email=f"{username}@demo.relation-client-france.test",
        organisation_siren=company.siren if company else None,
        organisation_name=company.name if company else None,
        password=password,
    )
    return User.objects.prefetch_related("roles").get(pk=user.pk)


def _members(today: dt.date) -> None:
    text = resources.files("rcf.referentiel").joinpath("examples", "members.csv").read_text("utf-8")
    lines = text.splitlines(keepends=True)
    for index, company in enumerate(COMPANIES, start=1):
        # The withdrawn company let its membership lapse; the others are members.
        until = "" if company.state != "withdrawn" else (today - dt.timedelta(days=30)).isoformat()
        lines.append(f"AFRC-9{index:03d},{company.siren},{company.name},2021-06-01,{until}\n")
    members_import(lines, source="demo")


def _dsn(company: Company, month: str) -> list[tuple[str, io.BytesIO]]:
    """One generated DSN per in-house establishment, listing its declared headcount."""
    year = int(month[:4])
    files = []
    number = int(company.prefix[-3:]) * 10_000
    for index, site in enumerate(company.sites, start=1):
        nic = siret_from(company.siren, index)[9:]
        people = []
        for _ in range(site.headcount):
            number += 1
            people.append(
                Employee(
                    fake_nir(number),
                    contracts=(Contract(start=dt.date(year - 2, 1 + number % 12, 1), nature="01"),),
                )
            )
        out = io.BytesIO()
        generate_dsn(
            DsnSpec(
                (
                    Declaration(
                        siren=company.siren,
                        nic=nic,
                        month=month,
                        employees=people,
                        pay_lines=6,
                        postal_code=None,
                    ),
                )
            ),
            out,
        )
        out.seek(0)
        files.append((f"dsn-{site.id}-{month}.dsn", out))
    return files


def _audit(
    company: Company,
    application: Application,
    certifier: User,
    auditor: User,
    *,
    kind: str,
    results: dict[str, str],
    planned_on: dt.date,
    close: bool,
) -> None:
    audit = audits.audit_plan(
        actor=certifier,
        application=application,
        auditor_username=auditor.username,
        planned_on=planned_on,
        kind=kind,
    )
    if not close:
        return
    items = [
        {
            "requirement": rid,
            "result": results.get(rid, "conforme"),
            "notes": "Constaté sur place." if results.get(rid) else "",
        }
        for rid in checklist_ids(application.scheme_version)
    ]
    audits.audit_checklist_update(actor=auditor, audit=audit, items=items)
    audits.audit_close(actor=auditor, audit=audit)


def _backdate(certificate: Certificate, valid_from: dt.date) -> None:
    """Move a demonstration certificate into the past (the services only issue today), with
    a number of the year it was first issued in."""
    certificate.valid_from = certificate.first_issued_on = valid_from
    certificate.valid_until = validity_end(valid_from, 3)
    if valid_from.year != timezone.localdate().year:
        certificate.number = certificates.certificate_number_next(
            valid_from.year, certificate.scheme_version
        )
    certificate.reindex()
    certificate.save(
        update_fields=["valid_from", "first_issued_on", "valid_until", "number", "search_text"]
    )
    CertificateEvent.objects.filter(certificate=certificate).update(
        on=timezone.make_aware(dt.datetime.combine(valid_from, dt.time(10)))
    )
    # The audit that led to the decision happened before it.
    audit_day = valid_from - dt.timedelta(days=20)
    Audit.objects.filter(application=certificate.application).update(
        planned_on=audit_day,
        performed_on=audit_day,
        closed_at=timezone.make_aware(dt.datetime.combine(audit_day, dt.time(17))),
    )


def _carry(company: Company, today: dt.date, staff: dict[str, User]) -> None:
    applicant = (
        staff["entreprise"]
        if company.state == "draft"
        else _user(f"contact-{company.key}", ["applicant"], company=company)
    )
    month = add_months(today, -1)
    declaration = declaration_of(company, month.replace(day=1).isoformat())
    application = app.application_create(actor=applicant, declaration=declaration)
    application = app.application_add_dsn(
        actor=applicant, application=application, files=_dsn(company, f"{month:%Y-%m}")
    )
    if company.state == "draft":
        return
    application = app.application_submit(actor=applicant, application=application)
    if company.state == "submitted":
        return
    application = app.application_admissibility(
        actor=staff["afrc"], application=application, admissible=True, comment="Dossier complet."
    )
    certifier, auditor = staff["certification"], staff["auditrice"]
    planned_on = today + dt.timedelta(days=14)
    if company.state == "audit_planned":
        _audit(
            company,
            application,
            certifier,
            auditor,
            kind="initial",
            results={},
            planned_on=planned_on,
            close=False,
        )
        return
    results = (
        {"RCF-A3": "nc_majeure", "RCF-A5": "nc_mineure"}
        if (company.state == "corrective_actions")
        else {"RCF-A4": "observation"}
    )
    _audit(
        company,
        application,
        certifier,
        auditor,
        kind="initial",
        results=results,
        planned_on=today - dt.timedelta(days=20),
        close=True,
    )
    if company.state in ("corrective_actions", "audited"):
        return  # « audited »: ready for the certifier's decision
    application = decision.application_decide(
        actor=certifier,
        application=application,
        decision="certify",
        motivation="Audit initial conforme.",
    )
    certificate = Certificate.objects.get(application=application)
    if company.state == "expired":
        _backdate(certificate, add_months(today, -37))
        certificates.certificate_expire(certificate=certificate, today=today)
        # Expired the day after its last valid day, not the day the demo was loaded.
        certificate.events.filter(action="expired").update(
            on=timezone.make_aware(
                dt.datetime.combine(certificate.valid_until + dt.timedelta(days=1), dt.time(0, 5))
            )
        )
    elif company.state == "suspended":
        _backdate(certificate, add_months(today, -16))
        certificates.certificate_suspend(
            actor=certifier,
            certificate=certificate,
            reason="Audit de surveillance à 12 mois non réalisé dans sa fenêtre.",
        )
    elif company.state == "withdrawn":
        _backdate(certificate, add_months(today, -20))
        certificates.certificate_suspend(
            actor=certifier, certificate=certificate, reason="Adhésion à l'AFRC non renouvelée."
        )
        certificates.certificate_withdraw(
            actor=certifier,
            certificate=certificate,
            reason="Conditions du label non rétablies dans le délai de suspension.",
        )
    elif company.key == "reunion":
        _backdate(certificate, add_months(today, -10))
        # A past suspension, lifted a month later: the observatory's history shows it.
        certificates.certificate_suspend(
            actor=certifier, certificate=certificate, reason="Audit de surveillance reporté."
        )
        certificates.certificate_reinstate(
            actor=certifier, certificate=certificate, reason="Audit de surveillance réalisé."
        )
        for action, months in (("suspended", -4), ("reinstated", -3)):
            certificate.events.filter(action=action).update(
                on=timezone.make_aware(dt.datetime.combine(add_months(today, months), dt.time(9)))
            )
    elif company.key == "certifiee":
        # The oldest certificate still valid: the observatory's series start years back.
        _backdate(certificate, add_months(today, -30))


def load_demo(today: dt.date | None = None) -> list[str]:
    """Load everything missing; returns the names of the companies created this time."""
    today = today or timezone.localdate()
    created = []
    with transaction.atomic():
        if not Member.objects.filter(member_number="AFRC-0101").exists():
            _members(today)
        staff = {
            a.username: _user(
                a.username,
                a.role.split(","),
                password=a.password,
                company=COMPANIES[0] if a.role == "applicant" else None,
            )
            for a in ACCOUNTS
        }
    with deliveries_paused():
        for company in COMPANIES:
            if Application.objects.filter(organisation__siren=company.siren).exists():
                continue
            with transaction.atomic():
                _carry(company, today, staff)
            created.append(company.name)
    # The story's e-mails stay in the outbox as history; nobody needs them delivered.
    OutgoingEmail.objects.filter(sent_at__isnull=True).update(sent_at=timezone.now())
    return created
