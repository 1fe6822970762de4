"""The workflow's e-mails are written in each recipient's language (``User.language``), chosen
on the account page; French stays the default and its text is unchanged."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.urls import reverse
from django.utils import translation

from rcf.accounts.models import User
from rcf.certification.services import certificate as certificate_services
from rcf.certification.services.tick import tick
from rcf.certification.tests.test_tick import add_surveillance
from rcf.notifications.models import OutgoingEmail
from tests.support import pages
from tests.support.cast import Cast
from tests.support.factories import make_certificate, make_organisation, make_user

pytestmark = pytest.mark.django_db

FRENCH = re.compile(
    r"\b(?:Dossier|dossier|est|Le|La|certificat|suspendu|Motif|rétablissement|mois|retiré|"
    r"recevable|planifié|expire|déposez|avant|cette|levé)\b|n°"
)
"""Words of the French e-mails that an English e-mail must not contain."""


def to_english(*users: User) -> None:
    User.objects.filter(pk__in=[u.pk for u in users]).update(language="en")


def emails_to(address: str) -> list[OutgoingEmail]:
    return [e for e in OutgoingEmail.objects.order_by("id") if address in e.to]


def test_an_english_reader_gets_english_and_the_others_french(cast: Cast) -> None:
    to_english(cast.applicant.user)
    application = pages.admissible(cast)

    (english,) = emails_to(cast.applicant.user.email)
    assert english.to == [cast.applicant.user.email]  # not mixed with a French reader
    assert english.subject == (
        f"[Relation Client France] Application no. {application.pk}: admissible"
    )
    assert english.body == (
        f"Application no. {application.pk} is admissible. The audit can be planned."
    )
    assert not FRENCH.search(english.subject + " " + english.body)

    (french,) = emails_to(cast.certifier.user.email)
    assert cast.applicant.user.email not in french.to
    assert french.subject == f"[Relation Client France] Dossier n° {application.pk} : recevable"
    assert french.body == (
        f"Le dossier n° {application.pk} est recevable. L'audit peut être planifié."
    )


def test_a_suspension_reads_in_english_with_its_reason_as_typed(cast: Cast) -> None:
    to_english(cast.applicant.user)
    certificate = pages.certified(cast)
    OutgoingEmail.objects.all().delete()
    certificate_services.certificate_suspend(
        actor=cast.certifier.user, certificate=certificate, reason="Sous-traitant non déclaré"
    )
    (english,) = emails_to(cast.applicant.user.email)
    assert (
        english.subject == f"[Relation Client France] {certificate.number}: certificate suspended"
    )
    assert english.body == (
        f"Certificate {certificate.number} is suspended. Reason: Sous-traitant non déclaré\n"
        "If it is not reinstated within 6 months, it will be withdrawn."
    )
    (french,) = emails_to(cast.certifier.user.email)
    assert french.body.startswith(f"Le certificat {certificate.number} est suspendu. Motif : ")


def test_reminders_go_once_to_each_language() -> None:
    organisation = make_organisation()
    claire = make_user("claire", "applicant", organisation=organisation)
    make_user("anne", "afrc")
    to_english(claire)
    certificate = make_certificate(organisation, valid_from=dt.date(2026, 1, 15))
    add_surveillance(certificate, dt.date(2027, 1, 20))
    add_surveillance(certificate, dt.date(2028, 1, 20))
    day = dt.date(2028, 12, 20)  # 30 days or less before the end of validity (2029-01-14)

    assert tick(day).reminders == [f"renewal:{certificate.number}:2029-01-14:30d"]
    assert tick(day).reminders == []  # a second run sends nothing again

    (english,) = emails_to("claire@example.test")
    assert english.subject == (
        f"[Relation Client France] {certificate.number} expires on 14 January 2029"
    )
    assert "To renew it, submit a renewal application" in english.body
    assert not FRENCH.search(english.subject + " " + english.body)
    (french,) = emails_to("anne@example.test")
    assert french.subject == f"[Relation Client France] {certificate.number} expire le 14/01/2029"


def test_an_address_of_nobody_gets_french(cast: Cast) -> None:
    from rcf.certification.services.mail import languages_of

    to_english(cast.applicant.user)
    assert languages_of([cast.applicant.user.email, "someone@example.test", ""]) == {
        cast.applicant.user.email: "en",
        "someone@example.test": "fr",
    }


def test_the_account_page_sets_the_language_of_the_e_mails(cast: Cast) -> None:
    with translation.override("en"):
        url = reverse("accounts:account")
    client = pages.browser(cast, "applicant")
    page = client.get(url)
    assert page.status_code == 200
    assert "Language of e-mails" in page.content.decode()

    assert client.post(url, {"language": "de"}).status_code == 422
    assert User.objects.get(pk=cast.applicant.user.pk).language == "fr"

    response = client.post(url, {"language": "en"})
    assert response.status_code == 302
    assert User.objects.get(pk=cast.applicant.user.pk).language == "en"


def test_the_account_page_needs_a_login() -> None:
    from django.test import Client

    response = Client().get(reverse("accounts:account"))
    assert response.status_code == 302
    assert "/compte/connexion/" in response["Location"]
