"""The applicant's, the AFRC's and the certifier's pages of an application: who sees what
(anonymous → login, 404 for what one may not see, 403 for what one may not do, 409 for what
the state forbids), and what each POST changes in the database — nothing when it is refused."""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from rcf.certification.models import Application
from rcf.journal.models import JournalEntry
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import example_declaration

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def language() -> Iterator[None]:
    """A page under /en/ switches the test's thread to English: switch it back, or the tests
    that run next (in this file or another) see English."""
    yield
    translation.activate(settings.LANGUAGE_CODE)


def url(name: str, *args: Any) -> str:
    return reverse(f"applications:{name}", args=args)


def snapshot(application: Application) -> tuple[Any, ...]:
    """What a refused request must leave unchanged."""
    application.refresh_from_db()
    return (
        application.status,
        application.declaration,
        application.evaluation,
        application.admissibility_comment,
        JournalEntry.objects.count(),
    )


# --- who sees what ---------------------------------------------------------------------------

PRIVATE_PAGES = [
    ("dashboard", False),
    ("create", False),
    ("detail", True),
    ("declaration", True),
    ("section", True),
    ("declaration_json", True),
    ("declaration_upload", True),
    ("dsn", True),
    ("precheck", True),
    ("evaluation_json", True),
    ("admissibility_queue", False),
    ("admissibility", True),
    ("decision_queue", False),
    ("decision", True),
]


@pytest.mark.parametrize(("name", "with_id"), PRIVATE_PAGES)
def test_it_sends_anonymous_visitors_to_the_login_page(
    cast: Cast, name: str, with_id: bool
) -> None:
    """Every workflow page is private: an anonymous visitor is redirected to the login."""
    application = pages.draft(cast)
    args: list[Any] = [application.pk] if with_id else []
    if name == "section":
        args.append("entreprise")
    response = pages.browser(cast, "anonymous").get(url(name, *args))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


# Draft application of « claire » (applicant); the certifier does not see drafts.
DRAFT_MATRIX = {
    "detail": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 404,
        "auditor": 404,
    },
    "declaration": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 404,
        "auditor": 404,
    },
    "section": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 404,
        "auditor": 404,
    },
    "declaration_upload": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 403,
        "certifier": 404,
        "auditor": 404,
    },
    "dsn": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 404,
        "auditor": 404,
    },
    "precheck": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 404,
        "auditor": 404,
    },
    "declaration_json": {
        "applicant": 200,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 404,
        "auditor": 404,
    },
    "admissibility": {
        "applicant": 403,
        "other_applicant": 404,
        "afrc": 200,
        "certifier": 404,
        "auditor": 404,
    },
}


@pytest.mark.parametrize("name", sorted(DRAFT_MATRIX))
@pytest.mark.parametrize("role", ["applicant", "other_applicant", "afrc", "certifier", "auditor"])
def test_it_answers_each_role_on_a_draft_as_the_rules_say(cast: Cast, name: str, role: str) -> None:
    """404 for who may not see the application, 403 for who sees it but may not act."""
    application = pages.draft(cast)
    args: list[Any] = [application.pk] + (["operateurs"] if name == "section" else [])
    response = pages.browser(cast, role).get(url(name, *args))
    assert response.status_code == DRAFT_MATRIX[name][role]


ROLE_PAGES = {
    "dashboard": {"applicant": 200, "afrc": 200, "certifier": 200, "auditor": 200},
    "create": {"applicant": 200, "afrc": 403, "certifier": 403, "auditor": 403},
    "admissibility_queue": {"applicant": 403, "afrc": 200, "certifier": 403, "auditor": 403},
    "decision_queue": {"applicant": 403, "afrc": 403, "certifier": 200, "auditor": 403},
}


@pytest.mark.parametrize("name", sorted(ROLE_PAGES))
@pytest.mark.parametrize("role", ["applicant", "afrc", "certifier", "auditor"])
def test_it_reserves_the_queues_to_their_role(cast: Cast, name: str, role: str) -> None:
    """A page of a role answers 403 to a logged-in user who does not hold it."""
    assert pages.browser(cast, role).get(url(name)).status_code == ROLE_PAGES[name][role]


