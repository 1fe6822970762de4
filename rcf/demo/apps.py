from django.apps import AppConfig


class DemoConfig(AppConfig):
    """Demonstration data and ``rcf demo``; the shared examples are packaged here too."""

    name = "rcf.demo"
    verbose_name = "Démonstration"
