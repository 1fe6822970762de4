from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the platform: the record of `rcf tick` runs and its lock, readiness, metrics."""

    name = "rcf.operations"
    verbose_name = "Exploitation"
