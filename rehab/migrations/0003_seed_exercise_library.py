"""Seed the exercise library from planner/data/exercises.json, frozen at the schema of 0002.

A migration must not import live app code: the app moves on, the migration has to keep meaning what
it meant. So this is a self-contained copy of what the seed needs: it reads the library file and
writes only the columns 0002 created (the historical model), by slug, without planner/ or rehab/.
The tags are the attributes the file marks true (the file lists them in the engine's tag order).
The library is brought fully up to date after every `migrate` anyway (rehab.apps' post_migrate
handler, with the live code), so this seed only has to leave a consistent library at 0003.
"""

import json
from pathlib import Path

from django.db import migrations

LIBRARY_FILE = Path(__file__).resolve().parents[2] / "planner" / "data" / "exercises.json"

# The Exercise columns of 0002 this seed fills from the file as they are.
COPIED_FIELDS = (
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
INSTRUCTION_FIELDS = ("setup", "movement", "feel", "mistakes")


def seed(apps, schema_editor):
    exercise_model = apps.get_model("rehab", "Exercise")
    entries = json.loads(LIBRARY_FILE.read_text(encoding="utf-8"))
    by_slug = {}
    for entry in entries:
        values = {name: entry[name] for name in COPIED_FIELDS}
        values["tags"] = [tag for tag, present in entry["attributes"].items() if present is True]
        values.update({name: entry["instructions"][name] for name in INSTRUCTION_FIELDS})
        exercise, _ = exercise_model.objects.update_or_create(slug=entry["slug"], defaults=values)
        by_slug[entry["slug"]] = exercise
    for entry in entries:
        exercise = by_slug[entry["slug"]]
        exercise.easier = by_slug.get(entry["easier"]) if entry["easier"] else None
        exercise.harder = by_slug.get(entry["harder"]) if entry["harder"] else None
        exercise.save(update_fields=["easier", "harder"])


class Migration(migrations.Migration):
    dependencies = [("rehab", "0002_exercise_library")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
