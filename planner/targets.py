"""What a plan aims at by its last week (clinical-reference 8d), when it gets there, and why it may not.

Targets are rule data (planner/data/rules_growth.json, "targets"); for each component and measure the
targets whose condition names the profile come before the general one. The outlook reads the plan's
schedule as if every week were green: the first week the target is met, or the reason it is not —
a limit's ceiling, the growth cap, or the plan's length.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from planner.dosing import unique_rules
from planner.growth import GrowthRules, Target, default_growth_rules
from planner.rules import Condition, compile_condition
from planner.translation import gettext, gettext_noop, number
from planner.types import Dose, LoadLimits, PlanWeek, PrescriptionItem, Profile, Rule, ScheduledDose, TargetOutlook

# Why a target is not met within the plan, as catalogue templates. The outlook stores the English (the
# plan's record); why_lower_text says it again in the reader's language by reading its values back.
WHY_GROWTH_CAP = gettext_noop(
    "The weekly growth cap of %(cap)s %% (averaged over %(window)s weeks) does not reach it within %(weeks)s "
    "weeks; it keeps growing after."
)
WHY_STEP_BY_STEP = gettext_noop(
    "It grows one step at a time and is not reached within %(weeks)s weeks; it keeps growing after."
)
WHY_CEILINGS = gettext_noop("The limits and the dose ceilings stop it lower for this patient.")
_NUMBERS = frozenset({"cap"})  # values that are decimal numbers (the others are whole weeks)

MEASURE_WORDS = {
    "minutes_per_week": gettext_noop("minutes a week"),
    "sets": gettext_noop("sets of each exercise"),
    "days_per_week": gettext_noop("days a week"),
    "seconds_per_session": gettext_noop("seconds a session for each stretch"),
}


def applicable_targets(profile: Profile, rules: GrowthRules | None = None) -> tuple[Target, ...]:
    """One target per (component, measure): a condition naming the profile wins over the general one."""
    rules = rules or default_growth_rules()
    chosen: dict[tuple[str, str], Target] = {}
    specific: set[tuple[str, str]] = set()
    for target, condition, general in _compiled(rules):
        key = (target.component, target.measure)
        if not condition(profile):
            continue
        if general and key not in chosen:
            chosen[key] = target
        elif not general and key not in specific:
            chosen[key] = target
            specific.add(key)
    return tuple(chosen.values())


_COMPILED: dict[int, tuple[GrowthRules, tuple[tuple[Target, Condition, bool], ...]]] = {}


def _compiled(rules: GrowthRules) -> tuple[tuple[Target, Condition, bool], ...]:
    """Each target with its compiled condition and whether it is the general one, once per rule data."""
    found = _COMPILED.get(id(rules))
    if found is None or found[0] is not rules:
        if len(_COMPILED) >= 8:
            _COMPILED.clear()
        compiled = tuple(
            (target, compile_condition(target.when, target.id), target.when == {"always": True})
            for target in rules.targets
        )
        found = _COMPILED[id(rules)] = (rules, compiled)
    return found[1]


def _minutes_per_week(dose: Dose) -> float:
    # Dose.__post_init__ has checked that the dose kind's own values are set.
    if dose.dose_kind == "minutes":
        assert dose.minutes is not None
        return dose.frequency_per_week * float(dose.minutes)
    assert dose.sets is not None
    if dose.dose_kind == "hold":
        assert dose.hold_seconds is not None
        return dose.frequency_per_week * dose.sets * dose.hold_seconds / 60
    assert dose.reps is not None
    return dose.frequency_per_week * dose.sets * dose.reps * 4 / 60  # about 4 s a repetition


def measure(component: str, name: str, doses: Sequence[Dose]) -> float:
    """The measure over the component's doses of one week (sums for totals, the least for each-item)."""
    if not doses:
        return 0.0
    if name == "minutes_per_week":
        return sum(_minutes_per_week(dose) for dose in doses)
    if name == "sets":
        return min(dose.sets or 0 for dose in doses)
    if name == "days_per_week":
        each = [dose.frequency_per_week for dose in doses]
        return max(each) if component in ("aerobic", "neuromotor") else min(each)
    return min((dose.sets or 0) * (dose.hold_seconds or 0) for dose in doses)


def _why_lower(
    items: Sequence[PrescriptionItem], last: PlanWeek, limits: LoadLimits, weeks: int
) -> tuple[str, tuple[Rule, ...]]:
    """The first bound that stops the component: a ceiling (with the rules that set it), else the cap."""
    ceiling_rules: list[Rule] = []
    growing = False
    for item in items:
        scheduled = last.dose_for(item.slug)
        if scheduled is None:
            continue
        for step in item.progression.steps:
            value = getattr(scheduled.dose, step.variable, None) if step.variable != "intensity" else None
            if value is not None and value >= step.ceiling:
                ceiling_rules.extend(step.rules)
            elif value is not None:
                growing = True
    growth = default_growth_rules()
    if growing and items and items[0].component in growth.capped_components:
        cap = limits.rules_for("weekly_progression_max_pct")
        values = {"cap": f"{limits.weekly_progression_max_pct:g}", "window": growth.window_weeks, "weeks": weeks}
        return WHY_GROWTH_CAP % values, unique_rules(cap, (growth.window_rule,))
    if growing:
        return WHY_STEP_BY_STEP % {"weeks": weeks}, ()
    return WHY_CEILINGS, unique_rules(ceiling_rules)


