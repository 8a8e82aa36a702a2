"""Weekly progression: from one plan week's check-ins to the next week's doses, with the reasons.

At the end of each plan week `decide_progression` reads the week's check-ins (pain during, after and
the next morning, session effort, what was done) and any strength or function tests, and decides:

- pause_for_review: any red flag in the week, or a second red week in a row. Doses are left as they
  are; a clinician decides what happens next.
- regress: a red week (pain above the amber cut-point, next-morning pain not settled to baseline, or
  a week-on-week rise). Each item takes one variable back by the configured step, never below its
  floor, and remembers the dose it held before so that it can climb back to it.
- hold: an amber week; a week without enough data (no check-ins: the patient is also reminded; no
  pain, next-morning pain or effort rating); too few sessions done; effort above target; a strength
  drop beyond measurement error (which also asks for review); the hold week after a regression.
- advance: otherwise. Each item grows one variable by the schedule's own step rule
  (planner.schedule.next_dose), back towards the held dose first after a regression.

The plan never advances on missing data. Every dose is clamped to the limits last, never grows
faster than limits.weekly_progression_max_pct (planner.limits.growth_measure), and every reason and
changed value names its rules. The cut-points live in planner/progression_rules.py.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from fractions import Fraction

from planner.dosing import unique_rules
from planner.growth import default_growth_rules, governing_unit, intensity_value, is_capped, weekly_volume
from planner.intensity import aerobic_targets, resistance_targets
from planner.limits import add_rationale, clamp_dose
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.rules import Rulebook, default_rulebook
from planner.schedule import NEVER_FITS, NOT_DUE, RATIONALE_FIELD, UNITS_PER_VALUE, WAITING, grow_one_step
from planner.types import Dose, Intensity, LoadLimits, ProgressionRule, Rule
from planner.vitals import heart_rate_findings
from planner.vocabulary import MEASURES_BY_CODE, PAIN_SITE_CODES, RED_FLAG_CODES, RED_FLAGS_BY_CODE, STRENGTH_TEST_CODES

LIGHTS = ("green", "amber", "red")
DECISION_FLAGS = ("retest_due", "ck_rising", "amber_streak", "hr_above_zone", "no_strength_baseline")
# Regions whose load means a joint is working (a "joints" pain concerns the items that load them).
JOINT_REGION_PREFIXES = ("neck", "shoulder", "elbow", "wrist_hand", "hip", "knee", "ankle_foot", "lower_back")
ACTIONS = ("advance", "hold", "regress", "pause_for_review")
TIME_VARIABLE = {"minutes": "minutes", "sets_reps": "reps", "hold": "hold_seconds"}
DOSE_VARIABLES = ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds", "intensity")
VARIABLE_WORDS = {
    "minutes": "minutes per session",
    "reps": "repetitions per set",
    "sets": "sets",
    "hold_seconds": "seconds per hold",
    "frequency_per_week": "sessions per week",
    "intensity": "intensity",
}
# Steps (weeks) within which a regression must be able to climb back to the held dose to be preferred.
RETURN_HORIZON = 26
AT_CEILINGS_TEXT = "Held: every variable is at its ceiling under the limits (its target dose for now)."
# How many past growth steps an item remembers, so that red weeks can take them back one by one.
TRAIL_LENGTH = 4
# Floating-point slack for comparing mean pain rises with their cut-points.
EPSILON = 1e-9


# ---------------------------------------------------------------------------------------------
# Inputs
# ---------------------------------------------------------------------------------------------


def _check_int(value: object, low: int, high: int, name: str) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ValueError(f"{name} must be a whole number from {low} to {high}, not {value!r}")


@dataclass(frozen=True)
class ItemReport:
    """What the patient reported for one exercise in one check-in.

    slug: the exercise. done: done (True) or skipped (False).
    sets, reps, load_kg, minutes: what was actually done, when reported (None: not given).
    """

    slug: str
    done: bool
    sets: int | None = None
    reps: int | None = None
    load_kg: float | None = None
    minutes: float | None = None


@dataclass(frozen=True)
class CheckInSignal:
    """One check-in, as the decision sees it.

    checkin_id: the stored check-in's id, cited by the reasons. date: the session's date.
    planned_session: the check-in is for a planned session (False: an extra session or a symptom
        report); a check-in counts as a session done when any item was done, planned or not.
    items: one ItemReport per exercise reported. An exercise a done session does not mention counts
        as done (sessions may be logged without per-exercise detail).
    session_rpe: Borg 6-20 effort for the session, or None.
    pain_during, pain_after: 0-10 NRS, or None when not given.
    pain_next_morning: 0-10 NRS the morning after, or None when not given (yet).
    red_flags: vocabulary.RED_FLAG_CODES reported with this check-in.
    pain_sites: vocabulary.PAIN_SITE_CODES where it hurt; () when not said (general pain).
    pain_slug: the exercise that hurt, when the patient could tell; None otherwise.
    heart_rate_avg / heart_rate_max: bpm logged for the session, or None.
    spo2_min: lowest pulse-oximeter reading during the session, %, or None.
    """

    checkin_id: int
    date: date
    planned_session: bool
    items: tuple[ItemReport, ...] = ()
    session_rpe: int | None = None
    pain_during: int | None = None
    pain_after: int | None = None
    pain_next_morning: int | None = None
    red_flags: tuple[str, ...] = ()
    pain_sites: tuple[str, ...] = ()
    pain_slug: str | None = None
    heart_rate_avg: int | None = None
    heart_rate_max: int | None = None
    spo2_min: int | None = None

    def __post_init__(self) -> None:
        for name in ("pain_during", "pain_after", "pain_next_morning"):
            _check_int(getattr(self, name), 0, 10, name)
        for name in ("heart_rate_avg", "heart_rate_max"):
            _check_int(getattr(self, name), 30, 230, name)
        _check_int(self.spo2_min, 50, 100, "spo2_min")
        unknown_sites = [code for code in self.pain_sites if code not in PAIN_SITE_CODES]
        if unknown_sites:
            raise ValueError(f"unknown pain sites: {', '.join(map(str, unknown_sites))}")
        object.__setattr__(self, "pain_sites", tuple(code for code in PAIN_SITE_CODES if code in self.pain_sites))
        _check_int(self.session_rpe, 6, 20, "session_rpe")
        unknown = [code for code in self.red_flags if code not in RED_FLAG_CODES]
        if unknown:
            raise ValueError(f"unknown red flags: {', '.join(map(str, unknown))}")
        slugs = [report.slug for report in self.items]
        if len(set(slugs)) != len(slugs):
            raise ValueError("an exercise is reported twice in one check-in")
        object.__setattr__(self, "items", tuple(self.items))
        object.__setattr__(self, "red_flags", tuple(code for code in RED_FLAG_CODES if code in self.red_flags))

    @property
    def session_done(self) -> bool:
        return any(report.done for report in self.items)

    @property
    def worst_exercise_pain(self) -> int | None:
        """The higher of pain during and after exercise, or None when neither was given."""
        scores = [p for p in (self.pain_during, self.pain_after) if p is not None]
        return max(scores) if scores else None

    def pain_scores(self) -> tuple[int, ...]:
        return tuple(p for p in (self.pain_during, self.pain_after, self.pain_next_morning) if p is not None)


@dataclass(frozen=True)
class StrengthSignal:
    """One strength or function test result. kind: a vocabulary.MEASURE_CODES code (e.g. "grip_left_kg",
    "tug_seconds", where lower is better); date: when tested; value: in the measure's unit."""

    kind: str
    date: date
    value: float

    def __post_init__(self) -> None:
        if self.kind not in MEASURES_BY_CODE:
            raise ValueError(f"unknown measure {self.kind!r}")
        _, _, unit, low, high, _ = MEASURES_BY_CODE[self.kind]
        if isinstance(self.value, bool) or not low <= self.value <= high:
            raise ValueError(f"{self.kind} must be from {low} to {high} {unit}, not {self.value!r}")


