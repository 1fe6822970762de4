from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The public side: registry and verification pages, badges, credentials, open data."""

    name = "rcf.registry"
    verbose_name = "Registre public"

    def ready(self) -> None:
        # Connects the receiver that reindexes the certificates of a renamed company.
        from rcf.registry import search  # noqa: F401
