"""The exercise library: reference data with no patient in it, so every signed-in user reads the same rows;
and its translations (rehab.exercise_words)."""

from django.db.models import QuerySet

from planner.vocabulary import IMPACT_LEVELS
from rehab.models import Exercise, ExerciseTranslation


def exercise_library(
    *, component: str | None = None, impact: str | None = None, max_impact: str | None = None
) -> QuerySet[Exercise]:
    """The active exercises with their easier and harder variants joined; optionally of one FITT
    component, of one impact level, or of `max_impact` or gentler (values of planner.vocabulary)."""
    exercises = Exercise.objects.filter(is_active=True).select_related("easier", "harder")
    if component:
        exercises = exercises.filter(component=component)
    if impact:
        exercises = exercises.filter(impact=impact)
    if max_impact:
        exercises = exercises.filter(impact__in=IMPACT_LEVELS[: IMPACT_LEVELS.index(max_impact) + 1])
    return exercises


def exercise_for_figure(slug: str) -> Exercise | None:
    """An active exercise's slug, name and movement words (what its figure is drawn from), or None."""
    return Exercise.objects.filter(slug=slug, is_active=True).only("slug", "name", "movement").first()


def exercise_translations(language: str) -> dict[str, dict[str, str]]:
    """{slug: {name, setup, movement, feel, mistakes}} of every exercise translated into `language`."""
    rows = ExerciseTranslation.objects.filter(language=language).values_list(
        "exercise__slug", "name", "setup", "movement", "feel", "mistakes"
    )
    return {
        slug: {"name": name, "setup": setup, "movement": movement, "feel": feel, "mistakes": mistakes}
        for slug, name, setup, movement, feel, mistakes in rows
    }
