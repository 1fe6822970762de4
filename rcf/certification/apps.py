from django.apps import AppConfig


class CertificationConfig(AppConfig):
    """The certification workflow in one home: the dossier, the audit, the decision and the
    certificate's life (docs/architecture.md)."""

    name = "rcf.certification"
    label = "certification"
    verbose_name = "Certification"