@dataclass(frozen=True)
class ItemState:
    """One plan item as it stands this week.

    slug: the exercise. dose: this week's dose. progression: the item's ProgressionRule.
    held_dose: the dose held before the last regression while the item is still below it (the
        item climbs back to it first); None otherwise. Take it from the previous ItemDecision.
    regions_loaded: BODY_REGIONS the exercise works (to find the items a localized pain concerns).
    history: the item's doses of the weeks before this one, oldest first (the growth cap's window reads
        them; planner.growth); next_week_context keeps the last few.
    growth_trail: the doses the item had before each of its recent growth steps, most recent last: a
        red week takes back exactly the last step (its reverse).
    """

    slug: str
    dose: Dose
    progression: ProgressionRule
    held_dose: Dose | None = None
    regions_loaded: tuple[str, ...] = ()
    history: tuple[Dose, ...] = ()
    growth_trail: tuple[Dose, ...] = ()


@dataclass(frozen=True)
class WeekContext:
    """What the decision needs to know besides the check-ins.

    week: the plan week that just ended (1-based); the decision is for week + 1.
    sessions_planned: sessions planned in that week (for adherence).
    baseline_pain: pain at rest from the assessment (0-10); next-morning pain must settle to it.
    items: the plan's items, each with this week's dose.
    previous_light / previous_action / previous_mean_pain: from the previous week's decision (None
        when there was none, or it had no data).
    weeks_since_regression: 1 when the previous decision was a regression, 2 the week after, ...;
        None when there has been no regression. next_week_context keeps it.
    amber_weeks_before: amber weeks in a row just before this one (next_week_context keeps it).
    week_end: the last day of the week (strength re-tests are judged on it); None: not judged.
    strength_gate: inflammatory myopathy: resistance advances only with a recent strength test and
        no CK rise (clinical-reference 8c).
    resting_spo2: SpO2 at rest from the assessment, %, or None.
    protected_regions: regions with calcified masses (a "calcified area" pain concerns the items
        that work them).
    """

    week: int
    sessions_planned: int
    baseline_pain: int
    items: tuple[ItemState, ...]
    previous_light: str | None = None
    previous_action: str | None = None
    previous_mean_pain: float | None = None
    weeks_since_regression: int | None = None
    amber_weeks_before: int = 0
    week_end: date | None = None
    strength_gate: bool = False
    resting_spo2: int | None = None
    protected_regions: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        _check_int(self.week, 1, 10_000, "week")
        _check_int(self.amber_weeks_before, 0, 10_000, "amber_weeks_before")
        _check_int(self.resting_spo2, 50, 100, "resting_spo2")
        _check_int(self.sessions_planned, 0, 50, "sessions_planned")
        _check_int(self.baseline_pain, 0, 10, "baseline_pain")
        if self.previous_light not in (*LIGHTS, None):
            raise ValueError(f"previous_light must be one of {LIGHTS} or None")
        if self.previous_action not in (*ACTIONS, None):
            raise ValueError(f"previous_action must be one of {ACTIONS} or None")
        if self.previous_mean_pain is not None and not 0 <= self.previous_mean_pain <= 10:
            raise ValueError("previous_mean_pain must be from 0 to 10")
        if self.weeks_since_regression is not None:
            _check_int(self.weeks_since_regression, 1, 10_000, "weeks_since_regression")
        slugs = [item.slug for item in self.items]
        if len(set(slugs)) != len(slugs):
            raise ValueError("each item appears once")
        object.__setattr__(self, "items", tuple(self.items))


