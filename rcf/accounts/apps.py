from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Organisations, users, roles and API tokens."""

    name = "rcf.accounts"
    verbose_name = "Comptes"
