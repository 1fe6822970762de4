from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    """E-mails: queued in the same transaction as the change they report, then delivered."""

    name = "rcf.notifications"
    verbose_name = "Notifications"
