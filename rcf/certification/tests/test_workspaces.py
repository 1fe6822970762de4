"""After login each role lands on its own workspace, with what waits for it and how many, in
its own words; staff never read the applicant's next step, and a dossier whose certificate is
withdrawn or expired is neither shown as « Certifié » nor offered a surveillance audit."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.test import Client
from django.utils import timezone

from rcf.certification.models import Certificate
from rcf.certification.services import certificate as certificate_services
from rcf.reports.services import report_receive
from tests.support import pages
from tests.support.cast import Cast

pytestmark = pytest.mark.django_db


def text(client: Client, path: str) -> str:
    response = client.get(path)
    assert response.status_code == 200
    return " ".join(re.sub(r"<[^>]+>", " ", response.content.decode()).split())


def test_login_lands_on_the_workspace(cast: Cast) -> None:
    from django.contrib.auth.hashers import make_password

    user = cast.certifier.user
    user.password = make_password("un mot de passe solide")
    user.save()
    response = Client().post(
        "/compte/connexion/", {"username": user.username, "password": "un mot de passe solide"}
    )
    assert response.status_code == 302 and response["Location"] == "/espace/accueil/"


def test_the_companies_link_of_the_home_page_leads_to_the_workspace(client: Client) -> None:
    html = client.get("/").content.decode()
    assert 'href="/espace/accueil/">Espace des entreprises' in html


def test_the_afrc_sees_dossiers_to_judge_and_logo_reports(cast: Cast) -> None:
    application = pages.submitted(cast)
    report_receive(company="Boutique Douteuse", where_seen="vitrine", description="x", email="")
    page = text(pages.browser(cast, "afrc"), "/espace/accueil/")
    assert "1 dossier à juger recevable" in page and application.applicant_name in page
    assert "1 signalement de logo à traiter" in page and "Boutique Douteuse" in page
    assert "Organisme certificateur" not in page and "Prochaine étape" not in page


def test_the_certifier_sees_audits_to_plan_and_decisions_but_not_those_they_audited(
    cast: Cast,
) -> None:
    pages.audited(cast, auditor="bruno")  # audited by the certifier-auditor
    cedric = text(pages.browser(cast, "certifier"), "/espace/accueil/")
    bruno = text(pages.browser(cast, "certifier_auditor"), "/espace/accueil/")
    assert "1 décision à prendre" in cedric
    assert re.search(r"\b0 décisions? à prendre", bruno)
    assert re.search(r"\b0 audits? à planifier", cedric)
    assert "Téléchargez" not in cedric and "Prochaine étape" not in cedric


def test_the_certifier_watches_suspensions_near_withdrawal(cast: Cast) -> None:
    certificate = pages.certified(cast)
    certificate_services.certificate_suspend(
        actor=cast.certifier.user, certificate=certificate, reason="x"
    )
    Certificate.objects.filter(pk=certificate.pk).update(
        status_changed_at=timezone.now() - dt.timedelta(days=160)
    )
    page = text(pages.browser(cast, "certifier"), "/espace/accueil/")
    assert "1 suspension proche du retrait" in page
    assert "retrait automatique le" in page


def test_the_auditor_sees_its_audits_with_their_dates(cast: Cast) -> None:
    audit = pages.planned(cast)
    page = text(pages.browser(cast, "auditor"), "/espace/accueil/")
    assert "1 audit à réaliser" in page and "prévu le 10 décembre 2026" in page
    assert (
        f"/espace/audits/{audit.pk}/"
        in pages.browser(cast, "auditor").get("/espace/accueil/").content.decode()
    )


def test_the_applicant_sees_its_dossier_and_its_next_step(cast: Cast) -> None:
    pages.draft(cast)
    page = text(pages.browser(cast, "applicant"), "/espace/accueil/")
    assert "Prochaine étape : Complétez la déclaration" in page
    assert "à juger" not in page and "signalement" not in page


def test_staff_dossier_list_speaks_as_staff_and_shows_a_withdrawn_certificate(
    cast: Cast,
) -> None:
    certificate = pages.certified(cast)
    certifier = pages.browser(cast, "certifier")
    assert "Téléchargez votre certificat" not in text(certifier, "/espace/")
    assert "Certificat en vigueur : suivre les audits de surveillance." in text(
        certifier, "/espace/"
    )
    certificate_services.certificate_withdraw(
        actor=cast.certifier.user, certificate=certificate, reason="x"
    )
    html = certifier.get("/espace/").content.decode()
    assert '<span class="tag tag-bad">Retiré</span>' in html
    assert '<span class="tag tag-ok">Certifié</span>' not in html
    assert (
        "Planifier une surveillance"
        not in certifier.get("/espace/audits/a-planifier/").content.decode()
    )
    applicant = text(pages.browser(cast, "applicant"), "/espace/")
    assert "Votre certificat est retiré" in applicant


def test_an_auditor_reaches_the_public_page_of_a_certificate_not_a_404(cast: Cast) -> None:
    certificate = pages.certified(cast)
    html = (
        pages.browser(cast, "auditor")
        .get(f"/espace/dossiers/{certificate.application_id}/")
        .content.decode()
    )
    assert f'href="/verifier/{certificate.number}/"' in html
    assert f'href="/espace/certificats/{certificate.number}/"' not in html


def test_the_suspension_form_does_not_promise_a_public_reason(cast: Cast) -> None:
    """By design the public history gives dates and statuses, never the reason."""
    certificate = pages.certified(cast)
    html = (
        pages.browser(cast, "certifier")
        .get(f"/espace/certificats/{certificate.number}/suspendre/")
        .content.decode()
    )
    assert "historique public du certificat et dans le courriel" not in html
    assert "est pas publié : l" in html
    certificate_services.certificate_suspend(
        actor=cast.certifier.user, certificate=certificate, reason="motif-confidentiel"
    )
    public = Client().get(f"/registre/{certificate.organisation.siren}/").content.decode()
    assert "motif-confidentiel" not in public
