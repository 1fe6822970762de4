"""Certificates of the label and their public history."""

from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from rcf.certification.choices import CertificateStatus

LIVE_STATUSES = [CertificateStatus.ACTIVE.value, CertificateStatus.SUSPENDED.value]


class CertificateQuerySet(models.QuerySet["Certificate"]):
    def with_public_status(self, today: dt.date | None = None) -> CertificateQuerySet:
        """Each certificate with ``public_status``: its status as the public must see it *now*.

        The one place this rule lives: an active certificate whose validity has ended is
        expired even before ``rcf tick`` has recorded it, so nothing public — page, PDF,
        badge, credential, open data, API — shows it as valid for a single request.
        """
        today = today or timezone.localdate()
        return self.annotate(  # type: ignore[no-redef]  # mypy sees the declared attribute
            public_status=models.Case(
                models.When(
                    status=CertificateStatus.ACTIVE,
                    valid_until__lt=today,
                    then=models.Value(CertificateStatus.EXPIRED.value),
                ),
                default=models.F("status"),
                output_field=models.CharField(),
            )
        )

    def publicly_valid(self, today: dt.date | None = None) -> CertificateQuerySet:
        """The certificates the public may rely on today."""
        return self.with_public_status(today).filter(
            public_status=CertificateStatus.ACTIVE  # type: ignore[misc]  # an annotation
        )

    def live(self) -> CertificateQuerySet:
        """Active or suspended, as recorded: the certificates a company holds."""
        return self.filter(status__in=LIVE_STATUSES)


class Certificate(models.Model):
    """A certificate ``RCF-YYYY-NNNN``: one per certified company and certification line.

    A renewal does not change the number (it is printed on paper and embedded in badges):
    the certificate gets the new validity period and its ``application`` becomes the renewal
    application; the previous periods stay in the history (:class:`CertificateEvent`).
    ``scope`` is the public snapshot of what is certified, taken at each decision.
    """

    number = models.CharField(_("numéro"), max_length=16, unique=True)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.PROTECT, related_name="certificates"
    )
    application = models.ForeignKey(
        "certification.Application",
        on_delete=models.PROTECT,
        related_name="certificates",
        verbose_name=_("dossier de la décision en vigueur"),
    )
    status = models.CharField(
        _("statut"),
        max_length=16,
        choices=CertificateStatus.choices,
        default=CertificateStatus.ACTIVE,
        db_index=True,
    )
    scheme_version = models.CharField(_("version du référentiel"), max_length=8)
    first_issued_on = models.DateField(_("première émission"))
    valid_from = models.DateField(_("valide du"))
    valid_until = models.DateField(_("valide jusqu'au"))
    status_changed_at = models.DateTimeField(_("statut depuis le"))
    scope = models.JSONField(_("périmètre certifié"))
    search_text = models.TextField(
        _("texte de recherche"),
        default="",
        editable=False,
        help_text=_("Nom, marques, SIREN et numéro, en minuscules et sans accents."),
    )
    sort_name = models.CharField(
        _("nom pour le tri"),
        max_length=200,
        default="",
        editable=False,
        db_index=True,
        help_text=_("Raison sociale en minuscules et sans accents : l'ordre alphabétique."),
    )
    search_filters = models.TextField(
        default="",
        editable=False,
        help_text=_('Jetons de filtre : "t:territoire" "d:département" "c:canal".'),
    )
    scheme = models.CharField(
        _("référentiel"), max_length=64, default="relation-client-france", editable=False
    )
    status_index = models.PositiveIntegerField(
        _("position dans les listes de statut"),
        unique=True,
        help_text=_("Même position dans la liste de révocation et dans celle de suspension."),
    )

    objects = CertificateQuerySet.as_manager()

    public_status: str
    """Set by :meth:`CertificateQuerySet.with_public_status`."""

    class Meta:
        db_table = "certificates_certificate"
        ordering = ["number"]
        verbose_name = _("certificat")
        verbose_name_plural = _("certificats")
        constraints = [
            # A suspended certificate must not leave another one of the same company showing
            # as valid: at most one live certificate per company and scheme.
            models.UniqueConstraint(
                fields=["organisation", "scheme"],
                condition=models.Q(status__in=LIVE_STATUSES),
                name="one_live_certificate_per_organisation_and_scheme",
            ),
            # A renewal moves the certificate to its new dossier: one certificate per dossier.
            models.UniqueConstraint(fields=["application"], name="one_certificate_per_application"),
        ]
        indexes = [
            # « Registre mis à jour le … » (rcf.registry.selectors.registry_updated_at): the
            # latest change of status, read from the end of this index instead of every row.
            models.Index(fields=["status_changed_at"], name="certificate_status_changed"),
        ]

    def __str__(self) -> str:
        return self.number

    def reindex(self) -> None:
        """Recompute the search fields from the organisation and the certified scope.

        The full-text index of the registry search follows ``search_text`` by itself
        (triggers on SQLite, an index of the column on PostgreSQL: rcf/registry/migrations);
        a renamed organisation reindexes its certificates (:mod:`rcf.registry.search`).
        """
        from rcf.core.text import fold

        scope = self.scope
        words = [
            self.organisation.name,
            *scope.get("brands", []),
            self.organisation.siren,
            self.number,
        ]
        self.search_text = fold(" ".join(words))
        self.sort_name = fold(self.organisation.name)
        tokens = [f'"t:{t}"' for t in scope["sites"]["territories"]]
        tokens += [f'"d:{d}"' for d in scope["sites"]["departments"]]
        tokens += [f'"c:{c}"' for c in scope["channels"]]
        self.search_filters = " ".join(tokens)


class ContactPoint(models.Model):
    """A contact point of the declaration a certificate is in force for (version 2, RCF-09),
    written when the certificate is issued or renewed. ``number`` is the E.164 form of a
    telephone number, indexed: « whose number is this? » is one index lookup, never a scan."""

    certificate = models.ForeignKey(
        Certificate, on_delete=models.CASCADE, related_name="contact_points"
    )
    position = models.PositiveIntegerField(_("rang"))
    channel = models.CharField(_("canal"), max_length=32)
    value = models.CharField(_("valeur"), max_length=2000)
    """As published: a telephone number in E.164, an address or URL as declared."""
    number = models.CharField(_("numéro E.164"), max_length=16, blank=True, db_index=True)
    purpose = models.CharField(_("usage"), max_length=32)
    brands = models.JSONField(_("marques"), default=list)

    class Meta:
        ordering = ["certificate", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["certificate", "position"], name="contact_point_position_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.certificate_id} {self.channel} {self.value}"


class CertificateEvent(models.Model):
    """One change of a certificate's life, shown publicly as its status history."""

    certificate = models.ForeignKey(Certificate, on_delete=models.PROTECT, related_name="events")
    on = models.DateTimeField(_("le"))
    action = models.CharField(_("événement"), max_length=32)
    status = models.CharField(_("statut"), max_length=16, choices=CertificateStatus.choices)
    reason = models.TextField(_("motif"), blank=True)
    data = models.JSONField(default=dict, blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        db_table = "certificates_certificateevent"
        ordering = ["on", "id"]

    def __str__(self) -> str:
        return f"{self.certificate} {self.action} → {self.status}"


class CertificateSequence(models.Model):
    """The last certificate number given for a year: locked to number decisions one by one."""

    year = models.PositiveIntegerField(primary_key=True)
    last = models.PositiveIntegerField(default=0)

    class Meta:
        db_table = "certificates_certificatesequence"

    def __str__(self) -> str:
        return f"{self.year}: {self.last}"
