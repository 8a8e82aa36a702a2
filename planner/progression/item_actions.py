"""What the weekly decision does to one item: advance it one step (back towards the dose held before a
regression first), hold it, or take it back one step; each returns an ItemDecision with its rules and
words, the dose clamped to the limits last."""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, replace
from fractions import Fraction

from planner.dosing import unique_rules
from planner.growth import default_growth_rules, governing_unit, is_capped, weekly_volume
from planner.intensity import aerobic_targets, resistance_targets
from planner.limits import add_rationale, clamp_dose
from planner.progression.dose_variables import (
    DOSE_VARIABLES,
    TIME_VARIABLE,
    below,
    changed_variables,
    describe_change,
    required_value,
    variable_value,
    with_whole,
)
from planner.progression.outcome import DecisionReason, ItemDecision, checkin_ids, counted, reason
from planner.progression.said import Said, said
from planner.progression.signals import CheckInSignal, ItemReport, ItemState, WeekContext
from planner.progression_rules import ProgressionConfig
from planner.rules import Rulebook
from planner.schedule import NEVER_FITS, NOT_DUE, RATIONALE_FIELD, UNITS_PER_VALUE, WAITING, grow_one_step
from planner.translation import gettext_noop
from planner.types import Dose, Intensity, LoadLimits, ProgressionRule, Rule

# Steps (weeks) within which a regression must be able to climb back to the held dose to be preferred.
RETURN_HORIZON = 26
AT_CEILINGS_TEXT = gettext_noop("Held: every variable is at its ceiling under the limits (its target dose for now).")
# How many past growth steps an item remembers, so that red weeks can take them back one by one.
TRAIL_LENGTH = 4


@dataclass(frozen=True)
class _Progressing:
    """An item as planner.schedule.grow_one_step reads it (a schedule.Growing), with a progression rule of
    the decision's own: the climb back to a held dose, or the item's rule with a step passed over."""

    progression: ProgressionRule
    component: str


def _capped_at(progression: ProgressionRule, held: Dose) -> ProgressionRule:
    """The rule with each step's ceiling lowered to the held dose's value: the climb back stops there."""
    steps = []
    for step in progression.steps:
        held_value = variable_value(held, step.variable)
        ceiling = step.ceiling if held_value is None else min(step.ceiling, held_value)
        steps.append(replace(step, ceiling=ceiling))
    return replace(progression, steps=tuple(steps))


def _climb_back_rule(progression: ProgressionRule, held: Dose) -> ProgressionRule:
    """The rule for climbing back to a dose already tolerated: ceilings at the held dose, and every step
    due every week (the spacing of steps is for new ground; increments and the weekly cap still apply)."""
    return _capped_at(replace(progression, steps=tuple(replace(s, every_weeks=1) for s in progression.steps)), held)


def _time_floor(
    dose: Dose, variable: str, progression: ProgressionRule, limits: LoadLimits
) -> tuple[float, tuple[Rule, ...]]:
    """(floor, rules): the shortest bout, fewest repetitions or shortest hold the item may have."""
    floors = [(step.floor, step.rules) for step in progression.steps if step.refit == variable and step.floor]
    value, rules = max(floors, key=lambda entry: entry[0]) if floors else (1 / UNITS_PER_VALUE.get(variable, 1), ())
    if variable == "reps" and dose.component == "resistance" and limits.resistance.min_reps > value:
        value, rules = limits.resistance.min_reps, limits.rules_for("resistance.min_reps")
    return value, rules