def test_it_lists_only_the_applications_of_the_applicants_company(cast: Cast) -> None:
    """The dashboard shows the organisation's applications with status and next step."""
    application = pages.draft(cast)
    mine = pages.browser(cast, "applicant").get(url("dashboard")).content.decode()
    theirs = pages.browser(cast, "other_applicant").get(url("dashboard")).content.decode()
    assert url("detail", application.pk) in mine
    assert "Complétez la déclaration" in mine
    assert url("detail", application.pk) not in theirs


# --- creating --------------------------------------------------------------------------------


def test_it_creates_an_application_from_an_empty_declaration(cast: Cast) -> None:
    """« Remplir en ligne » creates a draft of the company, with nothing declared yet."""
    response = pages.browser(cast, "applicant").post(
        url("create"), {"action": "empty", "reference_date": "2026-09-30"}
    )
    application = Application.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", application.pk)
    assert application.organisation == cast.applicant.user.organisation
    assert application.declaration["reference_date"] == "2026-09-30"
    assert application.declaration["applicant"]["siren"] == "845333145"
    assert application.declaration["sites"] == []
    assert application.verdict == "not_eligible"


def test_it_creates_an_application_from_a_json_file(cast: Cast) -> None:
    """« Importer un fichier » creates the draft from a rcf-declaration/1 file."""
    upload = io.BytesIO(json.dumps(example_declaration()).encode())
    upload.name = "declaration.json"
    response = pages.browser(cast, "applicant").post(
        url("create"), {"action": "upload", "file": upload}
    )
    assert response.status_code == 302
    assert Application.objects.get().declaration == example_declaration()


