"""The weekly decision itself: the action the week's findings call for (pause, regress, hold or
advance), applied to every item; and the context the following week starts from."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import timedelta

from planner.dosing import unique_rules
from planner.growth import default_growth_rules
from planner.progression.findings import (
    Findings,
    localized_pain,
    read_adherence,
    read_disease_activity,
    read_heart_rate,
    read_pain,
    read_reassessment,
    read_red_flags,
    read_rpe,
    read_strength,
)
from planner.progression.item_actions import advance_item, hold_item, item_shortfall, regress_item, reports_by_slug
from planner.progression.outcome import (
    DECISION_FLAGS,
    DecisionReason,
    ProgressionDecision,
    checkin_ids,
    counted,
    reason,
)
from planner.progression.said import said
from planner.progression.signals import CheckInSignal, ItemState, StrengthSignal, WeekContext
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.rules import Rulebook, default_rulebook
from planner.translation import gettext_noop
from planner.types import LoadLimits


def _weeks_since_regression(context: WeekContext) -> int | None:
    return 1 if context.previous_action == "regress" else context.weeks_since_regression


def decide_progression(
    context: WeekContext,
    checkins: Iterable[CheckInSignal],
    limits: LoadLimits,
    strength: Iterable[StrengthSignal] = (),
    *,
    config: ProgressionConfig | None = None,
    rulebook: Rulebook | None = None,
) -> ProgressionDecision:
    """Decide next week's doses from the week's check-ins and the strength tests so far.

    checkins: the check-ins of the week that just ended (any order). strength: test results up to the
    end of the week (any order; each measure's latest result is compared with the previous and the
    first one given, so pass the window the clinic wants compared). Same input, same decision.
    """
    config = config or default_progression_config()
    book = rulebook or default_rulebook()
    week = tuple(sorted(checkins, key=lambda c: (c.date, c.checkin_id)))
    found = Findings(config)
    red_flags = read_red_flags(week, config)
    sessions_done = 0
    if week:
        read_pain(week, context, found)
        sessions_done = read_adherence(week, context, found)
        read_rpe(week, context, limits, found)
    else:
        found.add("missing", "no_checkins", said(gettext_noop("No check-ins this week.")))
    strength = tuple(strength)
    read_strength(strength, found)
    # Reasons that hold single items of an otherwise advancing week: slug -> reason.
    item_gates: dict[str, DecisionReason] = {}
    flags: list[str] = []
    heart_rate = read_heart_rate(week, context, limits, found)
    if heart_rate is not None:
        flags.append("hr_above_zone")
        item_gates.update({i.slug: heart_rate for i in context.items if i.dose.component == "aerobic"})
    activity, activity_flags = read_disease_activity(strength, context, found)
    if activity is not None:
        flags.extend(activity_flags)
        item_gates.update({i.slug: activity for i in context.items if i.dose.component == "resistance"})
    overdue = read_reassessment(context, found)
    if overdue is not None:
        flags.append("reassessment_due")
        item_gates.update({i.slug: overdue for i in context.items})
    since = _weeks_since_regression(context)
    if since is not None and since <= config.hold_after_regress_weeks:
        found.add(
            "hold",
            "hold_after_regress_weeks",
            said(
                gettext_noop(
                    "Week %(since)s after a regression: the reduced dose is held for %(weeks)s before it is retried."
                ),
                since=since,
                weeks=counted("week", config.hold_after_regress_weeks),
            ),
        )

    light = found.light
    if light == "amber" and context.amber_weeks_before + 1 >= found.config.amber_streak_weeks:
        flags.append("amber_streak")
        found.review.append(
            reason(
                found.config.rule("amber_streak"),
                said(
                    gettext_noop("%(weeks)s in a row: holding is no longer enough."),
                    weeks=counted("amber week", context.amber_weeks_before + 1),
                ),
            )
        )
    localized = localized_pain(week, found, context) if light == "red" else None
    if red_flags:
        action, lead = "pause_for_review", red_flags
    elif light == "red" and context.previous_light == "red":
        action = "pause_for_review"
        lead = [
            reason(
                config.rule("two_red_weeks"),
                said(gettext_noop("A second red week in a row.")),
                checkin_ids(c for c in week if c.pain_scores()),
            )
        ]
    elif light == "red" and localized is not None:
        action = "regress"
        lead = [
            reason(config.rule("red"), said(gettext_noop("A red week: the exercises that hurt go back one step."))),
            reason(
                config.rule("localized_pain"),
                said(
                    gettext_noop("The pain was placed in %(exercises)s: only those regress, the rest are held."),
                    exercises=counted("exercise", len(localized)),
                ),
            ),
        ]
    elif light == "red":
        lead = [reason(config.rule("red"), said(gettext_noop("A red week: each item goes back one step.")))]
        action = "regress"
    elif found.missing or found.amber or found.hold or light != "green":
        action = "hold"
        amber = reason(config.rule("amber"), said(gettext_noop("An amber week: the dose is held.")))
        lead = [amber] if light == "amber" else []
    else:
        action = "advance"
        lead = [reason(config.rule("green"), said(gettext_noop("A green week: each item may grow one step.")))]

    behind = lead + found.red + found.amber + found.missing + found.hold + (found.ok if action == "advance" else [])
    gate_reasons = [r for r in dict.fromkeys(item_gates.values()) if action == "advance"]
    reasons = tuple(behind + gate_reasons + found.review)
    why = unique_rules(reason.rule for reason in behind)
    # Each check-in's reports by exercise, looked up for every item of an advancing week.
    reports = [reports_by_slug(checkin) for checkin in week] if action == "advance" else []
    items = []
    for item in context.items:
        if action == "regress" and (localized is None or item.slug in localized):
            items.append(regress_item(item, limits, book, config, why))
        elif action == "regress":
            rule = config.rule("localized_pain")
            items.append(
                hold_item(item, limits, (rule,), said(gettext_noop("Held: the pain was not in this exercise.")))
            )
        elif action == "advance":
            shortfall = item_gates.get(item.slug) or item_shortfall(item, week, context, config, reports)
            if shortfall is None:
                items.append(advance_item(item, context.week + 1, limits, book, config, why))
            else:
                held = said(gettext_noop("Held: %(why)s"), why=shortfall.said or shortfall.text)
                items.append(hold_item(item, limits, (shortfall.rule,), held))
        else:
            paused = action == "pause_for_review"
            text = said(gettext_noop("Paused for clinician review.")) if paused else said(gettext_noop("Held."))
            items.append(hold_item(item, limits, why, text))

    return ProgressionDecision(
        week=context.week + 1,
        action=action,
        light=light,
        reasons=reasons,
        items=tuple(items),
        review_required=action == "pause_for_review" or bool(found.review),
        remind_patient=not week,
        mean_pain=found.mean_pain,
        sessions_done=sessions_done,
        sessions_planned=context.sessions_planned,
        flags=tuple(flag for flag in DECISION_FLAGS if flag in flags),
    )


def next_week_context(
    context: WeekContext,
    decision: ProgressionDecision,
    *,
    sessions_planned: int | None = None,
    baseline_pain: int | None = None,
) -> WeekContext:
    """The context for the week after `decision`: its doses, held doses, light, action and mean pain.

    A week without pain scores keeps the last known mean pain, so a rise is still measured against it.
    """
    by_slug = {item.slug: item for item in decision.items}
    since = _weeks_since_regression(context)
    if decision.action == "regress":
        since = 1
    elif since is not None:
        since += 1
    return WeekContext(
        week=decision.week,
        sessions_planned=context.sessions_planned if sessions_planned is None else sessions_planned,
        baseline_pain=context.baseline_pain if baseline_pain is None else baseline_pain,
        items=tuple(
            ItemState(
                item.slug,
                by_slug[item.slug].dose,
                item.progression,
                by_slug[item.slug].held_dose,
                item.regions_loaded,
                history=(*item.history, item.dose)[-default_growth_rules().window_weeks :],
                growth_trail=by_slug[item.slug].growth_trail,
            )
            for item in context.items
        ),
        previous_light=decision.light,
        previous_action=decision.action,
        previous_mean_pain=decision.mean_pain if decision.mean_pain is not None else context.previous_mean_pain,
        weeks_since_regression=since,
        amber_weeks_before=context.amber_weeks_before + 1 if decision.light == "amber" else 0,
        week_end=context.week_end + timedelta(days=7) if context.week_end is not None else None,
        strength_gate=context.strength_gate,
        resting_spo2=context.resting_spo2,
        protected_regions=context.protected_regions,
        reassess_from=context.reassess_from,
    )
