from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Pages for physiotherapists, patients and clinicians"
    default_auto_field = "django.db.models.BigAutoField"
