from django.apps import AppConfig


class AuditsConfig(AppConfig):
    """AFNOR audits: planning and sampling, checklist, findings, corrective actions."""

    name = "rcf.audits"
    verbose_name = "Audits"
