"""The README's walk-through as data: its bash blocks, the statuses they expect, the answers' excerpts.

A step is a ```bash block in the "Walk-through" section; its `# → 201` comments are the status
lines it must print, in order; a ```json block after it is an excerpt the last answer
(`answer.json`) must contain, where the string "…" matches any value.
"""

import re
from dataclasses import dataclass
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
ELLIPSIS = "…"
_BLOCK = re.compile(r"^```(bash|json)\n(.*?)^```", re.S | re.M)
_EXPECT = re.compile(r"^# → (.+)$", re.M)
_STATUS_LINE = re.compile(r"^\d{3}(\s|$)")


@dataclass
class Step:
    script: str
    statuses: list[str]
    excerpt: str | None = None

    @property
    def retry(self) -> bool:
        return "run this block again" in self.script


def walkthrough_section(text: str) -> str:
    start = text.index("## Walk-through")
    end = text.find("\n## ", start + 1)
    return text[start : end if end != -1 else None]


def steps(text: str | None = None) -> list[Step]:
    section = walkthrough_section(text if text is not None else README.read_text())
    found: list[Step] = []
    for kind, body in _BLOCK.findall(section):
        if kind == "bash":
            found.append(Step(script=body, statuses=_EXPECT.findall(body)))
        elif found:
            found[-1].excerpt = body
    return found


def status_lines(output: str) -> list[str]:
    return [line.strip() for line in output.splitlines() if _STATUS_LINE.match(line)]


def contains(actual, expected) -> bool:
    """True when `expected` is an excerpt of `actual`: dict keys a subset, list items each found."""
    if expected == ELLIPSIS:
        return True
    if isinstance(expected, dict):
        return isinstance(actual, dict) and all(k in actual and contains(actual[k], v) for k, v in expected.items())
    if isinstance(expected, list):
        return isinstance(actual, list) and all(any(contains(a, e) for a in actual) for e in expected)
    return actual == expected
