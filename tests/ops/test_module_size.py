"""No module over ~500 lines without a reason written at its top (house rule; issue 14).

A module of planner/, rehab/ or frontend/ (migrations aside) longer than LIMIT lines is split by
concept, or says in a comment before its docstring why it is one module:

    # Kept whole: <why these belong in one module>

DEBT lists the modules over the limit that do neither yet. Each is being reworked elsewhere; a module
leaves DEBT in the commit that splits it or writes its reason, and no module joins it.
"""

from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
TOPS = ("planner", "rehab", "frontend")
LIMIT = 500
NOTE = "# Kept whole:"

DEBT: set[str] = set()


def says_why(text: str) -> bool:
    """Whether a module's leading comments (before its docstring or code) give a reason to keep it whole."""
    for line in text.splitlines():
        if not line.startswith("#"):
            return False
        if line.startswith(NOTE) and len(line[len(NOTE) :].split()) >= 3:
            return True
    return False


def long_modules() -> dict[str, str]:
    """{"planner/limits.py": its text} for every module over LIMIT lines."""
    found = {}
    for top in TOPS:
        for path in sorted((ROOT / top).rglob("*.py")):
            if "migrations" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            if len(text.splitlines()) > LIMIT:
                found[path.relative_to(ROOT).as_posix()] = text
    return found


def test_every_module_over_the_limit_says_why_it_is_one_module():
    unexplained = sorted(name for name, text in long_modules().items() if not says_why(text))
    assert [name for name in unexplained if name not in DEBT] == [], (
        f"over {LIMIT} lines: split it by concept, or write '{NOTE} <why>' above its docstring"
    )


def test_the_debt_holds_only_modules_still_over_the_limit_without_a_reason():
    long = long_modules()
    paid = sorted(name for name in DEBT if name not in long or says_why(long[name]))
    assert paid == [], "split or explained: take these off DEBT"


def test_a_reason_counts_only_at_the_top_and_only_with_words():
    assert says_why('# Kept whole: one decision and the words of its result.\n"""Doc."""\n')
    assert says_why("#!/usr/bin/env python\n# Kept whole: the rule data the rest reads.\n")
    assert not says_why('# Kept whole:\n"""Doc."""\n')
    assert not says_why('"""Doc."""\n# Kept whole: written below the docstring, where nobody looks.\n')