# ---------------------------------------------------------------------------------------------
# Output
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class DecisionReason:
    """One rule behind a decision: the rule, what it found this week, and the check-ins it read."""

    rule: Rule
    text: str
    checkin_ids: tuple[int, ...] = ()


@dataclass(frozen=True)
class ItemDecision:
    """Next week's dose for one item.

    previous: this week's dose. dose: next week's (limits applied last).
    changed_variable: the one variable that moved (DOSE_VARIABLES; adding a set or session may also
        refit the time per bout, as in the schedule), or None when held.
    direction: "up", "down" or None. rules: the rules behind the change (or the hold).
    text: the change in words. held_dose: carry into next week's ItemState.held_dose.
    """

    slug: str
    previous: Dose
    dose: Dose
    changed_variable: str | None
    direction: str | None
    rules: tuple[Rule, ...]
    text: str
    held_dose: Dose | None = None
    growth_trail: tuple[Dose, ...] = ()


@dataclass(frozen=True)
class ProgressionDecision:
    """The end-of-week decision.

    week: the week the new doses are for. action: one of ACTIONS. light: the week's pain light, or
    None when there was not enough data. reasons: every rule that fired, the action's rule first.
    items: one ItemDecision per item, in the context's order. review_required: a clinician must look
    (pause, or a strength drop). remind_patient: no check-ins this week. mean_pain: mean of every pain
    score of the week (None without any); pass it on as previous_mean_pain. sessions_done /
    sessions_planned: for adherence. flags: what the care team must be told besides a pause
    (DECISION_FLAGS: "retest_due", "ck_rising", "amber_streak", "hr_above_zone", ...).
    """

    week: int
    action: str
    light: str | None
    reasons: tuple[DecisionReason, ...]
    items: tuple[ItemDecision, ...]
    review_required: bool
    remind_patient: bool
    mean_pain: float | None
    sessions_done: int
    sessions_planned: int
    flags: tuple[str, ...] = ()

    @property
    def new_doses(self) -> tuple[tuple[str, Dose], ...]:
        return tuple((item.slug, item.dose) for item in self.items)

    @property
    def changed_variables(self) -> tuple[tuple[str, str | None], ...]:
        return tuple((item.slug, item.changed_variable) for item in self.items)

    @property
    def rules(self) -> tuple[Rule, ...]:
        return unique_rules((reason.rule for reason in self.reasons), *(item.rules for item in self.items))


# ---------------------------------------------------------------------------------------------
# Reading the week
# ---------------------------------------------------------------------------------------------


def _num(value: float) -> str:
    value = float(value)
    return str(int(value)) if value.is_integer() else f"{value:.1f}"


def _ids(checkins: Iterable[CheckInSignal]) -> tuple[int, ...]:
    return tuple(sorted({c.checkin_id for c in checkins}))


def _plural(count: int, word: str) -> str:
    return f"{count} {word}" if count == 1 else f"{count} {word}s"


@dataclass
class _Findings:
    """The week's findings, sorted by what they do to the decision."""

    config: ProgressionConfig
    red: list[DecisionReason] = field(default_factory=list)
    amber: list[DecisionReason] = field(default_factory=list)
    missing: list[DecisionReason] = field(default_factory=list)
    hold: list[DecisionReason] = field(default_factory=list)
    review: list[DecisionReason] = field(default_factory=list)
    ok: list[DecisionReason] = field(default_factory=list)
    mean_pain: float | None = None
    # Pain during/after and next-morning pain were both reported at least once (green needs both).
    pain_complete: bool = False

    def add(self, bucket: str, rule_key: str, text: str, checkins: Iterable[CheckInSignal] = ()) -> None:
        getattr(self, bucket).append(DecisionReason(self.config.rule(rule_key), text, _ids(checkins)))

    @property
    def light(self) -> str | None:
        if self.red:
            return "red"
        if self.amber:
            return "amber"
        return "green" if self.pain_complete else None