def _reduce(
    dose: Dose,
    variable: str,
    progression: ProgressionRule,
    limits: LoadLimits,
    book: Rulebook,
    config: ProgressionConfig,
) -> tuple[Dose, tuple[Rule, ...]] | None:
    """`dose` with one variable reduced by the regression step, not below its floor; None at the floor."""
    keep = Fraction(100) - Fraction(str(config.regress_step_pct))
    if variable == "intensity":
        unit = governing_unit(dose)
        current = dose.intensity_in(unit) if unit else None
        if unit is None or current is None:
            return None
        high = current.high
        if unit not in ("pct_hrr", "pct_1rm"):
            # A ladder (band colour, tempo, support): one level back, never below the first.
            if high <= 1:
                return None
            targets = tuple(Intensity(unit, high - 1, high - 1) if t.unit == unit else t for t in dose.intensity)
            return replace(dose, intensity=targets), ()
        aerobic = dose.component == "aerobic"
        floor = config.regress_floor_pct_hrr if aerobic else config.regress_floor_pct_1rm
        floor_rule = config.rule("regress_floor_pct_hrr" if aerobic else "regress_floor_pct_1rm")
        target = min(math.floor(high * keep / 100 + Fraction(1, 2)), high - 1)
        new_high = max(target, floor)
        if new_high >= high:
            return None
        if aerobic:
            # `current` is the %HRR range: an aerobic dose's governing unit (planner.growth.GOVERNING_UNITS).
            # The range moves down with its top, but its bottom not below the floor (unless it already was).
            new_low = min(max(current.low - (high - new_high), min(floor, current.low)), new_high)
            reduced = replace(dose, intensity=aerobic_targets(new_low, new_high, limits, book.anchors))
        else:
            reduced = replace(dose, intensity=resistance_targets(new_high, limits, book.anchors))
        return reduced, ((floor_rule,) if new_high == floor else ())
    if variable in ("sets", "frequency_per_week"):
        count = dose.sets if variable == "sets" else dose.frequency_per_week
        if count is None or count <= 1:
            return None
        return with_whole(dose, variable, count - 1), ()
    per_value = UNITS_PER_VALUE.get(variable, 1)
    units = Fraction(required_value(dose, variable)) * per_value
    time_floor, floor_rules = _time_floor(dose, variable, progression, limits)
    floor_units = math.ceil(Fraction(str(time_floor)) * per_value)
    target = min(math.floor(units * keep / 100 + Fraction(1, 2)), math.ceil(units) - 1)
    new_units = max(target, floor_units)
    if new_units >= units:
        return None
    if variable == "minutes":
        reduced = replace(dose, minutes=new_units / per_value)
    else:
        reduced = with_whole(dose, variable, int(new_units))
    return reduced, (floor_rules if new_units == floor_units else ())


def _climbs_back(reduced: Dose, held: Dose, progression: ProgressionRule, limits: LoadLimits, book: Rulebook) -> bool:
    """True when the rule's steps, under the weekly cap, bring `reduced` back to `held` within RETURN_HORIZON
    steps. Whole repetitions and seconds are coarse: under a 5 % cap one repetition more than 9 (+11 %)
    or one second more than a 19 s hold (+5.3 %) never fits, so such a reduction could not be given back."""
    climb = _Progressing(_climb_back_rule(progression, held), reduced.component)
    history = [held, reduced]
    for _ in range(RETURN_HORIZON):
        if not below(history[-1], held):
            return True
        dose, variable, why_not = grow_one_step(history, climb, 1, limits, book)
        if variable is None and why_not != WAITING:
            return False
        history.append(dose)
    return not below(history[-1], held)


