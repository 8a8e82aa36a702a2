"""Load the default exercise library (planner/data/exercises.json) into the database, with its
translations (locale/<code>/exercises.json: each shipped exercise's name and instructions)."""

import json
from pathlib import Path

from planner.catalogue import tags_from_attributes

ROOT = Path(__file__).resolve().parent.parent
LIBRARY_FILE = ROOT / "planner" / "data" / "exercises.json"
TRANSLATION_FILES = "locale/*/exercises.json"  # under ROOT; the folder names the language
TRANSLATED_FIELDS = ("name", "setup", "movement", "feel", "mistakes")

_FIELDS = (
    "name",
    "component",
    "impact",
    "regions_loaded",
    "pressure_regions",
    "stretched_regions",
    "equipment",
    "position",
    "dose_kind",
    "muscle_groups",
)


def sync_default_library(exercise_model) -> int:
    """Create or update every exercise of the default library; returns how many were written.

    Takes the model class so a data migration can pass its historical model. Exercises a
    clinic added in the admin are left alone. The library states every movement attribute true or
    false; the row's tags are the true ones (Exercise.tags is a JSON list, so a new attribute needs
    no migration). Running it again writes the same values (it runs after every migrate).
    """
    entries = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
    by_slug = {}
    for entry in entries:
        values = {name: entry[name] for name in _FIELDS}
        values["tags"] = tags_from_attributes(entry["slug"], entry["attributes"])
        values.update(entry["instructions"])
        exercise, _ = exercise_model.objects.update_or_create(slug=entry["slug"], defaults=values)
        by_slug[entry["slug"]] = exercise
    for entry in entries:
        exercise = by_slug[entry["slug"]]
        exercise.easier = by_slug.get(entry["easier"]) if entry["easier"] else None
        exercise.harder = by_slug.get(entry["harder"]) if entry["harder"] else None
        exercise.save(update_fields=["easier", "harder"])
    sync_library_translations(exercise_model, by_slug)
    return len(entries)


def library_translations() -> dict[str, dict[str, dict[str, str]]]:
    """{language: {slug: {name, setup, movement, feel, mistakes}}} from the shipped files."""
    return {
        path.parent.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(ROOT.glob(TRANSLATION_FILES))
    }


def sync_library_translations(exercise_model, by_slug: dict) -> None:
    """Create or update the translation row of every shipped exercise in every shipped language.

    Finds the translation model next to `exercise_model` (a migration's historical state may predate
    it: then there is nothing to fill). Rows a clinic added for its own exercises are left alone.
    """
    try:
        translation_model = exercise_model._meta.apps.get_model("rehab", "ExerciseTranslation")
    except LookupError:
        return
    for language, entries in library_translations().items():
        for slug, words in entries.items():
            if slug in by_slug:
                translation_model.objects.update_or_create(
                    exercise=by_slug[slug],
                    language=language,
                    defaults={field: words[field] for field in TRANSLATED_FIELDS},
                )