def _pattern(template: str) -> re.Pattern[str]:
    """The English a template gives, with each named value caught."""
    parts = re.split(r"(%\(\w+\)s)", template.replace("%%", "%"))
    caught = (f"(?P<{part[2:-2]}>.+?)" if part.startswith("%(") else re.escape(part) for part in parts)
    return re.compile("^" + "".join(caught) + "$")


_WHY_PATTERNS = tuple((template, _pattern(template)) for template in (WHY_GROWTH_CAP, WHY_STEP_BY_STEP, WHY_CEILINGS))


def why_lower_text(reason: str) -> str:
    """A stored outlook's reason in the active language; a reason no template gives (written by an
    older release) reads as stored."""
    for template, pattern in _WHY_PATTERNS:
        found = pattern.match(reason)
        if found:
            values = {
                name: number(float(value)) if name in _NUMBERS else value for name, value in found.groupdict().items()
            }
            return gettext(template) % values
    return reason


def _first_by_slug(week: PlanWeek) -> dict[str, ScheduledDose]:
    # Reversed, so that the first dose of a slug is the one kept (as PlanWeek.dose_for finds it).
    return {scheduled.exercise_slug: scheduled for scheduled in reversed(week.doses)}


def _component_weeks(
    items: Sequence[PrescriptionItem], by_slug: Sequence[dict[str, ScheduledDose]]
) -> list[list[Dose]]:
    """Each week's doses of `items` (those the week has), in item order."""
    slugs = [item.slug for item in items]
    return [[s.dose for slug in slugs if (s := found.get(slug)) is not None] for found in by_slug]


def _in_item_order(slugs: list[str], weeks: Sequence[PlanWeek]) -> bool:
    """Whether every week holds exactly one dose per item, in item order (as planner.schedule makes
    them): each item's dose is then found by its position."""
    if len(set(slugs)) != len(slugs):
        return False
    return all([scheduled.exercise_slug for scheduled in week.doses] == slugs for week in weeks)


def _measures(component: str, name: str, weekly: Sequence[Sequence[Dose]], minutes_of: dict[int, float]) -> list[float]:
    """measure() of each week's doses. A dose held from week to week is one object: its minutes a week
    are worked out once (minutes_of, by identity, shared by the plan's targets)."""
    if name != "minutes_per_week":
        return [measure(component, name, doses) for doses in weekly]
    out: list[float] = []
    for doses in weekly:
        each = []
        for dose in doses:
            value = minutes_of.get(id(dose))
            if value is None:
                value = minutes_of[id(dose)] = _minutes_per_week(dose)
            each.append(value)
        out.append(sum(each) if each else 0.0)
    return out


def plan_targets(
    profile: Profile, items: Sequence[PrescriptionItem], weeks: Sequence[PlanWeek], limits: LoadLimits
) -> tuple[TargetOutlook, ...]:
    """Each applicable target of the components the plan has, with the week the schedule meets it."""
    if not weeks:
        return ()
    outlooks = []
    # Each week's doses by slug, looked up once; each component's weekly doses gathered once and read by
    # each of its targets (a component has a target for several measures).
    slugs = [item.slug for item in items]
    by_position = _in_item_order(slugs, weeks)
    by_slug = [] if by_position else [_first_by_slug(week) for week in weeks]
    per_component: dict[str, tuple[list[PrescriptionItem], list[list[Dose]]]] = {}
    minutes_of: dict[int, float] = {}  # a dose's minutes a week, by identity (weeks holds the doses)
    for target in applicable_targets(profile):
        found = per_component.get(target.component)
        if found is None:
            mine = [item for item in items if item.component == target.component]
            if not mine:
                weekly: list[list[Dose]] = []
            elif by_position:
                mine_at = [n for n, item in enumerate(items) if item.component == target.component]
                weekly = [[week.doses[n].dose for n in mine_at] for week in weeks]
            else:
                weekly = _component_weeks(mine, by_slug)
            found = per_component[target.component] = (mine, weekly)
        mine, weekly = found
        if not mine:
            continue
        expected = None
        values = _measures(target.component, target.measure, weekly, minutes_of)
        for week, value in zip(weeks, values, strict=True):
            if value >= target.value:
                expected = week.number
                break
        reached = values[-1]
        rules: tuple[Rule, ...]
        if expected is not None:
            reason, rules = "", (target.rule,)
        else:
            reason, why = _why_lower(mine, weeks[-1], limits, len(weeks))
            rules = unique_rules((target.rule,), why)
        outlooks.append(
            TargetOutlook(
                target.id,
                target.component,
                target.measure,
                target.value,
                target.rule.text,
                expected,
                round(reached, 1),
                reason,
                rules,
            )
        )
    return tuple(outlooks)
