from django.apps import AppConfig


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehabilitation planner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the tasks in every process (web included), so publishing goes through
        # the task objects and eager mode applies in unit tests.
        from rehab import tasks  # noqa: F401