def _read_pain(checkins: Sequence[CheckInSignal], context: WeekContext, found: _Findings) -> None:
    config = found.config
    green, amber, baseline = config.pain_green_max, config.pain_amber_max, context.baseline_pain
    scores = [(c, pain) for c in checkins if (pain := c.worst_exercise_pain) is not None]
    scored = [c for c, _ in scores]
    # Judged against the patient's usual pain (pain at rest): no rise over it is green however high it
    # is; red needs both the absolute cut-point and a meaningful rise (rule pain_rise_red).
    too_high = [c for c, pain in scores if _exercise_pain_light(pain, baseline, config) == "red"]
    raised = [c for c, pain in scores if _exercise_pain_light(pain, baseline, config) == "amber"]
    usual = f" (usual pain {baseline}/10)" if baseline > green else ""
    if too_high:
        worst = max(too_high, key=lambda c: (c.worst_exercise_pain, c.date))
        found.add(
            "red",
            "pain_amber_max",
            f"Pain above {amber}/10 and {config.pain_rise_red} or more points over the usual {baseline}/10 during "
            f"or after exercise in {_plural(len(too_high), 'check-in')} (worst {worst.worst_exercise_pain}/10 on "
            f"{worst.date}).",
            too_high,
        )
        found.add("red", "pain_rise_red", "Judged against the patient's usual pain.", too_high)
    if raised:
        found.add(
            "amber",
            "pain_green_max",
            f"Pain above {max(green, baseline)}/10 during or after exercise in "
            f"{_plural(len(raised), 'check-in')}{usual}.",
            raised,
        )
    if scored and not too_high and not raised:
        found.add(
            "ok",
            "pain_green_max",
            f"Pain at or below {max(green, baseline)}/10 during and after exercise in "
            f"{_plural(len(scored), 'check-in')}{usual}.",
            scored,
        )
    if not scored:
        found.add("missing", "missing_data", "No pain during or after exercise was reported this week.", checkins)

    morning_scores = [(c, pain) for c in checkins if (pain := c.pain_next_morning) is not None]
    mornings = [c for c, _ in morning_scores]
    not_settled = [c for c, pain in morning_scores if morning_pain_light(pain, baseline, config) == "red"]
    residual = [c for c, pain in morning_scores if morning_pain_light(pain, baseline, config) == "amber"]
    if not_settled:
        worst = max(not_settled, key=lambda c: (c.pain_next_morning, c.date))
        found.add(
            "red",
            "morning_red_rise",
            f"Next-morning pain had not settled to the baseline of {baseline}/10 "
            f"after {_plural(len(not_settled), 'session')} (worst {worst.pain_next_morning}/10 after "
            f"{worst.date}).",
            not_settled,
        )
    if residual:
        found.add(
            "amber",
            "morning_amber_rise",
            f"Residual next-morning pain above the baseline of {baseline}/10 "
            f"after {_plural(len(residual), 'session')}.",
            residual,
        )
    if mornings and not not_settled and not residual:
        found.add(
            "ok",
            "morning_settled",
            f"Next-morning pain settled to the baseline of {baseline}/10 after {_plural(len(mornings), 'session')}.",
            mornings,
        )
    if not mornings:
        found.add(
            "missing", "missing_data", "No next-morning pain was reported this week, so it cannot be green.", checkins
        )
    found.pain_complete = bool(scored) and bool(mornings)

    every_score = [p for c in checkins for p in c.pain_scores()]
    if every_score:
        found.mean_pain = sum(every_score) / len(every_score)
    previous = context.previous_mean_pain
    if found.mean_pain is None or previous is None:
        return
    rise = found.mean_pain - previous
    words = f"Mean pain {found.mean_pain:.1f}/10 against {previous:.1f}/10 the previous week"
    with_pain = [c for c in checkins if c.pain_scores()]
    if rise >= config.weekly_rise_red - EPSILON:
        found.add("red", "weekly_rise_red", f"{words}: a rise of {rise:.1f}.", with_pain)
    elif rise >= config.weekly_rise_amber - EPSILON:
        found.add("amber", "weekly_rise_amber", f"{words}: a rise of {rise:.1f}.", with_pain)
    else:
        found.add("ok", "weekly_rise_amber", f"{words}: no meaningful rise.", with_pain)


def _exercise_pain_light(worst: int, usual: int, config: ProgressionConfig) -> str:
    """Green at or below the green cut-point or the usual pain; red above the amber cut-point with a
    meaningful rise over the usual pain; amber in between."""
    if worst <= max(config.pain_green_max, usual):
        return "green"
    if worst > config.pain_amber_max and worst - usual >= config.pain_rise_red:
        return "red"
    return "amber"


def pain_light(worst: int, usual: int, config: ProgressionConfig | None = None) -> str:
    """The traffic light of one pain score during or after exercise, as the weekly decision judges it
    (for exports and pages that show a single check-in's light)."""
    return _exercise_pain_light(worst, usual, config or default_progression_config())


def morning_pain_light(morning: int, baseline: int, config: ProgressionConfig | None = None) -> str:
    """The traffic light of one next-morning pain score against the pain at rest (as _read_pain judges it)."""
    config = config or default_progression_config()
    if morning - baseline >= config.morning_red_rise:
        return "red"
    return "amber" if morning - baseline >= config.morning_amber_rise else "green"


def _read_adherence(checkins: Sequence[CheckInSignal], context: WeekContext, found: _Findings) -> int:
    done = [c for c in checkins if c.session_done]
    planned = context.sessions_planned
    if planned == 0:
        found.add("hold", "adherence_min", "No sessions were planned this week, so there is nothing to judge.")
    elif Fraction(min(len(done), planned), planned) >= found.config.adherence_min:
        found.add("ok", "adherence_min", f"{len(done)} of {planned} planned sessions done.", done)
    else:
        found.add(
            "hold",
            "adherence_min",
            f"Only {len(done)} of {planned} planned sessions done (at least {found.config.adherence_min} needed).",
            done,
        )
    return len(done)


def _rpe_target(context: WeekContext, limits: LoadLimits) -> int:
    """The highest RPE target among the items' doses; the limits' RPE ceiling when none sets one."""
    targets = [target.high for item in context.items if (target := item.dose.intensity_in("rpe_6_20")) is not None]
    return max(targets) if targets else max(limits.aerobic.max_rpe, limits.resistance.max_rpe)


