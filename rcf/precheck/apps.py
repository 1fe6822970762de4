from django.apps import AppConfig


class PrecheckConfig(AppConfig):
    """The pre-check as the platform runs it: the engine fed with the membership registry
    and the DSN evidence, and the ``rcf evaluate`` / ``rcf schema`` commands."""

    name = "rcf.precheck"
    verbose_name = "Pré-contrôle"
