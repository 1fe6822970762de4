from django.apps import AppConfig


class ObservatoryConfig(AppConfig):
    name = "rcf.observatory"
    label = "observatory"
    verbose_name = "Observatoire"
    default_auto_field = "django.db.models.BigAutoField"
