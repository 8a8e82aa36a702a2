"""A broken limit said twice: its English message (what the record keeps) and the same sentence as a
catalogue template with named values (planner.progression.said), which pages and the API say in the
reader's language. The templates are marked with gettext_noop where they are written."""

from __future__ import annotations

from typing import Any

from planner.types import Violation


def violation(limit: str, template: str, /, **values: Any) -> Violation:
    # planner.progression imports the limits: its sentence type is imported when a violation is made.
    from planner.progression.said import said

    sentence = said(template, **values)
    return Violation(limit, sentence.english(), sentence)


def word(english: str) -> Any:
    """A catalogue word among a violation's values (planner.progression.said.Word)."""
    from planner.progression.said import Word

    return Word(english)


def fixed(value: float, decimals: int) -> Any:
    """A number with a fixed count of decimals among a violation's values (planner.progression.said.Fixed)."""
    from planner.progression.said import Fixed

    return Fixed(value, decimals)


def violation_text(found: Violation) -> str:
    """The violation in the active language (its English where it kept no template)."""
    return found.said.text() if found.said is not None else found.message
