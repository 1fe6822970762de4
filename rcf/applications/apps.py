from django.apps import AppConfig


class ApplicationsConfig(AppConfig):
    """A company's certification dossier: its declaration, evidence, pre-check and status."""

    name = "rcf.applications"
    verbose_name = "Dossiers"
