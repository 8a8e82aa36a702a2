"""What a reassessment changed, as sentences: English for the record, a catalogue template for the reader.

planner.reassessment decides; this module says it. Each change becomes a Said (planner.progression.said):
a template marked with gettext_noop and its values, so the plan history, the pause reason, the alerts and
the API keep one English text (.english()) and a page says the same sentence in its reader's language
(.text(), or rehab.stored_words from the stored template). Limit and profile fields are named by the
words below; a field missing here reads as its path, so a new field needs no code to be reported (its
name then stays English until it is added).

Exercise names are passed as they are (a library name, like the violations' own), as the template refit
does.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from planner.progression.said import ExerciseName, Joined, Said, Word, said
from planner.translation import gettext_noop

if TYPE_CHECKING:
    from planner.reassessment import ItemChange, ProfileChange, Reassessment
    from planner.types import LimitChange, Violation

# How a limit reads in a change: (words, unit). A unit is the same in every language.
LIMIT_WORDS = {
    "max_impact": (gettext_noop("impact ceiling"), ""),
    "aerobic.max_rpe": (gettext_noop("aerobic effort ceiling"), "RPE"),
    "aerobic.max_hrr_pct": (gettext_noop("aerobic ceiling"), "%HRR"),
    "aerobic.hr_zone_bpm": (gettext_noop("heart-rate zone"), "bpm"),
    "resistance.max_pct_1rm": (gettext_noop("resistance load ceiling"), "%1RM"),
    "resistance.max_rpe": (gettext_noop("resistance effort ceiling"), "RPE"),
    "resistance.min_reps": (gettext_noop("fewest repetitions a set"), ""),
    "flexibility.max_hold_seconds": (gettext_noop("longest stretch hold"), "s"),
    "excluded_tags": (gettext_noop("excluded movements"), ""),
    "avoid_regions": (gettext_noop("protected regions"), ""),
    "no_loading_regions": (gettext_noop("regions not to load"), ""),
    "weekly_progression_max_pct": (gettext_noop("weekly growth cap"), "%"),
    "supervision_required": (gettext_noop("supervised start needed"), ""),
    "clearance_required": (gettext_noop("medical clearance needed"), ""),
    "supervised_sessions": (gettext_noop("sessions to supervise"), ""),
}

# How a profile field reads. The flare rules' shipped labels (planner/data/rules_flare.json) are among
# these words, so a flare's field reads in the reader's language too.
PROFILE_WORDS = {
    "age": gettext_noop("age"),
    "sex": gettext_noop("sex"),
    "bone_fragility": gettext_noop("bone fragility"),
    "vertebral_fracture": gettext_noop("vertebral fracture"),
    "heterotopic_ossification_regions": gettext_noop("ossified regions"),
    "inflammation_activity": gettext_noop("inflammation"),
    "pain_at_rest": gettext_noop("pain at rest"),
    "resting_hr": gettext_noop("resting heart rate"),
    "measured_hr_max": gettext_noop("measured maximal heart rate"),
    "beta_blocker": gettext_noop("beta blocker"),
    "arrhythmia": gettext_noop("arrhythmia"),
    "cardiopulmonary_status": gettext_noop("heart and lungs"),
    "avoid_regions": gettext_noop("regions to avoid"),
    "available_equipment": gettext_noop("available equipment"),
    "unavailable_positions": gettext_noop("positions not possible"),
    "sedentary": gettext_noop("sedentary"),
    "padded_pressure_regions": gettext_noop("regions padded against pressure"),
}

# The values of the graded vocabularies (impact, bone fragility, inflammation, heart and lungs, sex) and
# the yes, no and none every field may take, marked so the catalogue has them. Other codes (regions,
# movements, equipment, positions) read as their code in words.
VALUE_WORDS = (
    gettext_noop("none"),
    gettext_noop("low"),
    gettext_noop("moderate"),
    gettext_noop("high"),
    gettext_noop("inactive"),
    gettext_noop("low bone mass"),
    gettext_noop("osteoporosis"),
    gettext_noop("fragility fracture"),
    gettext_noop("cleared"),
    gettext_noop("monitor"),
    gettext_noop("restricted"),
    gettext_noop("female"),
    gettext_noop("male"),
    gettext_noop("other"),
    gettext_noop("unknown"),
    gettext_noop("yes"),
    gettext_noop("no"),
)

CHANGE = gettext_noop("%(what)s %(before)s → %(after)s")
CHANGE_IN_UNIT = gettext_noop("%(what)s %(before)s → %(after)s %(unit)s")


def limit_word(path: str) -> Word | str:
    words = LIMIT_WORDS.get(path)
    return Word(words[0]) if words else path


def value_said(value: object) -> Any:
    """A limit's or a profile field's value as a sentence value: yes/no, none, a number, a word, a list."""
    if isinstance(value, bool):
        return Word("yes" if value else "no")
    if value is None:
        return Word("none")
    if isinstance(value, int | float):
        return value
    if isinstance(value, tuple | list):
        if not value:
            return Word("none")
        numbers = all(isinstance(v, int | float) and not isinstance(v, bool) for v in value)
        return Joined(tuple(value) if numbers else tuple(value_said(v) for v in value), "–" if numbers else ", ")
    return Word(str(value).replace("_", " "))


def limit_change_said(change: LimitChange) -> Said:
    words, unit = LIMIT_WORDS.get(change.field, (change.field, ""))
    what = Word(words) if change.field in LIMIT_WORDS else words
    before, after = value_said(change.before), value_said(change.after)
    if unit:
        return said(CHANGE_IN_UNIT, what=what, before=before, after=after, unit=unit)
    return said(CHANGE, what=what, before=before, after=after)


def profile_change_said(change: ProfileChange) -> Said:
    return said(CHANGE, what=Word(change.label), before=value_said(change.before), after=value_said(change.after))


def profile_label(field: str) -> str:
    """A profile field's English label (a catalogue word when it is one of PROFILE_WORDS)."""
    return PROFILE_WORDS.get(field, field.replace("_", " "))


