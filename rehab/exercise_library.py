"""Load the default exercise library (planner/data/exercises.json) into the database."""

import json
from pathlib import Path

from planner.catalogue import tags_from_attributes

LIBRARY_FILE = Path(__file__).resolve().parent.parent / "planner" / "data" / "exercises.json"

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
    return len(entries)
