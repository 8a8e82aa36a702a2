"""Texts stored for the record (an alert's message, a plan's pause reason, a reassessment's history
reason) in the reader's language.

Each is stored twice: its English, which the audit trail, the FHIR export and the history keep as
written, and beside it the same sentence as a catalogue template with its values
(planner.progression.said), from which a page, the clinician's report or an email says it in the
reader's language. The template is used only while it still gives the stored English (a reason a
clinician rewrote, or a row written before templates were kept, reads as stored).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils.translation import gettext_noop

from planner.progression.said import Said, said_from_data

# The fixed reasons the services give a patient's record and assessments for their history rows. Those
# rows keep no template (only a plan's do: rehab.models.plans), so a page says these by their catalogue
# entry; any other reason there (a person's own words) reads as written.
PATIENT_REGISTERED = gettext_noop("Patient registered")
RECORD_UPDATED = gettext_noop("Record updated")
ASSESSMENT_RECORDED = gettext_noop("Assessment recorded")
DEMO_ASSESSMENT = gettext_noop("Demo assessment")
FIXED_REASONS = frozenset({PATIENT_REGISTERED, RECORD_UPDATED, ASSESSMENT_RECORDED, DEMO_ASSESSMENT})


def stored_text(english: str, said: Mapping[str, Any] | None) -> str:
    """`english` in the active language, from its template `said` when that still says it."""
    if not said:
        return english
    try:
        sentence = said_from_data(said)
        if sentence.english() != english:
            return english
        return sentence.text()
    except (KeyError, TypeError, ValueError):
        # A translation naming a value its template lacks must not take a page down: the English says it.
        return english


def alert_text(alert) -> str:
    """An Alert's message in the active language."""
    return stored_text(alert.message, alert.said)


def pause_reason_text(plan) -> str:
    """A Plan's pause_reason in the active language."""
    return stored_text(plan.pause_reason, plan.pause_said)


def exceeded_text(entry: Mapping[str, Any]) -> str:
    """One limit an override exceeded ({"limit", "message", "said"}), in the active language."""
    return stored_text(str(entry.get("message", "")), entry.get("said"))


def as_stored(sentence: Said) -> tuple[str, dict[str, Any]]:
    """(English, template data): the two columns a stored text is written to."""
    return sentence.english(), sentence.as_data()
