from django.apps import AppConfig


class CertificatesConfig(AppConfig):
    """Certificates and their life: issue, surveillance, suspension, withdrawal, expiry."""

    name = "rcf.certificates"
    verbose_name = "Certificats"
