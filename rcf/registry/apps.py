from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The public side: registry and verification pages, badges, credentials, open data."""

    name = "rcf.registry"
    verbose_name = "Registre public"
