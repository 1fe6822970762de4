from django.apps import AppConfig


class CredentialsConfig(AppConfig):
    """Signed certificates: signing keys, Verifiable Credentials, status lists, badges, QR codes."""

    name = "rcf.credentials"
    verbose_name = "Attestations signées"