def violations_said(violations: Iterable[Violation]) -> Said:
    """Why an exercise or a dose breaks the limits: each violation's sentence, one after the other.

    The bare "%(why)s" holds them as one sentence; it is no words of its own, so it is not in the catalogue
    (an unknown template reads as itself)."""
    return Said("%(why)s", (("why", Joined(tuple(v.said or v.message for v in violations), " ")),))


def within_new_limits() -> Said:
    return said(gettext_noop("within the new limits"))


def override_released_said(paths: Iterable[str]) -> Said:
    return said(
        gettext_noop("the override no longer applies: %(limits)s tightened"),
        limits=Joined(tuple(limit_word(path) for path in paths), ", "),
    )


def _exercise(change: ItemChange) -> ExerciseName:
    return ExerciseName(change.slug, change.name)


def _replacement(change: ItemChange) -> ExerciseName | str:
    if change.replacement_slug is None:
        return change.replacement_name or ""
    return ExerciseName(change.replacement_slug, change.replacement_name or "")


def item_change_said(change: ItemChange) -> Said:
    reason = change.said or change.reason
    if change.kind == "swapped":
        return said(
            gettext_noop("%(exercise)s replaced by %(replacement)s (%(reason)s)"),
            exercise=_exercise(change),
            replacement=_replacement(change),
            reason=reason,
        )
    if change.kind == "removed":
        return said(gettext_noop("removed %(exercise)s (%(reason)s)"), exercise=_exercise(change), reason=reason)
    if change.kind == "clamped":
        return said(gettext_noop("%(exercise)s dose lowered (%(reason)s)"), exercise=_exercise(change), reason=reason)
    return said(gettext_noop("%(exercise)s: %(reason)s"), exercise=_exercise(change), reason=reason)


def item_change_short_said(change: ItemChange) -> Said:
    """An item's change without its reason, as the flare alert lists them."""
    if change.kind == "swapped":
        return said(
            gettext_noop("%(exercise)s replaced by %(replacement)s"),
            exercise=_exercise(change),
            replacement=_replacement(change),
        )
    if change.kind == "removed":
        return said(gettext_noop("%(exercise)s removed"), exercise=_exercise(change))
    return said(
        gettext_noop("%(exercise)s: %(reason)s"), exercise=_exercise(change), reason=change.said or change.reason
    )


def change_reason_said(result: Reassessment, assessed_on: date) -> Said:
    """The plan history's reason, e.g. "Reassessment of 2026-11-30: inflammation moderate → high;
    aerobic ceiling 59 → 39 %HRR; removed Floor rise (... excluded)"."""
    parts: list[Any] = [profile_change_said(change) for change in result.profile_changes]
    parts += [limit_change_said(change) for change in result.tightened]
    parts += [item_change_said(change) for change in result.items]
    if result.proposed:
        parts.append(
            said(
                gettext_noop("looser limits proposed, not applied: %(limits)s"),
                limits=Joined(tuple(limit_change_said(change) for change in result.proposed), ", "),
            )
        )
    if result.flare:
        parts.append(said(gettext_noop("flare: progression paused for review")))
    day = assessed_on.isoformat()
    if not parts:
        return said(gettext_noop("Reassessment of %(day)s: no change to the plan"), day=day)
    return said(gettext_noop("Reassessment of %(day)s: %(changes)s"), day=day, changes=Joined(tuple(parts), "; "))


def change_reason(result: Reassessment, assessed_on: date) -> str:
    """The plan history's reason in English (the record's text; change_reason_said says it in a language)."""
    return change_reason_said(result, assessed_on).english()


def changes_as_data(result: Reassessment) -> list[dict[str, Any]]:
    """Every change as a plain dict (kind, field or exercise, before/after) for the API: `text` in the
    active language (English without the Django layer) and `said`, its template with its values."""

    def words(sentence: Said) -> dict[str, Any]:
        return {"text": sentence.text(), "said": sentence.as_data()}

    data = [
        {
            "kind": "flare" if change.rule else "profile",
            "field": change.field,
            "before": _jsonable(change.before),
            "after": _jsonable(change.after),
            "rule_id": change.rule.id if change.rule else None,
            **words(profile_change_said(change)),
        }
        for change in result.profile_changes
    ]
    data += [
        {
            "kind": kind,
            "field": change.field,
            "before": _jsonable(change.before),
            "after": _jsonable(change.after),
            **words(limit_change_said(change)),
        }
        for kind, group in (("limit_tightened", result.tightened), ("limit_proposed", result.proposed))
        for change in group
    ]
    data += [
        {
            "kind": change.kind,
            "exercise": change.slug,
            "replacement": change.replacement_slug,
            **words(item_change_said(change)),
        }
        for change in result.items
    ]
    return data


def _jsonable(value: object) -> object:
    return list(value) if isinstance(value, tuple) else value