def _read_rpe(checkins: Sequence[CheckInSignal], context: WeekContext, limits: LoadLimits, found: _Findings) -> None:
    rated = [(c, rpe) for c in checkins if (rpe := c.session_rpe) is not None]
    if not rated:
        found.add("missing", "missing_data", "No session effort (RPE) was rated this week.", checkins)
        return
    target = _rpe_target(context, limits)
    highest = target + found.config.rpe_tolerance
    too_hard = [(c, rpe) for c, rpe in rated if rpe > highest]
    if too_hard:
        found.add(
            "hold",
            "rpe_tolerance",
            f"Effort above target (RPE {target}, up to {highest} accepted) in "
            f"{_plural(len(too_hard), 'session')} (up to RPE {max(rpe for _, rpe in too_hard)}).",
            (c for c, _ in too_hard),
        )
    else:
        found.add(
            "ok",
            "rpe_tolerance",
            f"Effort on target (RPE up to {highest}) in every rated session.",
            (c for c, _ in rated),
        )


def _read_strength(signals: Sequence[StrengthSignal], found: _Findings) -> None:
    """Compare each measure's latest result with the previous one and with the first one given."""
    compared, drops = [], []
    for kind in sorted({s.kind for s in signals}):
        threshold = found.config.threshold_for(kind)
        series = sorted((s for s in signals if s.kind == kind), key=lambda s: s.date)
        if threshold is None or len(series) < 2:
            continue
        _, label, unit, _, _, higher_is_better = MEASURES_BY_CODE[kind]
        latest = series[-1]
        compared.append(label)
        for earlier in (series[-2], series[0]):
            worse = earlier.value - latest.value if higher_is_better else latest.value - earlier.value
            by_units = threshold.min_drop is not None and worse >= threshold.min_drop - EPSILON
            by_share = (
                threshold.min_drop_pct is not None
                and earlier.value > 0
                and worse * 100 / earlier.value >= threshold.min_drop_pct - EPSILON
            )
            if by_units or by_share:
                drops.append(
                    DecisionReason(
                        threshold.rule,
                        (
                            f"{label}: {_num(earlier.value)} {unit} on {earlier.date}, {_num(latest.value)} {unit} on "
                            f"{latest.date} ({'lower' if higher_is_better else 'slower'} by {_num(worse)} {unit})."
                        ),
                    )
                )
                break
    if drops:
        found.review.extend(drops)
        found.add("hold", "strength_stable", "Strength or function dropped beyond measurement error: clinician review.")
    elif compared:
        found.add("ok", "strength_stable", f"No drop beyond measurement error in: {', '.join(compared)}.")


def _read_heart_rate(
    checkins: Sequence[CheckInSignal], context: WeekContext, limits: LoadLimits, found: _Findings
) -> DecisionReason | None:
    """A logged heart rate above the zone's ceiling (planner.vitals, the rule the patient was told at
    check-in) holds the aerobic items this week; None when no session went over or effort governs."""
    zone = limits.aerobic.hr_zone_bpm
    if zone is None:
        return None  # effort governs (no heart-rate zone): heart_rate_findings finds nothing either
    over = [c for c in checkins if heart_rate_findings(c.heart_rate_avg, c.heart_rate_max, limits, found.config)]
    if not over:
        return None
    highest = max(max(v for v in (c.heart_rate_avg, c.heart_rate_max) if v is not None) for c in over)
    return DecisionReason(
        found.config.rule("hr_above_zone"),
        f"Heart rate above the zone's ceiling of {zone[1]} bpm in "
        f"{_plural(len(over), 'session')} (up to {highest} bpm): the aerobic items are held this week.",
        _ids(over),
    )


def _read_disease_activity(
    signals: Sequence[StrengthSignal], context: WeekContext, found: _Findings
) -> tuple[DecisionReason | None, tuple[str, ...]]:
    """The reason resistance may not advance (strength test missing or due, CK rising), and the flags."""
    config = found.config
    ck = sorted((s for s in signals if s.kind == "ck_u_l"), key=lambda s: s.date)
    # A baseline of 0 U/L (a typing slip: CK is never 0) gives no ratio to compare; it is not a rise.
    if len(ck) >= 2 and ck[0].value > 0 and ck[-1].value >= ck[0].value * config.ck_rise_factor - EPSILON:
        reason = DecisionReason(
            config.rule("ck_rising"),
            f"CK {_num(ck[-1].value)} U/L on {ck[-1].date}, {_num(ck[-1].value / ck[0].value)} times the "
            f"baseline of {_num(ck[0].value)} U/L on {ck[0].date} (hold at {config.ck_rise_factor} times).",
        )
        found.review.append(reason)
        return reason, ("ck_rising",)
    if not context.strength_gate or context.week_end is None:
        return None, ()
    tests = [s for s in signals if s.kind in STRENGTH_TEST_CODES and s.date <= context.week_end]
    if not tests:
        return (
            DecisionReason(
                config.rule("no_strength_baseline"),
                "No MMT-8 or FI-3 has been recorded yet: resistance is held until a baseline strength test.",
            ),
            ("no_strength_baseline",),
        )
    latest = max(s.date for s in tests)
    age = (context.week_end - latest).days
    if age > config.strength_retest_days:
        return (
            DecisionReason(
                config.rule("strength_retest_due"),
                f"Strength re-test due: the last MMT-8 or FI-3 was on {latest}, {age} days before the end of "
                f"the week (re-test every {config.strength_retest_days} days).",
            ),
            ("retest_due",),
        )
    return None, ()


