"""The observatory follows the registry change by change: after every change its figures are
exactly those of a fresh reading of the whole registry, and a change reads again only the
certificate it touched."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.db import connection, transaction
from django.utils import timezone

from rcf.certification.models import Certificate, CertificateEvent
from rcf.certification.services.certificate import (
    certificate_expire,
    certificate_reinstate,
    certificate_suspend,
    certificate_withdraw,
)
from rcf.certification.tests import test_api_authorization as states
from rcf.journal.services import journal_record
from rcf.observatory import selectors
from rcf.observatory.selectors import compute_figures, observatory_figures
from tests.support.cast import Cast
from tests.support.factories import example_declaration, make_certificate, make_organisation

pytestmark = pytest.mark.django_db


def _followed(today: dt.date | None = None) -> selectors.Figures:
    """The figures as a running process has them, checked against a fresh reading."""
    today = today or timezone.localdate()
    followed, _tag = observatory_figures(today)
    assert followed == compute_figures(today)
    return followed


def _valid(today: dt.date | None = None) -> int:
    return int(_followed(today).headline["valid_certificates"])


def _others() -> list[Certificate]:
    """Two certificates issued years ago, in other companies (one in La Réunion)."""
    today = timezone.localdate()
    first = make_certificate(
        make_organisation("732829320", "Télécom Exemple"),
        number="RCF-2024-0001",
        valid_from=today - dt.timedelta(days=700),
    )
    declaration = example_declaration("mutuelle-sans-dsn.json")
    brest = next(site for site in declaration["sites"] if site["id"] == "brest")
    brest["location"] = {"country": "FR", "commune_insee": "97411", "city": "Saint-Denis"}
    second = make_certificate(
        make_organisation("552100554", "Énergie Exemple"),
        number="RCF-2025-0001",
        valid_from=today - dt.timedelta(days=300),
        declaration=declaration,
        status_index=7,
    )
    return [first, second]


def _spy(monkeypatch: pytest.MonkeyPatch, name: str) -> list[tuple[Any, ...]]:
    """The arguments of every call of ``selectors.<name>`` from now on."""
    calls: list[tuple[Any, ...]] = []
    real = getattr(selectors, name)

    def spy(*args: Any) -> Any:
        calls.append(args)
        return real(*args)

    monkeypatch.setattr(selectors, name, spy)
    return calls


def test_every_change_gives_the_figures_of_a_fresh_reading(cast: Cast) -> None:
    today = timezone.localdate()
    first, second = _others()
    assert _valid() == 2
    certified = states.certified(cast)
    assert _valid() == 3
    funnel = _followed().funnel
    assert (funnel["created"], funnel["certified"]) == (3, 3)  # each with its dossier

    certificate_suspend(actor=cast.certifier.user, certificate=second, reason="contrôle")
    figures = _followed()
    assert figures.headline["valid_certificates"] == 2
    assert "974" not in figures.breakdowns["departments"]
    assert figures.months[-1].events["suspended"] == 1

    certificate_reinstate(actor=cast.certifier.user, certificate=second, reason="levée")
    assert _valid() == 3
    assert "974" in _followed().breakdowns["departments"]

    # The renewal moves the certificate to a new period and keeps the history of the first.
    Certificate.objects.filter(pk=certified.pk).update(
        valid_from=today - dt.timedelta(days=1000),
        first_issued_on=today - dt.timedelta(days=1000),
        valid_until=today + dt.timedelta(days=60),
    )
    CertificateEvent.objects.filter(certificate=certified).update(
        on=timezone.now() - dt.timedelta(days=1000)
    )
    selectors.forget()  # the rows above were changed behind the workflow's back
    assert _valid() == 3
    states.renewed(cast, certified)
    figures = _followed()
    assert figures.headline["valid_certificates"] == 3
    assert figures.months[-1].events["renewed"] == 1

    certificate_withdraw(actor=cast.certifier.user, certificate=first, reason="fraude")
    assert _valid() == 2

    # A day comes when the oldest remaining validity has ended: the figures of that day
    # drop it before `rcf tick` has recorded the expiry, and again once it has.
    later = second.valid_until + dt.timedelta(days=1)
    assert _valid(later) == 1
    assert _followed(later).months[-1].events["expired"] >= 1
    certificate_expire(certificate=Certificate.objects.get(pk=second.pk), today=later)
    assert _valid(later) == 1
    assert _valid() == 1  # recorded as expired, it is not valid on any day any more

    make_certificate(make_organisation("542065479", "Banque Exemple"), number="RCF-2026-0099")
    assert _valid() == 2


def test_a_change_reads_again_only_the_certificate_it_touched(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _first, second = _others()
    _followed()
    read = _spy(monkeypatch, "_entries")
    funnels = _spy(monkeypatch, "_funnel")
    certificate_suspend(actor=None, certificate=second, reason="contrôle")
    assert observatory_figures()[0].headline["valid_certificates"] == 1
    assert read == [([second.pk],)]
    assert funnels == []  # no dossier moved: the dossiers are not counted again
    read.clear()
    assert observatory_figures()[0].headline["valid_certificates"] == 1
    assert read == []  # nothing changed: nothing read


def test_an_event_committed_after_a_later_one_is_not_missed() -> None:
    """On PostgreSQL a transaction may take an id before another that commits first: the
    skipped id is watched for until it appears."""
    first, second = _others()
    _followed()
    last = CertificateEvent.objects.order_by("-pk").values_list("pk", flat=True)[0]

    def change(certificate: Certificate, status: str, pk: int) -> None:
        with transaction.atomic():
            Certificate.objects.filter(pk=certificate.pk).update(status=status)
            CertificateEvent.objects.create(
                pk=pk,
                certificate=certificate,
                on=timezone.now(),
                action=status,
                status=status,
            )
            journal_record(
                actor=None,
                action=f"rcf.certificate.{status}",
                obj_type="certificate",
                obj_id=certificate.number,
                before="active",
                after=status,
            )

    change(first, "suspended", last + 2)  # committed first, with the later id
    assert _valid() == 1
    change(second, "withdrawn", last + 1)  # the earlier id, committed after
    assert observatory_figures()[0].headline["valid_certificates"] == 0
    assert compute_figures(timezone.localdate()).headline["valid_certificates"] == 0


def test_a_rewritten_history_is_read_again_whole(monkeypatch: pytest.MonkeyPatch) -> None:
    """A restored backup or a rolled-back database gives a journal that no longer continues
    what the process read: everything is read again."""
    first, second = _others()
    for certificate in (first, second):
        certificate_suspend(actor=None, certificate=certificate, reason="contrôle")
    assert _valid() == 0
    # Another history of the same length: the journal's last entry and the certificates'
    # statuses are not those the process followed.
    with connection.cursor() as cursor:
        cursor.execute("UPDATE certificates_certificate SET status = 'active'")
        cursor.execute("UPDATE journal_journalhead SET last_hash = %s WHERE id = 1", ["f" * 64])
    read = _spy(monkeypatch, "_entries")
    assert observatory_figures()[0].headline["valid_certificates"] == 2
    assert read == [(None,)]


@pytest.mark.django_db(transaction=True)
def test_a_server_process_reads_the_registry_as_it_starts(monkeypatch: pytest.MonkeyPatch) -> None:
    _others()
    selectors.warm_in_background().join(timeout=60)
    read = _spy(monkeypatch, "_entries")
    assert observatory_figures()[0].headline["valid_certificates"] == 2
    assert read == []  # read by the thread already
