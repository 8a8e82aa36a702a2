"""A plan change written by a weekly decision, in the reader's language.

The decision service writes the plan's change reason ("Week 3 decision: hold (amber) — ...") and the
pause reason ("Week 3 review: ...") in English, from the decision's first three reasons; those texts are
the audit's and stay as they are. A page that has the plan's decisions at hand says them again in the
reader's language, from the decision row the text was written from: only when the stored English is
exactly what that row gives (otherwise, e.g. a row decided again since, the stored English is shown).
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from django.utils.translation import gettext, gettext_lazy

from frontend.templatetags.staff_progress import LIGHT_WORDS, STAFF_ACTION_WORDS
from planner.progression.said import text_of

_WEEK = re.compile(r"Week (\d+) (?:decision|review): ")
NO_DATA = gettext_lazy("no data")
SUMMARY_REASONS = 3  # as rehab.services.progression.decision_summary writes it


def decision_reason_words(stored: str, decisions: Mapping[int, object]) -> str:
    """`stored` (a plan change's or pause's reason) in the reader's language when a weekly decision
    wrote it; any other reason as stored. decisions: the plan's decision rows by week."""
    found = _WEEK.match(stored or "")
    row = decisions.get(int(found[1])) if found else None
    if row is None:
        return stored
    week, action, light = row.week, row.action, row.light  # type: ignore[attr-defined]
    reasons = row.reasons[:SUMMARY_REASONS]  # type: ignore[attr-defined]
    english = "; ".join(reason["text"] for reason in reasons)
    summary = "; ".join(text_of(reason) for reason in reasons)
    if stored == f"Week {week} decision: {action} ({light or 'no data'}) — {english}":
        return gettext("Week %(week)s decision: %(action)s (%(light)s) — %(summary)s") % {
            "week": week,
            "action": str(STAFF_ACTION_WORDS.get(action, action)).lower(),
            "light": str(LIGHT_WORDS.get(light, NO_DATA)),
            "summary": summary,
        }
    if stored == f"Week {week} review: {english}":
        return gettext("Week %(week)s review: %(summary)s") % {"week": week, "summary": summary}
    return stored