def _items_for_pain(checkin: CheckInSignal, context: WeekContext) -> set[str] | None:
    """The items a check-in's pain concerns, or None when the pain was general (or cannot be placed)."""
    if "elsewhere" in checkin.pain_sites or (not checkin.pain_sites and checkin.pain_slug is None):
        return None
    slugs = {item.slug for item in context.items if item.slug == checkin.pain_slug}
    for item in context.items:
        regions = set(item.regions_loaded)
        if "calcified_area" in checkin.pain_sites and regions & set(context.protected_regions):
            slugs.add(item.slug)
        if "muscles" in checkin.pain_sites and item.dose.component in ("resistance", "aerobic"):
            slugs.add(item.slug)
        if "joints" in checkin.pain_sites and any(r.startswith(JOINT_REGION_PREFIXES) for r in regions):
            slugs.add(item.slug)
    return slugs or None


def _localized_pain(week: Sequence[CheckInSignal], found: _Findings, context: WeekContext) -> set[str] | None:
    """The items that the red pain concerns, when every red check-in placed it; None for general pain."""
    red_ids = {checkin_id for reason in found.red for checkin_id in reason.checkin_ids}
    red_checkins = [c for c in week if c.checkin_id in red_ids]
    if not red_checkins:
        return None
    concerned: set[str] = set()
    for checkin in red_checkins:
        slugs = _items_for_pain(checkin, context)
        if slugs is None:
            return None
        concerned |= slugs
    return concerned


def _read_red_flags(checkins: Sequence[CheckInSignal], config: ProgressionConfig) -> list[DecisionReason]:
    rule = config.rule("red_flag")
    return [
        DecisionReason(
            rule,
            f"Red flag on {c.date}: {'; '.join(RED_FLAGS_BY_CODE[code].label for code in c.red_flags)}.",
            (c.checkin_id,),
        )
        for c in checkins
        if c.red_flags
    ]


# ---------------------------------------------------------------------------------------------
# Dose changes
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Progressing:
    """What planner.schedule.grow_one_step reads from an item: its progression rule and component."""

    progression: ProgressionRule
    component: str


def _value(dose: Dose, variable: str) -> float | None:
    """A variable's value (the governing %HRR / %1RM for intensity), or None when the dose has none."""
    if variable == "intensity":
        return intensity_value(dose)
    if variable == "frequency_per_week":
        return dose.frequency_per_week
    if variable == "minutes":
        return dose.minutes
    if variable == "sets":
        return dose.sets
    if variable == "reps":
        return dose.reps
    if variable == "hold_seconds":
        return dose.hold_seconds
    raise ValueError(f"unknown dose variable {variable!r}")


def _value_of(dose: Dose, variable: str) -> float:
    """The value of a variable the dose has: one that just moved, or one its progression steps grow."""
    value = _value(dose, variable)
    if value is None:
        raise ValueError(f"a {dose.dose_kind} dose has no {variable}")
    return value


def _with_whole(dose: Dose, variable: str, value: int) -> Dose:
    """`dose` with one whole-number variable (sessions, sets, repetitions, seconds held) set to `value`."""
    if variable == "frequency_per_week":
        return replace(dose, frequency_per_week=value)
    if variable == "sets":
        return replace(dose, sets=value)
    if variable == "reps":
        return replace(dose, reps=value)
    if variable == "hold_seconds":
        return replace(dose, hold_seconds=value)
    raise ValueError(f"{variable!r} is not a whole-number dose variable")


def _changed(before: Dose, after: Dose) -> tuple[str, ...]:
    return tuple(v for v in DOSE_VARIABLES if _value(before, v) != _value(after, v))


def _below(dose: Dose, held: Dose | None) -> bool:
    """True while some variable of `dose` is still below the held dose's."""
    if held is None:
        return False
    for variable in DOSE_VARIABLES:
        mine, theirs = _value(dose, variable), _value(held, variable)
        if mine is not None and theirs is not None and mine < theirs:
            return True
    return False


def _capped_at(progression: ProgressionRule, held: Dose) -> ProgressionRule:
    """The rule with each step's ceiling lowered to the held dose's value: the climb back stops there."""
    steps = []
    for step in progression.steps:
        held_value = _value(held, step.variable)
        ceiling = step.ceiling if held_value is None else min(step.ceiling, held_value)
        steps.append(replace(step, ceiling=ceiling))
    return replace(progression, steps=tuple(steps))


def _climb_back_rule(progression: ProgressionRule, held: Dose) -> ProgressionRule:
    """The rule for climbing back to a dose already tolerated: ceilings at the held dose, and every step
    due every week (the spacing of steps is for new ground; increments and the weekly cap still apply)."""
    return _capped_at(replace(progression, steps=tuple(replace(s, every_weeks=1) for s in progression.steps)), held)


def _describe(variable: str, before: Dose, after: Dose) -> str:
    old, new = _value_of(before, variable), _value_of(after, variable)
    unit = f" {'%HRR' if before.component == 'aerobic' else '%1RM'}" if variable == "intensity" else ""
    return f"{VARIABLE_WORDS[variable]} {_num(old)}{unit} -> {_num(new)}{unit}"


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
        return _with_whole(dose, variable, count - 1), ()
    per_value = UNITS_PER_VALUE.get(variable, 1)
    units = Fraction(_value_of(dose, variable)) * per_value
    time_floor, floor_rules = _time_floor(dose, variable, progression, limits)
    floor_units = math.ceil(Fraction(str(time_floor)) * per_value)
    target = min(math.floor(units * keep / 100 + Fraction(1, 2)), math.ceil(units) - 1)
    new_units = max(target, floor_units)
    if new_units >= units:
        return None
    if variable == "minutes":
        reduced = replace(dose, minutes=new_units / per_value)
    else:
        reduced = _with_whole(dose, variable, int(new_units))
    return reduced, (floor_rules if new_units == floor_units else ())


