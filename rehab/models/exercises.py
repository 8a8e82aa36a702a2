"""The exercise library: seeded from planner/data/exercises.json, editable in the admin."""

from django.db import models

from planner.vocabulary import COMPONENTS, DOSE_KINDS, IMPACT_LEVELS, POSITIONS


def _choices(values):
    return [(value, value.replace("_", " ").capitalize()) for value in values]


class Exercise(models.Model):
    slug = models.SlugField(max_length=80, unique=True)
    name = models.CharField(max_length=120)
    component = models.CharField(max_length=12, choices=_choices(COMPONENTS), db_index=True)
    impact = models.CharField(max_length=10, choices=_choices(IMPACT_LEVELS))
    regions_loaded = models.JSONField(default=list, blank=True, help_text="Body regions the exercise loads.")
    pressure_regions = models.JSONField(
        default=list, blank=True, help_text="Body regions bearing sustained body weight (sitting, lying)."
    )
    stretched_regions = models.JSONField(default=list, blank=True, help_text="Regions taken towards end range.")
    equipment = models.JSONField(default=list, blank=True, help_text='Equipment needed; ["none"] when nothing.')
    position = models.CharField(max_length=12, choices=_choices(POSITIONS))
    tags = models.JSONField(default=list, blank=True, help_text="Movement tags the load limits exclude by.")
    dose_kind = models.CharField(max_length=10, choices=_choices(DOSE_KINDS))
    easier = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    harder = models.ForeignKey("self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    setup = models.TextField(help_text="How to get ready, in plain words.")
    movement = models.TextField(help_text="What to do.")
    feel = models.TextField(help_text="What the patient should and should not feel.")
    mistakes = models.TextField(help_text="Common mistakes to avoid.")
    muscle_groups = models.JSONField(default=list, blank=True)
    is_active = models.BooleanField(default=True, help_text="Inactive exercises are never prescribed.")

    class Meta:
        ordering = ["component", "name"]

    def __str__(self) -> str:
        return self.name


class ExerciseTranslation(models.Model):
    """An exercise's name and instructions in one more language (rehab.exercise_words reads them).

    The shipped library's come from locale/<code>/exercises.json (rehab.exercise_library syncs them
    after every migrate); a clinic may add its own exercises' in the admin. A reader whose language has
    no row reads the English of the Exercise row.
    """

    exercise = models.ForeignKey(Exercise, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(max_length=8, help_text="A language code of settings.LANGUAGES, not English.")
    name = models.CharField(max_length=120)
    setup = models.TextField()
    movement = models.TextField()
    feel = models.TextField()
    mistakes = models.TextField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["exercise", "language"], name="one_translation_per_language")]

    def __str__(self) -> str:
        return f"{self.name} ({self.language})"
