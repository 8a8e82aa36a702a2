"""The README's layout section is true: one line per module of rehab/, planner/ and frontend/, each
subpackage naming its modules, and nothing listed that does not exist."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOPS = ("rehab", "planner", "frontend")
NOT_MODULES = {"migrations", "templates", "static", "locale", "__pycache__"}
# Subpackages whose line lists their modules by name.
LISTED = {
    "rehab/api": "rehab/api",
    "rehab/fhir": "rehab/fhir",
    "rehab/models": "rehab/models",
    "rehab/services": "rehab/services",
    "rehab/selectors": "rehab/selectors",
    "rehab/pdf": "rehab/pdf",
    "rehab/management": "rehab/management/commands",
    "planner/documents": "planner/documents",
    "planner/figures": "planner/figures",
    "planner/progression": "planner/progression",
    "frontend/patient": "frontend/patient",
    "frontend/staff": "frontend/staff",
}


def layout_entries() -> dict[str, str]:
    """{"rehab/api": "its line and continuation lines", ...} from the README's layout block."""
    text = (ROOT / "README.md").read_text()
    block = text.split("## Layout\n", 1)[1].split("```\n", 1)[1].split("```", 1)[0]
    entries: dict[str, str] = {}
    top = key = None
    for line in block.splitlines():
        if re.match(r"^\S", line):
            top = line.split()[0].rstrip("/")
            key = top
            entries[key] = line
        elif re.match(r"^  \S", line):
            name = line.split()[0]
            key = f"{top}/{name.rstrip('/')}"
            entries[key] = line
        elif key is not None:
            entries[key] += " " + line.strip()
    return entries


def modules_of(directory: Path) -> list[str]:
    names = []
    for path in sorted(directory.iterdir()):
        if path.name.startswith(("_", ".")) or path.name in NOT_MODULES:
            continue
        if path.suffix == ".py" or path.is_dir():
            names.append(path.name)
    return names


def test_every_module_of_the_three_packages_has_its_line():
    entries = layout_entries()
    missing = [
        f"{top}/{name}"
        for top in TOPS
        for name in modules_of(ROOT / top)
        if f"{top}/{name.removesuffix('/')}" not in entries and f"{top}/{name}" not in entries
    ]
    assert missing == []


def test_each_listed_subpackage_names_all_its_modules():
    entries = layout_entries()
    for entry, directory in LISTED.items():
        words = set(re.findall(r"[a-z_]+", entries[entry]))
        stems = [path.stem for path in (ROOT / directory).glob("*.py") if path.stem != "__init__"]
        assert [stem for stem in stems if stem not in words] == [], entry


def test_nothing_is_listed_that_does_not_exist():
    for entry in layout_entries():
        assert (ROOT / entry).exists(), entry