def _climbs_back(reduced: Dose, held: Dose, progression: ProgressionRule, limits: LoadLimits, book: Rulebook) -> bool:
    """True when the rule's steps, under the weekly cap, bring `reduced` back to `held` within RETURN_HORIZON
    steps. Whole repetitions and seconds are coarse: under a 5 % cap one repetition more than 9 (+11 %)
    or one second more than a 19 s hold (+5.3 %) never fits, so such a reduction could not be given back."""
    climb = _Progressing(_climb_back_rule(progression, held), reduced.component)
    history = [held, reduced]
    for _ in range(RETURN_HORIZON):
        if not _below(history[-1], held):
            return True
        dose, variable, why_not = grow_one_step(history, climb, 1, limits, book)
        if variable is None and why_not != WAITING:
            return False
        history.append(dose)
    return not _below(history[-1], held)


def _regress_item(
    item: ItemState, limits: LoadLimits, book: Rulebook, config: ProgressionConfig, why: tuple[Rule, ...]
) -> ItemDecision:
    base = clamp_dose(item.dose, limits)
    held = item.held_dose if item.held_dose is not None and _below(base, item.held_dose) else base
    trail = item.growth_trail
    # A step that only spread the same volume over one more day or set reduced nothing: take back the
    # step before it too, until the dose is lower.
    while trail and is_capped(base.component) and weekly_volume(clamp_dose(trail[-1], limits)) >= weekly_volume(base):
        trail = trail[:-1]
    if trail:
        # Take back exactly the step that last grew (its reverse), e.g. 2 x 8 back to 1 x 12.
        before = clamp_dose(trail[-1], limits)
        if _below(before, base):
            rules = unique_rules(why, (config.rule("regress_order"),))
            # Some variable is lower (_below), so one differs.
            variable = next(v for v in DOSE_VARIABLES if _value(before, v) != _value(base, v))
            dose = add_rationale(add_rationale(before, "volume", rules), RATIONALE_FIELD.get(variable, "time"), rules)
            text = f"Regress: back to the dose before the last step ({_describe(variable, base, dose)})."
            return ItemDecision(
                item.slug,
                item.dose,
                dose,
                variable,
                "down",
                rules,
                text,
                held if _below(dose, held) else None,
                trail[:-1],
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
        text = "Held: every variable is already at its floor."
        return ItemDecision(item.slug, item.dose, base, None, None, rules, text, held if _below(base, held) else None)
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
    text = f"Regress: {_describe(variable, base, dose)}."
    return ItemDecision(item.slug, item.dose, dose, variable, "down", rules, text, held if _below(dose, held) else None)


def _item_shortfall(
    item: ItemState, checkins: Sequence[CheckInSignal], context: WeekContext, config: ProgressionConfig
) -> DecisionReason | None:
    """Why this item should not progress although the week is green (not done enough, or not completed)."""
    rule = config.rule("item_completed")
    dose = item.dose
    # An exercise a done session does not mention counts as done: many sessions are logged without
    # per-exercise detail. Only an explicit "skipped", or less than planned, holds the item.
    done = []
    for checkin in checkins:
        report = next((r for r in checkin.items if r.slug == item.slug), None)
        if report.done if report is not None else checkin.session_done:
            done.append((checkin, report or ItemReport(item.slug, True)))
    needed = math.ceil(config.adherence_min * min(dose.frequency_per_week, context.sessions_planned))
    if len(done) < needed:
        return DecisionReason(
            rule, f"Done in {len(done)} session(s) this week; at least {needed} needed.", _ids(c for c, _ in done)
        )
    short = []
    for checkin, report in done:
        planned = {
            "sets": dose.sets,
            "reps": dose.reps if dose.dose_kind == "sets_reps" else None,
            "minutes": dose.minutes,
        }
        if any(
            getattr(report, name) is not None and value is not None and getattr(report, name) < value
            for name, value in planned.items()
        ):
            short.append(checkin)
    if short:
        return DecisionReason(
            rule, f"The planned dose was not completed in {_plural(len(short), 'session')}.", _ids(short)
        )
    return None


def _advance_item(
    item: ItemState,
    next_week: int,
    limits: LoadLimits,
    book: Rulebook,
    config: ProgressionConfig,
    why: tuple[Rule, ...],
) -> ItemDecision:
    base = clamp_dose(item.dose, limits)
    held_dose = item.held_dose
    returning = held_dose is not None and _below(base, held_dose)
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
            verb = "Back towards the dose before the regression" if climbing_back else "Advance"
            text = f"{verb}: {_describe(variable, base, dose)}."
            held = item.held_dose if _below(dose, item.held_dose) else None
            trail = (*item.growth_trail, base)[-TRAIL_LENGTH:]
            return ItemDecision(item.slug, item.dose, dose, variable, "up", rules, text, held, trail)
    if waiting:
        window = default_growth_rules().window_weeks
        text = (
            "Held: the next whole step fits once the growth allowed over "
            f"{_plural(window, 'week')} covers it (it comes within two weeks)."
        )
    elif not_due:
        text = "Held: the next step is due next week."
    elif never_fits:
        text = (
            "Held: the next whole step is larger than the weekly growth cap allows over "
            f"{_plural(default_growth_rules().window_weeks, 'week')}; a clinician may raise the cap or a ceiling."
        )
    else:
        text = AT_CEILINGS_TEXT
    return ItemDecision(
        item.slug,
        item.dose,
        base,
        None,
        None,
        why,
        text,
        item.held_dose if returning else None,
        item.growth_trail,
    )


def _one_step_up(base: Dose, dose: Dose, variable: str, refit: str | None) -> bool:
    """The clamped dose still grows `variable` and changes nothing but it (and its refit)."""
    return _value_of(dose, variable) > _value_of(base, variable) and set(_changed(base, dose)) <= {variable, refit}


def _passed_over(progression: ProgressionRule, variable: str, dose: Dose) -> ProgressionRule:
    """The rule with `variable`'s ceiling at its current value, so next_dose passes over it."""
    steps = tuple(
        replace(step, ceiling=_value_of(dose, variable)) if step.variable == variable else step
        for step in progression.steps
    )
    return replace(progression, steps=steps)


def _hold_item(item: ItemState, limits: LoadLimits, why: tuple[Rule, ...], text: str) -> ItemDecision:
    base = clamp_dose(item.dose, limits)
    held = item.held_dose if _below(base, item.held_dose) else None
    return ItemDecision(item.slug, item.dose, base, None, None, why, text, held, item.growth_trail)


# ---------------------------------------------------------------------------------------------
# The decision
# ---------------------------------------------------------------------------------------------


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
    found = _Findings(config)
    red_flags = _read_red_flags(week, config)
    sessions_done = 0
    if week:
        _read_pain(week, context, found)
        sessions_done = _read_adherence(week, context, found)
        _read_rpe(week, context, limits, found)
    else:
        found.add("missing", "no_checkins", "No check-ins this week.")
    strength = tuple(strength)
    _read_strength(strength, found)
    # Reasons that hold single items of an otherwise advancing week: slug -> reason.
    item_gates: dict[str, DecisionReason] = {}
    flags: list[str] = []
    heart_rate = _read_heart_rate(week, context, limits, found)
    if heart_rate is not None:
        flags.append("hr_above_zone")
        item_gates.update({i.slug: heart_rate for i in context.items if i.dose.component == "aerobic"})
    activity, activity_flags = _read_disease_activity(strength, context, found)
    if activity is not None:
        flags.extend(activity_flags)
        item_gates.update({i.slug: activity for i in context.items if i.dose.component == "resistance"})
    since = _weeks_since_regression(context)
    if since is not None and since <= config.hold_after_regress_weeks:
        found.add(
            "hold",
            "hold_after_regress_weeks",
            f"Week {since} after a regression: the reduced dose is held "
            f"for {_plural(config.hold_after_regress_weeks, 'week')} before it is retried.",
        )

    light = found.light
    if light == "amber" and context.amber_weeks_before + 1 >= found.config.amber_streak_weeks:
        flags.append("amber_streak")
        found.review.append(
            DecisionReason(
                found.config.rule("amber_streak"),
                f"{_plural(context.amber_weeks_before + 1, 'amber week')} in a row: holding is no longer enough.",
            )
        )
    localized = _localized_pain(week, found, context) if light == "red" else None
    if red_flags:
        action, lead = "pause_for_review", red_flags
    elif light == "red" and context.previous_light == "red":
        action = "pause_for_review"
        lead = [
            DecisionReason(
                config.rule("two_red_weeks"), "A second red week in a row.", _ids(c for c in week if c.pain_scores())
            )
        ]
    elif light == "red" and localized is not None:
        action = "regress"
        lead = [
            DecisionReason(config.rule("red"), "A red week: the exercises that hurt go back one step."),
            DecisionReason(
                config.rule("localized_pain"),
                f"The pain was placed in {_plural(len(localized), 'exercise')}: only those regress, the rest are held.",
            ),
        ]
    elif light == "red":
        action, lead = "regress", [DecisionReason(config.rule("red"), "A red week: each item goes back one step.")]
    elif found.missing or found.amber or found.hold or light != "green":
        action = "hold"
        lead = [DecisionReason(config.rule("amber"), "An amber week: the dose is held.")] if light == "amber" else []
    else:
        action = "advance"
        lead = [DecisionReason(config.rule("green"), "A green week: each item may grow one step.")]

    behind = lead + found.red + found.amber + found.missing + found.hold + (found.ok if action == "advance" else [])
    gate_reasons = [r for r in dict.fromkeys(item_gates.values()) if action == "advance"]
    reasons = tuple(behind + gate_reasons + found.review)
    why = unique_rules(reason.rule for reason in behind)
    items = []
    for item in context.items:
        if action == "regress" and (localized is None or item.slug in localized):
            items.append(_regress_item(item, limits, book, config, why))
        elif action == "regress":
            rule = config.rule("localized_pain")
            items.append(_hold_item(item, limits, (rule,), "Held: the pain was not in this exercise."))
        elif action == "advance":
            shortfall = item_gates.get(item.slug) or _item_shortfall(item, week, context, config)
            if shortfall is None:
                items.append(_advance_item(item, context.week + 1, limits, book, config, why))
            else:
                items.append(_hold_item(item, limits, (shortfall.rule,), f"Held: {shortfall.text}"))
        else:
            text = "Paused for clinician review." if action == "pause_for_review" else "Held."
            items.append(_hold_item(item, limits, why, text))

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
    )