def regress_item(
    item: ItemState, limits: LoadLimits, book: Rulebook, config: ProgressionConfig, why: tuple[Rule, ...]
) -> ItemDecision:
    base = clamp_dose(item.dose, limits)
    held = item.held_dose if item.held_dose is not None and below(base, item.held_dose) else base
    trail = item.growth_trail
    # A step that only spread the same volume over one more day or set reduced nothing: take back the
    # step before it too, until the dose is lower.
    while trail and is_capped(base.component) and weekly_volume(clamp_dose(trail[-1], limits)) >= weekly_volume(base):
        trail = trail[:-1]
    if trail:
        # Take back exactly the step that last grew (its reverse), e.g. 2 x 8 back to 1 x 12.
        before = clamp_dose(trail[-1], limits)
        if below(before, base):
            rules = unique_rules(why, (config.rule("regress_order"),))
            # Some variable is lower (below), so one differs.
            variable = next(v for v in DOSE_VARIABLES if variable_value(before, v) != variable_value(base, v))
            dose = add_rationale(add_rationale(before, "volume", rules), RATIONALE_FIELD.get(variable, "time"), rules)
            text = said(
                gettext_noop("Regress: back to the dose before the last step (%(change)s)."),
                change=describe_change(variable, base, dose),
            )
            return ItemDecision(
                item.slug,
                item.dose,
                dose,
                variable,
                "down",
                rules,
                text.english(),
                held if below(dose, held) else None,
                trail[:-1],
                said=text,
            )
    in_rule = {step.variable for step in item.progression.steps}
    candidates = []
    for name in config.regress_order:
        variable = TIME_VARIABLE[base.dose_kind] if name == "time" else name
        # Only a variable the progression rule can grow again is reduced, so the item can climb back.
        if variable in in_rule:
            reduced = _reduce(base, variable, item.progression, limits, book, config)
            if reduced is not None:
                candidates.append((variable, *reduced))
    if not candidates:
        rules = unique_rules(why, (config.rule("regress_floor"),))
        text = said(gettext_noop("Held: every variable is already at its floor."))
        return ItemDecision(
            item.slug,
            item.dose,
            base,
            None,
            None,
            rules,
            text.english(),
            held if below(base, held) else None,
            said=text,
        )
    # Prefer the first variable (in the configured order) whose reduction can be given back under the cap;
    # when none can, the first one (the dose must come down either way).
    variable, dose, floor_rules = next(
        (c for c in candidates if _climbs_back(c[1], held, item.progression, limits, book)), candidates[0]
    )
    rules = unique_rules(
        why,
        (config.rule("regress_step_pct"), config.rule("regress_order")),
        (config.rule("regress_floor"),) if floor_rules else (),
        floor_rules,
    )
    dose = add_rationale(add_rationale(dose, RATIONALE_FIELD[variable], rules), "volume", rules)
    dose = clamp_dose(dose, limits)  # limits last
    text = said(gettext_noop("Regress: %(change)s."), change=describe_change(variable, base, dose))
    held_dose = held if below(dose, held) else None
    return ItemDecision(item.slug, item.dose, dose, variable, "down", rules, text.english(), held_dose, said=text)


def reports_by_slug(checkin: CheckInSignal) -> dict[str, ItemReport]:
    """A check-in's reports by exercise, the first one where it reports an exercise twice (item_shortfall's
    `reports`: the decision looks every item up in every check-in of the week)."""
    found: dict[str, ItemReport] = {}
    for report in checkin.items:
        found.setdefault(report.slug, report)
    return found


def item_shortfall(
    item: ItemState,
    checkins: Sequence[CheckInSignal],
    context: WeekContext,
    config: ProgressionConfig,
    reports: Sequence[dict[str, ItemReport]] | None = None,
) -> DecisionReason | None:
    """Why this item should not progress although the week is green (not done enough, or not completed).

    reports: reports_by_slug of each check-in, in the same order, when the caller has them.
    """
    rule = config.rule("item_completed")
    dose = item.dose
    slug = item.slug
    if reports is None:
        reports = [reports_by_slug(checkin) for checkin in checkins]
    # An exercise a done session does not mention counts as done: many sessions are logged without
    # per-exercise detail. Only an explicit "skipped", or less than planned, holds the item.
    done = []
    for checkin, reported in zip(checkins, reports, strict=True):
        report = reported.get(slug)
        if report.done if report is not None else checkin.session_done:
            done.append((checkin, report or ItemReport(slug, True)))
    needed = math.ceil(config.adherence_min * min(dose.frequency_per_week, context.sessions_planned))
    if len(done) < needed:
        return reason(
            rule,
            said(
                gettext_noop("Done in %(done)s session(s) this week; at least %(needed)s needed."),
                done=len(done),
                needed=needed,
            ),
            checkin_ids(c for c, _ in done),
        )
    # What was planned per session, compared with what each done session reports (when it says).
    planned = [
        (name, value)
        for name, value in (
            ("sets", dose.sets),
            ("reps", dose.reps if dose.dose_kind == "sets_reps" else None),
            ("minutes", dose.minutes),
        )
        if value is not None
    ]
    short = []
    for checkin, report in done:
        for name, value in planned:
            got = getattr(report, name)
            if got is not None and got < value:
                short.append(checkin)
                break
    if short:
        return reason(
            rule,
            said(
                gettext_noop("The planned dose was not completed in %(sessions)s."),
                sessions=counted("session", len(short)),
            ),
            checkin_ids(short),
        )
    return None


