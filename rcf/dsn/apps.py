from django.apps import AppConfig


class DsnConfig(AppConfig):
    """Payroll evidence: the streaming DSN reader (pure Python) and ``rcf dsn``."""

    name = "rcf.dsn"
    verbose_name = "DSN"
