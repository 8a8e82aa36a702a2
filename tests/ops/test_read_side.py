"""House rules a machine checks: one read side, one write side.

- The page and API layers (`frontend/`, `rehab/api/`) and the modules that compute on what the
  selectors hand them (`READ_LAYERS`) read through `rehab/selectors/`: no `Model.objects` and no
  query building or evaluation (`.filter(`, `.first(` … on a manager or a queryset) of their own.
- Only `rehab/services/`, the outbox (`rehab/queue.py`), management commands and migrations write
  rows: `.save(`, `.delete()`, queryset `.update(`/`.create(`, `bulk_*`, `get_or_create` …

Read by AST, so the check costs no database and sees every line; it recognises a query by the
method names Django's managers and querysets have (`QUERY_METHODS`), which is an approximation:
`list(queryset)` or a `for` over one handed in by a selector is not seen, and neither is a write
through a related manager (`plan.items.create(...)`), which would need types. Each exception below
says why it is one. `NOT_YET_MOVED` is the read side's remaining debt, one entry per read (module,
function, the expression's first line): move the read into a selector and delete its entry; the
test fails on an entry that no longer matches anything, so the list only shrinks.
"""

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# The page and API layers, and the modules that compute on what selectors hand them (progress
# series, caseload rows and their adherence, sign-in links and lock-outs).
READ_LAYERS = (
    "frontend",
    "rehab/api",
    "rehab/progress.py",
    "rehab/caseload.py",
    "rehab/adherence.py",
    "rehab/activation.py",
    "rehab/signin.py",
    "rehab/clinical.py",
    "rehab/documents.py",
    "rehab/clearance.py",
    "rehab/i18n.py",
    "rehab/exercise_words.py",
    "rehab/patient_words.py",
)
WRITE_SCAN = ("rehab", "frontend")
WRITERS = ("rehab/services/", "rehab/queue.py", "rehab/management/", "rehab/migrations/", "frontend/migrations/")

QUERY_METHODS = {
    "filter", "exclude", "all", "none", "order_by", "select_related", "prefetch_related", "annotate",
    "aggregate", "values_list", "first", "last", "exists", "in_bulk", "iterator", "distinct", "only", "defer",
    "select_for_update",
}  # fmt: skip
ALWAYS_WRITES = {"bulk_create", "bulk_update", "get_or_create", "update_or_create"}
QUERYSET_WRITES = {"update", "create", "delete"}  # writes when called on a manager or a queryset

# (module, function, first line of the expression) -> why the page or API layer may do this itself.
ALLOWED_READS = {
    (
        "rehab/api/serializers.py",
        "PatientSerializer",
        "User.objects.all()",
    ): "DRF field validation only: __init__ narrows it to selectors.care_team_candidates before any read",
    (
        "rehab/api/checkins.py",
        "CheckInSerializer",
        "PlanItem.objects.all()",
    ): "DRF field validation only (PlanItemIdField): checkins.checkin_record checks the id against the plan",
    (
        "rehab/api/checkins.py",
        "CheckInItemSerializer",
        "PlanItem.objects.all()",
    ): "DRF field validation only (PlanItemIdField): checkins.checkin_record checks the id against the plan",
}

# (module, function, first line of the expression) -> the read not moved into rehab/selectors/ yet.
NOT_YET_MOVED: set[tuple[str, str, str]] = set()

# (module, function, first line of the expression) -> why this code, outside the services, writes.
ALLOWED_WRITES = {
    (
        "rehab/api/token_auth.py",
        "TokenAuthentication._cleanup_token",
        "auth_token.delete()",
    ): "knox's hook: an expired API token is deleted as it is presented (no patient data)",
    (
        "rehab/exercise_library.py",
        "sync_default_library",
        'exercise_model.objects.update_or_create(slug=entry["slug"], defaults=values)',
    ): "reference data: the exercise library from planner/data, synced after migrate (apps.py)",
    (
        "rehab/exercise_library.py",
        "sync_default_library",
        'exercise.save(update_fields=["easier", "harder"])',
    ): "reference data: the library's easier/harder links, second pass of the same sync",
    (
        "rehab/exercise_library.py",
        "sync_library_translations",
        "translation_model.objects.update_or_create(",
    ): "reference data: the library's translations from locale/<code>/exercises.json, the same sync",
    (
        "rehab/models/access.py",
        "RecordAccess.save",
        "super().save(*args, **kwargs)",
    ): "the model's own save, refusing to change a stored row (append-only log)",
    (
        "rehab/pdf/pages.py",
        "_PageCountCanvas.save",
        "super().save()",
    ): "reportlab's canvas writing a PDF, not a row",
}


def _modules(tops) -> list[Path]:
    return sorted(
        path
        for top in tops
        for path in ([ROOT / top] if top.endswith(".py") else (ROOT / top).rglob("*.py"))
        if "migrations" not in path.parts and "__pycache__" not in path.parts
    )


def _parents(tree: ast.AST) -> dict[ast.AST, ast.AST]:
    return {child: node for node in ast.walk(tree) for child in ast.iter_child_nodes(node)}


def _enclosing(node: ast.AST, parents) -> str:
    """The dotted name of the class and function the node sits in ('' at module level)."""
    names = []
    while node in parents:
        node = parents[node]
        if isinstance(node, ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef):
            names.append(node.name)
    return ".".join(reversed(names))


