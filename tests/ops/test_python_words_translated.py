"""User-facing words written in Python go through the catalogue: a flash message, a form's label or help,
a refusal a service or view raises and an API permission's message (they reach a page or an API client),
and a text stored for a reader (an alert's message, a pause reason) or a sentence's template. A literal
string in one of those places is English for every reader, so the scan below fails on it. The planner
is scanned too, for what it gives the Django side to say: a sentence's template not marked for the
catalogue, and a rule whose text is built at run time (locale/<code>/rules.json translates a rule's
fixed text; a clinician's own adjustment, "clinician.*", keeps the clinician's words)."""

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
PLANNER_SOURCES = sorted((ROOT / "planner").rglob("*.py"))
# A string literal (plain or f-string) straight where a reader's words go.
LITERAL = r'\s*f?["\'][^"\']*[A-Za-z]{2}'
UNMARKED = [
    re.compile(r"messages\.(?:success|error|info|warning)\(\s*request,\s*" + LITERAL[3:]),
    re.compile(r"\b(?:label|help_text)\s*=" + LITERAL),  # (forms only: see FORM_ONLY)
    re.compile(r"raise (?:NotAllowed|Conflict|NoClinic|PermissionDenied|Http404)\(" + LITERAL),
    re.compile(r"raise InvalidInput\(\{\s*[\"'][\w.-]+[\"']:\s*\[" + LITERAL),
    # A stored alert message or pause reason (kept with its template: rehab.stored_words), and a DRF
    # permission's message (the 403's detail).
    re.compile(r"\b(?:message|pause_reason)\s*=" + LITERAL),
    # A sentence's template given bare: makemessages never sees it (mark it with gettext_noop).
    re.compile(r"\bsaid\(" + LITERAL),
]
# In the planner: a template given bare, and a rule's text built at run time (not a clinician's own rule).
PLANNER_UNMARKED = [
    UNMARKED[-1],
    re.compile(r"\bRule\(\s*(?=\S)(?!(?:id=)?f?[\"']clinician\.)[^,()]+,\s*(?:text=)?f[\"']"),
]


# A model's help_text documents the field for developers (the admin and the API schema), and an SVG's
# aria-label is an f-string of words translated before: the label and help rule is for forms.
FORM_ONLY = UNMARKED[1]


def unmarked(source: str, *, forms: bool = True) -> list[str]:
    patterns = [p for p in UNMARKED if forms or p is not FORM_ONLY]
    return [match.group(0) for pattern in patterns for match in pattern.finditer(source)]


def planner_unmarked(source: str) -> list[str]:
    return [match.group(0) for pattern in PLANNER_UNMARKED for match in pattern.finditer(source)]


@pytest.mark.parametrize("path", SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_readers_words_in_python_are_marked_for_translation(path):
    forms = "forms" in path.stem
    assert unmarked(path.read_text(encoding="utf-8"), forms=forms) == []


@pytest.mark.parametrize("path", PLANNER_SOURCES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_planners_sentences_and_rules_can_be_translated(path):
    assert planner_unmarked(path.read_text(encoding="utf-8")) == []


def test_the_scan_finds_an_unmarked_message():
    assert unmarked('messages.success(request, "Saved.")')
    assert unmarked('messages.error(request, f"{name} is gone.")')
    assert unmarked('    label="Your date of birth",')
    assert unmarked('raise NotAllowed("Only a physiotherapist.")')
    assert unmarked('raise InvalidInput({"note": ["Write it."]})')
    assert not unmarked('messages.success(request, gettext("Saved."))')
    assert not unmarked('label=gettext_lazy("Sex")')
    assert not unmarked('raise Http404(gettext("No such plan."))')
    assert unmarked('alert = Alert.objects.create(kind=kind, message=f"{name}: flare.")')
    assert unmarked('    message = "Reminders are the patient\'s own."')
    assert unmarked('plan.pause_reason = f"Flare at the reassessment of {day}"')
    assert not unmarked("plan.pause_reason, plan.pause_said = as_stored(sentence)")
    assert not unmarked("message=message,")
    assert not unmarked('    message = gettext_lazy("Reminders are the patient\'s own.")')


def test_the_planner_scan_finds_a_bare_template_and_a_rule_built_at_run_time():
    assert planner_unmarked('said("within the new limits")')
    assert planner_unmarked('swap = Rule(\n    SWAP_RULE_ID,\n    f"Replaces {name} after a reassessment: {why}",')
    assert not planner_unmarked('said(gettext_noop("within the new limits"))')
    assert not planner_unmarked('Rule(id=f"clinician.progression.{key}", text=f"A clinician set {key}: {why}",')
    assert not planner_unmarked('Rule(entry["id"], entry["text"], entry["evidence"], entry["source"])')
