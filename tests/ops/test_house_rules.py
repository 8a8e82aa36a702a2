"""House rules a machine checks: migrations are frozen history, not live code.

A migration that imports the app (`rehab.…`, `frontend.…`, the engine in `planner/`) runs whatever
that code says today, not what it said when the migration was written, so an old database would be
migrated differently from a new one, or not at all once the imported name moves. Read by AST, so a
function-local import counts as much as one at the top.
"""

import ast
import importlib
from pathlib import Path

import pytest
from django.db.migrations.loader import MigrationLoader

from rehab.exercise_library import sync_default_library
from rehab.models import Exercise

REPO_ROOT = Path(__file__).resolve().parents[2]
MIGRATION_PACKAGES = ("rehab.migrations", "frontend.migrations")
LIVE_APP_PACKAGES = {"rehab", "frontend", "planner"}
# Django's migrations name a model field's class by its import path (there is no other way to freeze a
# custom field), so the module of our field classes is part of the frozen history: it may be imported,
# and it imports nothing of the app itself (test_the_field_module_imports_no_app_code).
FIELD_MODULES = ("rehab.models.fields",)
SEED_MIGRATION = "0003_seed_exercise_library"


def migration_files() -> list[Path]:
    return sorted(
        path
        for package in MIGRATION_PACKAGES
        for path in (REPO_ROOT / Path(*package.split("."))).glob("*.py")
        if path.name != "__init__.py"
    )


def imported_modules(path: Path) -> set[str]:
    """Every module the file imports, anywhere in it; relative imports stay inside their own package."""
    modules = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            modules.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            modules.add(node.module)
        elif isinstance(node, ast.Call) and _imports_by_name(node):
            modules.update(arg.value for arg in node.args[:1] if isinstance(arg, ast.Constant))
    return modules


def _imports_by_name(call: ast.Call) -> bool:
    function = call.func
    name = function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")
    return name in {"import_module", "__import__"}


def live_app_imports(path: Path) -> list[str]:
    return sorted(
        module
        for module in imported_modules(path)
        if module.split(".")[0] in LIVE_APP_PACKAGES
        and module not in FIELD_MODULES
        and not any(module == package or module.startswith(package + ".") for package in MIGRATION_PACKAGES)
    )


def test_the_field_module_imports_no_app_code():
    for module in FIELD_MODULES:
        path = REPO_ROOT / Path(*module.split(".")).with_suffix(".py")
        assert [name for name in imported_modules(path) if name.split(".")[0] in LIVE_APP_PACKAGES] == []


def test_the_migration_files_are_found():
    names = {path.name for path in migration_files()}

    assert f"{SEED_MIGRATION}.py" in names
    assert len(names) >= 10


def test_no_migration_imports_live_app_code():
    offenders = {str(path.relative_to(REPO_ROOT)): live_app_imports(path) for path in migration_files()}

    assert {path: modules for path, modules in offenders.items() if modules} == {}


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("from rehab.exercise_library import sync_default_library", ["rehab.exercise_library"]),
        ("def seed(apps, schema_editor):\n    import planner.catalogue\n", ["planner.catalogue"]),
        ("import importlib\nimportlib.import_module('frontend.forms')", ["frontend.forms"]),
        ("from rehab.migrations import helpers\nfrom . import other\nimport json", []),
        ("from django.db import migrations\nimport simple_history.models", []),
        ("import rehab.models.fields\nfrom rehab.models import Plan", ["rehab.models"]),
    ],
)
def test_the_rule_sees_an_app_import_wherever_it_is_written(tmp_path, source, expected):
    migration = tmp_path / "0099_example.py"
    migration.write_text(source, encoding="utf-8")

    assert live_app_imports(migration) == expected


def frozen_seed():
    return importlib.import_module(f"rehab.migrations.{SEED_MIGRATION}")


def written_fields(seed) -> set[str]:
    return {"slug", "tags", "easier", "harder", *seed.COPIED_FIELDS, *seed.INSTRUCTION_FIELDS}


def test_the_frozen_seed_writes_only_columns_that_exist_at_its_schema():
    seed = frozen_seed()
    state = MigrationLoader(None, ignore_no_migrations=True).project_state(("rehab", "0002_exercise_library"))
    columns_at_0002 = set(state.models["rehab", "exercise"].fields)

    assert written_fields(seed) - columns_at_0002 == set()


class _CurrentApps:
    """Stands in for the migration's historical apps: the seed only asks for the Exercise model."""

    @staticmethod
    def get_model(app_label, model_name):
        assert (app_label, model_name) == ("rehab", "Exercise")
        return Exercise


def library_rows(fields) -> dict[str, dict]:
    rows = {}
    for exercise in Exercise.objects.select_related("easier", "harder"):
        row = {name: getattr(exercise, name) for name in fields if name not in {"easier", "harder", "tags"}}
        row["tags"] = sorted(exercise.tags)
        row["easier"] = exercise.easier.slug if exercise.easier else None
        row["harder"] = exercise.harder.slug if exercise.harder else None
        rows[exercise.slug] = row
    return rows


@pytest.mark.django_db
def test_the_frozen_seed_leaves_the_library_the_live_sync_writes():
    seed = frozen_seed()
    fields = written_fields(seed)
    sync_default_library(Exercise)
    live = library_rows(fields)
    Exercise.objects.all().delete()

    seed.seed(_CurrentApps(), schema_editor=None)

    assert len(live) > 100
    assert library_rows(fields) == live
