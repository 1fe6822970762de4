from django.apps import AppConfig


class FrontConfig(AppConfig):
    """Server-rendered pages that belong to no other app: home, pre-check page."""

    name = "rcf.front"
    verbose_name = "Pages"