def test_it_refuses_a_malformed_file_and_lists_every_error(cast: Cast) -> None:
    """A file that is not a valid declaration creates nothing; each error names its pointer."""
    upload = io.BytesIO(json.dumps(example_declaration("erreurs-de-saisie.json")).encode())
    upload.name = "erreurs.json"
    response = pages.browser(cast, "applicant").post(
        url("create"), {"action": "upload", "file": upload}
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert not Application.objects.exists()
    for pointer in (
        "/operators/0",
        "/sites/0/location",
        "/workforce/1/headcount",
        "/workforce/2/site",
    ):
        assert f"<code>{pointer}</code>" in body


def test_it_refuses_creation_to_other_roles(cast: Cast) -> None:
    """Only an applicant creates an application (403, nothing created)."""
    response = pages.browser(cast, "afrc").post(
        url("create"), {"action": "empty", "reference_date": "2026-09-30"}
    )
    assert response.status_code == 403
    assert not Application.objects.exists()


# --- the declaration editor ------------------------------------------------------------------


def test_it_saves_a_section_and_runs_the_precheck_again(cast: Cast) -> None:
    """Saving « Entreprise » rebuilds the declaration, re-evaluates it and journals it."""
    application = pages.draft(cast)
    data = pages.browser_data(application, "entreprise")
    data.update(name="Mutuelle Renommée", brands="Marque A\n\nMarque B\n")
    entries = JournalEntry.objects.count()
    response = pages.browser(cast, "applicant").post(
        url("section", application.pk, "entreprise"), data
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.declaration["applicant"] == {
        "siren": "845333145",
        "name": "Mutuelle Renommée",
        "brands": ["Marque A", "Marque B"],
    }
    assert application.evaluation["applicant"]["name"] == "Mutuelle Renommée"
    assert JournalEntry.objects.count() == entries + 1


def test_it_saves_a_page_left_unchanged_to_the_same_declaration(cast: Cast) -> None:
    """Each section, submitted as shown, gives back exactly the stored declaration."""
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    for slug in ("entreprise", "perimetre", "operateurs", "sites", "effectifs", "engagements"):
        response = client.post(
            url("section", application.pk, slug), pages.browser_data(application, slug)
        )
        assert response.status_code == 302, (slug, response.content.decode()[:2000])
        application.refresh_from_db()
        assert application.declaration == example_declaration(), slug


def test_it_shows_a_refused_field_next_to_its_input_and_changes_nothing(cast: Cast) -> None:
    """An input error is shown at its field (aria-describedby) and in the summary at the top,
    with a link to the field; the declaration stays as it was."""
    application = pages.draft(cast)
    before = snapshot(application)
    data = pages.browser_data(application, "effectifs")
    data["workforce-1-headcount"] = "-3"
    response = pages.browser(cast, "applicant").post(
        url("section", application.pk, "effectifs"), data
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'href="#id_workforce-1-headcount"' in body
    assert 'id="id_workforce-1-headcount_error"' in body
    assert 'aria-describedby="id_workforce-1-headcount_error"' in body
    assert snapshot(application) == before


def test_it_adds_a_row_without_saving(cast: Cast) -> None:
    """« Ajouter un opérateur » shows one more empty row and saves nothing."""
    application = pages.draft(cast)
    before = snapshot(application)
    data = pages.browser_data(application, "operateurs")
    data["action"] = "add"
    response = pages.browser(cast, "applicant").post(
        url("section", application.pk, "operateurs"), data
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert 'name="operators-TOTAL_FORMS" value="2"' in body
    assert 'id="operator-1"' in body
    assert snapshot(application) == before


def test_it_saves_a_new_row_and_ignores_an_added_row_left_blank(cast: Cast) -> None:
    """A filled new row is added; an added row left empty is not an error."""
    application = pages.draft(cast)
    data = pages.browser_data(application, "operateurs")
    data.update(
        {
            "operators-TOTAL_FORMS": "3",
            "operators-1-id": "interim-ouest",
            "operators-1-role": "temp_agency",
            "operators-1-parent": "applicant",
            "operators-1-name": "Intérim Ouest",
            "operators-1-country": "fr",
            "operators-1-siren": "873091144",
            "operators-1-france_clause": "on",
            "operators-1-contract_reference": "CT-1",
        }
    )
    response = pages.browser(cast, "applicant").post(
        url("section", application.pk, "operateurs"), data
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.declaration["operators"][1] == {
        "id": "interim-ouest",
        "role": "temp_agency",
        "parent": "applicant",
        "name": "Intérim Ouest",
        "country": "FR",
        "siren": "873091144",
        "france_clause": True,
        "contract_reference": "CT-1",
    }
    assert len(application.declaration["operators"]) == 2


def test_it_renames_an_operator_where_it_is_referred_to(cast: Cast) -> None:
    """Renaming an operator's id renames it in the sites and workforce rows that name it."""
    application = pages.draft(cast)
    data = pages.browser_data(application, "operateurs")
    data["operators-0-id"] = "brest-sas"
    response = pages.browser(cast, "applicant").post(
        url("section", application.pk, "operateurs"), data
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.declaration["operators"][0]["id"] == "brest-sas"
    assert application.declaration["sites"][2]["operator"] == "brest-sas"
    assert application.declaration["workforce"][3]["employer"] == "brest-sas"


def test_it_links_to_the_section_of_an_error_made_elsewhere(cast: Cast) -> None:
    """Removing an operator that a site still names is refused; the summary links to the
    site on the « Sites » page, and nothing changes."""
    application = pages.draft(cast)
    before = snapshot(application)
    data = pages.browser_data(application, "operateurs")
    data["operators-0-DELETE"] = "on"
    response = pages.browser(cast, "applicant").post(
        url("section", application.pk, "operateurs"), data
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert f'href="{url("section", application.pk, "sites")}#site-2"' in body
    assert snapshot(application) == before


def test_it_edits_the_sites_checkboxes_and_location(cast: Cast) -> None:
    """A site's channels are checkboxes; its location is rebuilt from the fields."""
    application = pages.draft(cast)
    data = pages.browser_data(application, "sites")
    data["sites-2-channels"] = ["telephone", "chat"]
    data["sites-2-postal_code"] = "29200"
    response = pages.browser(cast, "applicant").post(url("section", application.pk, "sites"), data)
    application.refresh_from_db()
    assert response.status_code == 302
    site = application.declaration["sites"][2]
    assert site["channels"] == ["telephone", "chat"]
    assert site["location"] == {
        "country": "FR",
        "commune_insee": "29019",
        "postal_code": "29200",
        "city": "Brest",
    }


def test_it_declares_the_scope_and_the_commitments(cast: Cast) -> None:
    """Scope radios and commitment checkboxes are saved; an unticked commitment makes the
    pre-check « non éligible » (RCF-08)."""
    application = pages.draft(cast)
    client = pages.browser(cast, "applicant")
    data = pages.browser_data(application, "perimetre")
    data["channels__video"] = "not_performed"
    assert client.post(url("section", application.pk, "perimetre"), data).status_code == 302
    data = pages.browser_data(application, "engagements")
    del data["accept_audits"]
    assert client.post(url("section", application.pk, "engagements"), data).status_code == 302
    application.refresh_from_db()
    assert application.declaration["scope"]["channels"]["video"] == "not_performed"
    assert application.declaration["commitments"] == {
        "notify_changes": True,
        "accept_audits": False,
    }
    assert application.verdict == "not_eligible"


def test_it_refuses_to_edit_outside_draft(cast: Cast) -> None:
    """After submission the editor is read-only and a save answers 409, changing nothing."""
    application = pages.submitted(cast)
    before = snapshot(application)
    client = pages.browser(cast, "applicant")
    page = client.get(url("section", application.pk, "entreprise")).content.decode()
    assert "lecture seule" in page
    data = pages.browser_data(application, "entreprise")
    data["name"] = "Autre"
    response = client.post(url("section", application.pk, "entreprise"), data)
    assert response.status_code == 409
    assert snapshot(application) == before


def test_it_refuses_the_editor_to_the_afrc(cast: Cast) -> None:
    """The AFRC sees the application but may not edit it (403, nothing changes)."""
    application = pages.draft(cast)
    before = snapshot(application)
    data = pages.browser_data(application, "entreprise")
    data["name"] = "Autre"
    response = pages.browser(cast, "afrc").post(url("section", application.pk, "entreprise"), data)
    assert response.status_code == 403
    assert snapshot(application) == before


# --- JSON download and upload ----------------------------------------------------------------


def test_it_downloads_the_declaration_as_an_attachment(cast: Cast) -> None:
    """The declaration downloads as a JSON attachment equal to the stored document."""
    application = pages.draft(cast)
    response = pages.browser(cast, "afrc").get(url("declaration_json", application.pk))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content) == application.declaration


def test_it_replaces_the_declaration_with_an_uploaded_file(cast: Cast) -> None:
    """A valid file replaces the declaration and the pre-check runs again."""
    application = pages.draft(cast)
    document = example_declaration()
    document["commitments"]["notify_changes"] = False
    upload = io.BytesIO(json.dumps(document).encode())
    upload.name = "d.json"
    response = pages.browser(cast, "applicant").post(
        url("declaration_upload", application.pk), {"file": upload}
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.declaration == document
    assert application.verdict == "not_eligible"


def test_it_keeps_the_declaration_when_the_uploaded_file_is_refused(cast: Cast) -> None:
    """Broken JSON or another company's SIREN: errors listed, declaration unchanged."""
    application = pages.draft(cast)
    before = snapshot(application)
    client = pages.browser(cast, "applicant")
    broken = io.BytesIO(b'{"format": ')
    broken.name = "broken.json"
    response = client.post(url("declaration_upload", application.pk), {"file": broken})
    assert response.status_code == 200
    assert "JSON mal formé, ligne 1" in response.content.decode()
    other = io.BytesIO(json.dumps(example_declaration("telecom-offshore.json")).encode())
    other.name = "other.json"
    response = client.post(url("declaration_upload", application.pk), {"file": other})
    assert "<code>/applicant/siren</code>" in response.content.decode()
    assert snapshot(application) == before


# --- pre-check report and submission ---------------------------------------------------------


def test_it_reports_the_precheck_with_links_to_fix_each_finding(cast: Cast) -> None:
    """The report shows the verdict, the French findings, and for the company a link from
    each finding to the row of the editor it concerns."""
    application = pages.telecom_draft(cast)
    client = pages.browser(cast, "other_applicant")
    body = client.get(url("precheck", application.pk)).content.decode()
    assert "verdict-bad" in body
    assert "Non éligible" in body
    assert "travail indépendant" in body  # RCF-05, workforce row 1
    assert f'href="{url("section", application.pk, "effectifs")}#workforce-1"' in body
    assert f'href="{url("section", application.pk, "sites")}#site-2"' in body  # tunis
    assert f'href="{url("section", application.pk, "operateurs")}#operator-0"' in body  # bpo
    assert "disabled" in body  # submission impossible while not eligible
    afrc = pages.browser(cast, "afrc").get(url("precheck", application.pk)).content.decode()
    assert url("section", application.pk, "effectifs") not in afrc


def test_it_submits_an_application_to_the_afrc(cast: Cast) -> None:
    """« Déposer le dossier » moves a draft to « déposé »."""
    application = pages.draft(cast)
    response = pages.browser(cast, "applicant").post(url("submit", application.pk))
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == "submitted"


def test_it_refuses_to_submit_a_not_eligible_application(cast: Cast) -> None:
    """A « non éligible » pre-check blocks the submission: 409 and nothing changes."""
    application = pages.telecom_draft(cast)
    before = snapshot(application)
    response = pages.browser(cast, "other_applicant").post(url("submit", application.pk))
    assert response.status_code == 409
    assert snapshot(application) == before


@pytest.mark.parametrize(("role", "status"), [("afrc", 403), ("other_applicant", 404)])
def test_it_refuses_the_submission_to_others(cast: Cast, role: str, status: int) -> None:
    """Only the company submits (403 for the AFRC, 404 for another company)."""
    application = pages.draft(cast)
    before = snapshot(application)
    assert pages.browser(cast, role).post(url("submit", application.pk)).status_code == status
    assert snapshot(application) == before


# --- AFRC: admissibility ---------------------------------------------------------------------


def test_it_queues_submitted_applications_for_the_afrc(cast: Cast) -> None:
    application = pages.submitted(cast)
    body = pages.browser(cast, "afrc").get(url("admissibility_queue")).content.decode()
    assert url("admissibility", application.pk) in body


def test_it_declares_an_application_admissible(cast: Cast) -> None:
    """The AFRC's « recevable » moves the application on to the certification body."""
    application = pages.submitted(cast)
    response = pages.browser(cast, "afrc").post(
        url("admissibility", application.pk), {"admissible": "yes", "comment": ""}
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == "admissible"


def test_it_returns_an_application_with_a_comment(cast: Cast) -> None:
    """A return needs a comment (the field shows the error, nothing changes); with one, the
    application goes back to draft and the company reads the comment."""
    application = pages.submitted(cast)
    before = snapshot(application)
    client = pages.browser(cast, "afrc")
    response = client.post(url("admissibility", application.pk), {"admissible": "no"})
    assert response.status_code == 200
    assert 'id="id_comment_error"' in response.content.decode()
    assert snapshot(application) == before
    client.post(
        url("admissibility", application.pk),
        {"admissible": "no", "comment": "Il manque la DSN de Niort."},
    )
    application.refresh_from_db()
    assert application.status == "draft"
    detail = pages.browser(cast, "applicant").get(url("detail", application.pk)).content.decode()
    assert "Il manque la DSN de Niort." in detail


def test_it_refuses_to_judge_a_draft(cast: Cast) -> None:
    """Only a submitted application is judged: 409 on a draft, nothing changes."""
    application = pages.draft(cast)
    before = snapshot(application)
    response = pages.browser(cast, "afrc").post(
        url("admissibility", application.pk), {"admissible": "yes", "comment": ""}
    )
    assert response.status_code == 409
    assert snapshot(application) == before


# --- certifier: decisions --------------------------------------------------------------------


def test_it_hides_the_decision_from_the_certifier_who_audited(cast: Cast) -> None:
    """The queue tells the auditor-certifier why they may not decide; the decision page and
    its POST answer 403 and nothing changes."""
    application = pages.audited(cast, auditor="bruno")
    client = pages.browser(cast, "certifier_auditor")
    queue = client.get(url("decision_queue")).content.decode()
    assert "Vous avez audité ce dossier" in queue
    assert url("decision", application.pk) not in queue
    assert client.get(url("decision", application.pk)).status_code == 403
    before = snapshot(application)
    response = client.post(
        url("decision", application.pk), {"decision": "certify", "motivation": "OK"}
    )
    assert response.status_code == 403
    assert snapshot(application) == before
    assert not application.certificates.exists()


def test_it_certifies_with_a_motivation(cast: Cast) -> None:
    """A decision needs a motivation (error at the field, nothing changes); « certifier »
    issues the certificate."""
    application = pages.audited(cast)
    client = pages.browser(cast, "certifier")
    assert url("decision", application.pk) in client.get(url("decision_queue")).content.decode()
    before = snapshot(application)
    response = client.post(url("decision", application.pk), {"decision": "certify"})
    assert response.status_code == 200
    assert 'id="id_motivation_error"' in response.content.decode()
    assert snapshot(application) == before
    response = client.post(
        url("decision", application.pk), {"decision": "certify", "motivation": "Audit sans écart."}
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.status == "certified"
    assert application.certificates.get().status == "active"


def test_it_refuses_a_decision_before_the_audit_is_closed(cast: Cast) -> None:
    """409 while the application is not audited; nothing changes."""
    application = pages.admissible(cast)
    before = snapshot(application)
    response = pages.browser(cast, "certifier").post(
        url("decision", application.pk), {"decision": "refuse", "motivation": "x"}
    )
    assert response.status_code == 409
    assert snapshot(application) == before


# --- DSN -------------------------------------------------------------------------------------


def niort_dsn(people: int = 65) -> io.BytesIO:
    """A DSN of June 2026 for the Niort establishment with ``people`` active employees."""
    import datetime as dt

    from rcf.dsn.generator import Contract, Declaration, DsnSpec, Employee, fake_nir, generate_dsn

    employees = [
        Employee(nir=fake_nir(i), contracts=(Contract(start=dt.date(2024, 1, 1)),))
        for i in range(1, people + 1)
    ]
    out = io.BytesIO()
    generate_dsn(DsnSpec((Declaration("845333145", "00017", "2026-06", employees=employees),)), out)
    out.seek(0)
    out.name = "niort-2026-06.dsn"
    return out


def test_it_takes_dsn_files_as_payroll_evidence(cast: Cast) -> None:
    """Uploaded DSNs are kept as counts only and the pre-check runs again (RCF-07)."""
    application = pages.draft(cast)
    response = pages.browser(cast, "applicant").post(
        url("dsn", application.pk), {"file": [niort_dsn()]}
    )
    application.refresh_from_db()
    assert response.status_code == 302
    assert application.payroll_evidence.get().siret == "84533314500017"
    assert application.verdict == "eligible"


def test_it_refuses_a_malformed_dsn_with_its_line(cast: Cast) -> None:
    """A malformed file is refused with its FILE:LINE errors and nothing is kept."""
    application = pages.draft(cast)
    before = snapshot(application)
    broken = io.BytesIO(b"S10.G00.00.001,'x'\r\nnot a DSN line\r\n")
    broken.name = "cassee.dsn"
    response = pages.browser(cast, "applicant").post(
        url("dsn", application.pk), {"file": [niort_dsn(), broken]}
    )
    assert response.status_code == 200
    # The name the user knows, not the temporary file the reader was given.
    assert "<li>cassee.dsn:2: " in response.content.decode()
    assert not application.payroll_evidence.exists()
    assert snapshot(application) == before


def test_it_serves_the_pages_in_english_under_en(cast: Cast) -> None:
    """The same pages answer under /en/ (the strings are translated where catalogues exist)."""
    application = pages.draft(cast)
    response = pages.browser(cast, "applicant").get(f"/en{url('detail', application.pk)}")
    assert response.status_code == 200
    assert '<html lang="en">' in response.content.decode()