def _is_query(node: ast.AST) -> bool:
    if isinstance(node, ast.Attribute) and node.attr == "objects":
        return True
    return isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr in QUERY_METHODS


def _chain_contains_query(node: ast.AST) -> bool:
    """Whether the receiver chain (a.b.c(...).d) has `.objects` or a query method in it."""
    while isinstance(node, ast.Attribute | ast.Call):
        if _is_query(node):
            return True
        node = node.func if isinstance(node, ast.Call) else node.value
    return False


def _outer_link(node: ast.AST, parents) -> ast.AST | None:
    """The node one step further along a method chain, if any (`x.filter` -> `x.filter(...)`)."""
    parent = parents.get(node)
    if isinstance(parent, ast.Attribute) and parent.value is node:
        return parent
    if isinstance(parent, ast.Call) and parent.func is node:
        return parent
    return None


def _first_line(source: str, node: ast.AST) -> str:
    return (ast.get_source_segment(source, node) or "").splitlines()[0].strip()


def reads_in(path: Path) -> dict[tuple[str, str, str], int]:
    """{(module, function, expression's first line): line number} for each query chain, reported once
    at its outermost query link."""
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    parents = _parents(tree)
    found = {}
    for node in ast.walk(tree):
        if not _is_query(node):
            continue
        link = _outer_link(node, parents)
        while link is not None and not _is_query(link):
            link = _outer_link(link, parents)
        if link is not None:
            continue  # a further link of the same chain is the one reported
        key = (str(path.relative_to(ROOT)), _enclosing(node, parents), _first_line(source, node))
        found.setdefault(key, node.lineno)
    return found


def _is_write(call: ast.Call) -> bool:
    if not isinstance(call.func, ast.Attribute):
        return False
    name, receiver = call.func.attr, call.func.value
    if name in ALWAYS_WRITES:
        return True
    if name == "save":
        return not call.args or isinstance(call.args[0], ast.Starred)  # model.save(update_fields=...)
    if name == "delete" and not call.args and not call.keywords:
        return True  # instance.delete() / queryset.delete(); cache.delete(key) takes an argument
    return name in QUERYSET_WRITES and _chain_contains_query(receiver)


def writes_in(path: Path) -> dict[tuple[str, str, str], int]:
    source = path.read_text(encoding="utf-8")
    tree = ast.parse(source)
    parents = _parents(tree)
    return {
        (str(path.relative_to(ROOT)), _enclosing(node, parents), _first_line(source, node)): node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Call) and _is_write(node)
    }


def _all_reads() -> dict[tuple[str, str, str], int]:
    return {key: line for path in _modules(READ_LAYERS) for key, line in reads_in(path).items()}


def _all_writes() -> dict[tuple[str, str, str], int]:
    return {
        key: line
        for path in _modules(WRITE_SCAN)
        if not str(path.relative_to(ROOT)).startswith(WRITERS) and str(path.relative_to(ROOT)) != "rehab/queue.py"
        for key, line in writes_in(path).items()
    }


def test_the_page_and_api_layers_read_only_through_selectors():
    found = _all_reads()
    unexplained = {key: line for key, line in found.items() if key not in ALLOWED_READS and key not in NOT_YET_MOVED}

    assert unexplained == {}, "read through rehab/selectors/ instead:\n" + "\n".join(
        f"{module}:{line} in {function or 'module'}: {text}" for (module, function, text), line in unexplained.items()
    )


def test_every_listed_exception_still_matches_a_read():
    found = _all_reads()

    assert [key for key in (*ALLOWED_READS, *NOT_YET_MOVED) if key not in found] == []


def test_only_the_services_the_outbox_and_commands_write_rows():
    found = _all_writes()
    unexplained = {key: line for key, line in found.items() if key not in ALLOWED_WRITES}

    assert unexplained == {}, "write through rehab/services/ instead:\n" + "\n".join(
        f"{module}:{line} in {function or 'module'}: {text}" for (module, function, text), line in unexplained.items()
    )
    assert [key for key in ALLOWED_WRITES if key not in found] == []


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        (
            "def f():\n    return Plan.objects.filter(a=1).select_related('p').first()\n",
            ["Plan.objects.filter(a=1).select_related('p').first()"],
        ),
        ("def f(p):\n    return p.plans.filter(status='x')\n", ["p.plans.filter(status='x')"]),
        ("def f(d):\n    return d.get('x'), sorted(d.items())\n", []),
    ],
)
def test_the_read_rule_reports_a_query_chain_once(tmp_path, source, expected, monkeypatch):
    module = tmp_path / "view.py"
    module.write_text(source, encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.ROOT", tmp_path)

    assert [text for (_, _, text) in reads_in(module)] == expected


@pytest.mark.parametrize(
    ("source", "written"),
    [
        ("Alert.objects.filter(pk=1).update(acknowledged_at=now)", True),
        ("patient.save(update_fields=['name'])", True),
        ("token.delete()", True),
        ("Reminder.objects.bulk_create(rows)", True),
        ("context.update(form=form)", False),
        ("cache.delete('key')", False),
        ("canvas.save(path)", False),
    ],
)
def test_the_write_rule_tells_a_row_write_from_a_dict_update(source, written):
    call = ast.parse(source).body[0].value

    assert _is_write(call) is written
