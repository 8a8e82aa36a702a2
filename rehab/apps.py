from django.apps import AppConfig
from django.db.models.signals import post_migrate


def sync_exercise_library(sender, using="default", apps=None, **kwargs):
    """After `migrate`, bring the default exercise library up to date with planner/data/exercises.json.

    New movement attributes and reworded instructions then reach the database without a data
    migration. Idempotent (update_or_create by slug). Uses the migrated state's model, and does
    nothing when that state has no exercise table (e.g. after migrating the app to zero).
    """
    from django.db import connections

    from rehab.exercise_library import sync_default_library

    try:
        model = apps.get_model("rehab", "Exercise") if apps is not None else sender.get_model("Exercise")
    except LookupError:
        return
    if model._meta.db_table not in connections[using].introspection.table_names():
        return
    sync_default_library(model)
    from rehab.clinical import library_changed

    library_changed()


class RehabConfig(AppConfig):
    name = "rehab"
    verbose_name = "Rehabilitation planner"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        # Register the tasks in every process (web included), so publishing goes through
        # the task objects and eager mode applies in unit tests.
        from rehab import tasks  # noqa: F401

        post_migrate.connect(sync_exercise_library, sender=self, dispatch_uid="rehab.sync_exercise_library")

        from django.db.models.signals import post_delete, post_save

        from rehab.clinical import library_changed
        from rehab.models import Exercise, ExerciseTranslation

        # Each process keeps the engine's view of the library (and its translations, rehab.exercise_words)
        # until an exercise or a translation changes.
        for model in (Exercise, ExerciseTranslation):
            name = model.__name__.lower()
            post_save.connect(library_changed, sender=model, dispatch_uid=f"rehab.library_changed.save.{name}")
            post_delete.connect(library_changed, sender=model, dispatch_uid=f"rehab.library_changed.delete.{name}")

        from django.utils import formats, translation

        from planner.translation import install

        # The planner's wording (doses, effort, dates, numbers) follows the active language, as the pages do.
        install(
            gettext=translation.gettext,
            ngettext=translation.ngettext,
            pgettext=translation.pgettext,
            decimal_separator=lambda: formats.get_format("DECIMAL_SEPARATOR"),
            exercise_name=_exercise_name,
        )

        from django.contrib.auth.signals import user_login_failed

        from rehab.signin import address_failure_record

        # Every failed sign-in, on any surface, counts against the client's address.
        user_login_failed.connect(address_failure_record, dispatch_uid="rehab.signin.address_failure_record")


def _exercise_name(slug: str, english: str) -> str:
    """A library exercise named in the active language, for the planner's sentences (planner.translation)."""
    from rehab.exercise_words import exercise_words

    return exercise_words(slug, english).name
