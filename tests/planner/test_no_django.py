"""The engine is plain Python: no module in planner/ imports Django, directly or indirectly."""

import ast
import subprocess
import sys
from pathlib import Path

PLANNER_DIR = Path(__file__).resolve().parents[2] / "planner"
REPO_ROOT = PLANNER_DIR.parent


def planner_modules() -> list[str]:
    return sorted(
        ".".join(path.relative_to(REPO_ROOT).with_suffix("").parts).removesuffix(".__init__")
        for path in PLANNER_DIR.rglob("*.py")
    )


def imported_names(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
    return names


def test_no_planner_source_file_mentions_a_django_import():
    offenders = {
        str(path.relative_to(REPO_ROOT)): sorted(
            name for name in imported_names(path) if name.split(".")[0] in {"django", "rest_framework", "rehab"}
        )
        for path in PLANNER_DIR.rglob("*.py")
    }

    assert {path: names for path, names in offenders.items() if names} == {}


# Runs in a fresh interpreter so that Django modules other tests may have loaded do not hide an import.
BLOCKING_IMPORTER = """
import importlib, sys

class RefuseDjango:
    def find_spec(self, name, path=None, target=None):
        if name.split(".")[0] in {"django", "rest_framework", "rehab"}:
            raise ImportError(f"the planner imported {name}")
        return None

sys.meta_path.insert(0, RefuseDjango())
for module in sys.argv[1:]:
    importlib.import_module(module)
from planner.schedule import build_plan
from planner.types import Profile
build_plan(Profile(age=57))
"""


def test_every_planner_module_imports_and_plans_with_django_blocked():
    modules = planner_modules()
    assert "planner.schedule" in modules

    result = subprocess.run(  # a fixed interpreter and our own module names
        [sys.executable, "-c", BLOCKING_IMPORTER, *modules],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )

    assert result.returncode == 0, result.stderr
