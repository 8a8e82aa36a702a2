"""User-facing words written in Python go through the catalogue: a flash message, a form's label or help,
and a refusal a service or view raises (its message reaches a page or an API client). A literal string
in one of those places is English for every reader, so the scan below fails on it."""

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
SOURCES = sorted(
    path
    for folder in ("frontend", "rehab")
    for path in (ROOT / folder).rglob("*.py")
    if "migrations" not in path.parts and "management" not in path.parts
)
# A string literal (plain or f-string) straight where a reader's words go.
LITERAL = r'\s*f?["\'][^"\']*[A-Za-z]{2}'
UNMARKED = [
    re.compile(r"messages\.(?:success|error|info|warning)\(\s*request,\s*" + LITERAL[3:]),
    re.compile(r"\b(?:label|help_text)\s*=" + LITERAL),  # (forms only: see FORM_ONLY)
    re.compile(r"raise (?:NotAllowed|Conflict|NoClinic|PermissionDenied|Http404)\(" + LITERAL),
    re.compile(r"raise InvalidInput\(\{\s*[\"'][\w.-]+[\"']:\s*\[" + LITERAL),
]


# A model's help_text documents the field for developers (the admin and the API schema), and an SVG's
# aria-label is an f-string of words translated before: the label and help rule is for forms.
FORM_ONLY = UNMARKED[1]


def unmarked(source: str, *, forms: bool = True) -> list[str]:
    patterns = [p for p in UNMARKED if forms or p is not FORM_ONLY]
    return [match.group(0) for pattern in patterns for match in pattern.finditer(source)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_readers_words_in_python_are_marked_for_translation(path):
    forms = "forms" in path.stem
    assert unmarked(path.read_text(encoding="utf-8"), forms=forms) == []


def test_the_scan_finds_an_unmarked_message():
    assert unmarked('messages.success(request, "Saved.")')
    assert unmarked('messages.error(request, f"{name} is gone.")')
    assert unmarked('    label="Your date of birth",')
    assert unmarked('raise NotAllowed("Only a physiotherapist.")')
    assert unmarked('raise InvalidInput({"note": ["Write it."]})')
    assert not unmarked('messages.success(request, gettext("Saved."))')
    assert not unmarked('label=gettext_lazy("Sex")')
    assert not unmarked('raise Http404(gettext("No such plan."))')