def advance_item(
    item: ItemState,
    next_week: int,
    limits: LoadLimits,
    book: Rulebook,
    config: ProgressionConfig,
    why: tuple[Rule, ...],
) -> ItemDecision:
    base = clamp_dose(item.dose, limits)
    held_dose = item.held_dose
    returning = held_dose is not None and below(base, held_dose)
    # After a regression, climb back towards the held dose first. When nothing can climb back the
    # item's own rule applies rather than leave it stuck below the held dose; either way the growth
    # cap holds, averaged over its window (planner.growth).
    attempts: list[tuple[ProgressionRule, bool]] = []
    if held_dose is not None and returning:
        attempts.append((_climb_back_rule(item.progression, held_dose), True))
    attempts.append((item.progression, False))
    cap_rules = limits.rules_for("weekly_progression_max_pct")
    history = (*item.history, base)
    waiting = not_due = never_fits = False
    for progression, climbing_back in attempts:
        for _ in progression.steps:
            grown, variable, why_not = grow_one_step(
                history, _Progressing(progression, base.component), next_week, limits, book
            )
            if variable is None:
                waiting = waiting or why_not == WAITING
                not_due = not_due or why_not == NOT_DUE
                never_fits = never_fits or why_not == NEVER_FITS
                break
            step = next(step for step in progression.steps if step.variable == variable)
            rules = unique_rules(why, (config.rule("return_to_held"),) if climbing_back else (), step.rules, cap_rules)
            dose = add_rationale(add_rationale(grown, RATIONALE_FIELD[variable], rules), "volume", rules)
            dose = clamp_dose(dose, limits)  # limits last
            if not _one_step_up(base, dose, variable, step.refit):
                # The limits undo this step (a ceiling in the rule above a limit changed since): pass it over.
                progression = _passed_over(progression, variable, base)
                continue
            grew = (
                gettext_noop("Back towards the dose before the regression: %(change)s.")
                if climbing_back
                else gettext_noop("Advance: %(change)s.")
            )
            text = said(grew, change=describe_change(variable, base, dose))
            held = item.held_dose if below(dose, item.held_dose) else None
            trail = (*item.growth_trail, base)[-TRAIL_LENGTH:]
            return ItemDecision(
                item.slug, item.dose, dose, variable, "up", rules, text.english(), held, trail, said=text
            )
    if waiting:
        window = default_growth_rules().window_weeks
        text = said(
            gettext_noop(
                "Held: the next whole step fits once the growth allowed over %(weeks)s covers it "
                "(it comes within two weeks)."
            ),
            weeks=counted("week", window),
        )
    elif not_due:
        text = said(gettext_noop("Held: the next step is due next week."))
    elif never_fits:
        text = said(
            gettext_noop(
                "Held: the next whole step is larger than the weekly growth cap allows over %(weeks)s; "
                "a clinician may raise the cap or a ceiling."
            ),
            weeks=counted("week", default_growth_rules().window_weeks),
        )
    else:
        text = said(AT_CEILINGS_TEXT)
    return ItemDecision(
        item.slug,
        item.dose,
        base,
        None,
        None,
        why,
        text.english(),
        item.held_dose if returning else None,
        item.growth_trail,
        said=text,
    )


def _one_step_up(base: Dose, dose: Dose, variable: str, refit: str | None) -> bool:
    """The clamped dose still grows `variable` and changes nothing but it (and its refit)."""
    return required_value(dose, variable) > required_value(base, variable) and set(changed_variables(base, dose)) <= {
        variable,
        refit,
    }


def _passed_over(progression: ProgressionRule, variable: str, dose: Dose) -> ProgressionRule:
    """The rule with `variable`'s ceiling at its current value, so next_dose passes over it."""
    steps = tuple(
        replace(step, ceiling=required_value(dose, variable)) if step.variable == variable else step
        for step in progression.steps
    )
    return replace(progression, steps=steps)


def hold_item(item: ItemState, limits: LoadLimits, why: tuple[Rule, ...], text: Said) -> ItemDecision:
    base = clamp_dose(item.dose, limits)
    held = item.held_dose if below(base, item.held_dose) else None
    return ItemDecision(item.slug, item.dose, base, None, None, why, text.english(), held, item.growth_trail, said=text)
