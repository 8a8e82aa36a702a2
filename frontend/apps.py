from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "frontend"
    verbose_name = "Pages for physiotherapists, patients and clinicians"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from django.contrib.auth.signals import user_logged_in

        from frontend.sessions import extend_patient_session

        user_logged_in.connect(extend_patient_session, dispatch_uid="frontend.extend_patient_session")
