"""What the weekly decision reads: the week's check-ins, strength and function tests, the plan's items
as they stand, and the rest of the week's context. Each validates itself when built, so the decision
never sees a pain score of 11 or an unknown red flag."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from planner.types import Dose, ProgressionRule
from planner.vocabulary import MEASURES_BY_CODE, PAIN_SITE_CODES, RED_FLAG_CODES

# The week's pain light, as a previous week's decision hands it on (WeekContext.previous_light).
LIGHTS = ("green", "amber", "red")
# What a decision may do with the plan (ProgressionDecision.action, WeekContext.previous_action).
ACTIONS = ("advance", "hold", "regress", "pause_for_review")


def _check_int(value: object, low: int, high: int, name: str) -> None:
    """Refuse a value that is given but not a whole number from low to high (None: not given)."""
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
    "tug_seconds", where lower is better); date: when tested; value: in the measure's unit;
    upper_limit_normal: the lab's upper limit of normal, when it gave one (CK)."""

    kind: str
    date: date
    value: float
    upper_limit_normal: float | None = None

    def __post_init__(self) -> None:
        if self.kind not in MEASURES_BY_CODE:
            raise ValueError(f"unknown measure {self.kind!r}")
        _, _, unit, low, high, _ = MEASURES_BY_CODE[self.kind]
        if isinstance(self.value, bool) or not low <= self.value <= high:
            raise ValueError(f"{self.kind} must be from {low} to {high} {unit}, not {self.value!r}")


def ck_rise(results: Sequence[StrengthSignal], factor: float) -> tuple[StrengthSignal, StrengthSignal] | None:
    """(the latest CK result, the baseline it is judged against) when the latest is a rise, else None.

    results: CK results oldest first. The baseline is the lowest earlier result: at diagnosis CK is often
    many times what treatment brings it down to, so judged against the first result a flare from the
    treated level (300 -> 3,000 U/L after 5,000 at diagnosis) went unseen. A rise is the latest at
    `factor` times the baseline or more, and above the lab's upper limit of normal when the lab gave one
    (a result within the normal range is no sign of muscle inflammation). Clinical-reference 8c [D].
    A result of 0 U/L (a typing slip: CK is never 0) is no baseline.
    """
    if len(results) < 2:
        return None
    latest = results[-1]
    earlier = [result for result in results[:-1] if result.value > 0]
    if not earlier:
        return None
    baseline = min(earlier, key=lambda result: result.value)
    within_normal = latest.upper_limit_normal is not None and latest.value <= latest.upper_limit_normal
    if within_normal or latest.value < baseline.value * factor - 1e-9:  # 1e-9: the float product's slack
        return None
    return latest, baseline


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
    reassess_from: highly active inflammation: the assessment's date, from which a reassessment is due
        within the config's high_inflammation_reassess_days (judged on week_end); None otherwise.
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
    reassess_from: date | None = None

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
