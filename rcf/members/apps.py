from django.apps import AppConfig


class MembersConfig(AppConfig):
    """The AFRC membership registry: who may apply for the label (RCF-01)."""

    name = "rcf.members"
    verbose_name = "Adhérents AFRC"
