from django.apps import AppConfig


class CoreConfig(AppConfig):
    """What every app shares: domain errors, the health check, small helpers."""

    name = "rcf.core"
    verbose_name = "Socle"
