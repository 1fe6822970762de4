from django.apps import AppConfig


class JournalConfig(AppConfig):
    """The append-only, hash-chained journal of every workflow transition."""

    name = "rcf.journal"
    verbose_name = "Journal"
