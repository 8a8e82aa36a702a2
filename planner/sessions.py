"""A plan week as sessions: which days each exercise falls on, and each day in order.

Each exercise day is one session: a warm-up, the main block in a fixed order, a cool-down, and an
estimate of how long it all takes. The rules are data (planner/data/rules_sessions.json, each with its
evidence tag and source); this module applies them:

- Days. The week's exercise days are the busiest exercise's days, spread evenly (day i of f at
  floor(i x 7 / f), so 3 a week fall on days 1, 3 and 5 of the plan week). Every other exercise takes the
  most evenly spread of those days (largest smallest gap, counted round the end of the week), the least
  busy first, then the earliest. Daily exercises take every day.
- Strength. All strength exercises share the strength days, chosen among the exercise days so that no
  two are on consecutive days, also across the end of the week (>= 48 h for the same muscle groups,
  Garber 2011); they always include the week's first day, so week after week the gap holds too.
- Order inside a session: balance, strength, aerobic, stretching (rule "session.order").
- Warm-up and cool-down: 5-10 minutes each (10 with a heart or lung condition under monitoring). The
  warm-up is the plan's own aerobic exercise at an easy pace (else an allowed library movement marked
  "warm_up" in ExerciseSpec.session_roles) with up to two 2-minute mobility movements marked "warm_up"
  that are not already in the plan; the cool-down is the same aerobic exercise slowing down, then 2
  minutes of a breathing exercise marked "cool_down" (else slow breathing).
- Time: minutes as prescribed; repetitions x ~3.5 s plus rest between sets; holds plus a pause between
  holds; a little time to get ready for each exercise.

Pure and deterministic: the same plan week always gives the same sessions.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from functools import lru_cache
from itertools import combinations
from math import ceil
from pathlib import Path
from typing import Any

from planner.catalogue import exercise_violations
from planner.rules import compile_condition
from planner.types import Dose, ExerciseSpec, Plan, PlanWeek, Profile, Rule

SESSION_RULES_PATH = Path(__file__).resolve().parent / "data" / "rules_sessions.json"
DAYS_IN_WEEK = 7
ROLES = ("warm_up", "main", "cool_down")
# The most mobility movements in one warm-up (more would be a routine of its own).
MAX_MOBILITY_MOVEMENTS = 2


# ---------------------------------------------------------------------------------------------
# Rule data
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class WarmUpRule:
    rule: Rule
    applies: Callable[[Profile], bool]
    warm_up_minutes: int
    cool_down_minutes: int


@dataclass(frozen=True)
class SessionRules:
    """The session rules, read from rules_sessions.json.

    warm_up: tried in order, the first whose condition matches sets both warm-up and cool-down minutes.
    order: the components of the main block, in session order. min_days_between_strength: 2 means never
    on consecutive days. The estimate fields are in seconds (slow_breathing_minutes in minutes).
    """

    warm_up: tuple[WarmUpRule, ...]
    order: tuple[str, ...]
    order_rule: Rule
    days_rule: Rule
    spacing_rule: Rule
    min_days_between_strength: int
    estimate_rule: Rule
    seconds_per_rep: float
    rest_between_sets_seconds: float
    seconds_between_holds: float
    setup_seconds_per_exercise: float
    slow_breathing_minutes: int
    role_movement_minutes: int

    def warm_up_for(self, profile: Profile) -> WarmUpRule:
        return next(rule for rule in self.warm_up if rule.applies(profile))


def _rule(data: Mapping[str, Any]) -> Rule:
    return Rule(id=data["id"], text=data["text"], evidence=data["evidence"], source=data["source"])


def session_rules_from_data(data: Mapping[str, Any]) -> SessionRules:
    warm_up = tuple(
        WarmUpRule(
            rule=_rule(entry),
            applies=compile_condition(entry["condition"], entry["id"]),
            warm_up_minutes=int(entry["warm_up_minutes"]),
            cool_down_minutes=int(entry["cool_down_minutes"]),
        )
        for entry in data["warm_up"]
    )
    if not warm_up or not all(rule.warm_up_minutes > 0 and rule.cool_down_minutes > 0 for rule in warm_up):
        raise ValueError("rules_sessions: warm-up rules need positive warm_up_minutes and cool_down_minutes")
    estimate = data["estimate"]
    return SessionRules(
        warm_up=warm_up,
        order=tuple(data["order"]["components"]),
        order_rule=_rule(data["order"]),
        days_rule=_rule(data["days"]),
        spacing_rule=_rule(data["resistance_spacing"]),
        min_days_between_strength=int(data["resistance_spacing"]["min_days_between"]),
        estimate_rule=_rule(estimate),
        seconds_per_rep=float(estimate["seconds_per_rep"]),
        rest_between_sets_seconds=float(estimate["rest_between_sets_seconds"]),
        seconds_between_holds=float(estimate["seconds_between_holds"]),
        setup_seconds_per_exercise=float(estimate["setup_seconds_per_exercise"]),
        slow_breathing_minutes=int(estimate["slow_breathing_minutes"]),
        role_movement_minutes=int(estimate["role_movement_minutes"]),
    )


@lru_cache(maxsize=1)
def default_session_rules() -> SessionRules:
    return session_rules_from_data(json.loads(SESSION_RULES_PATH.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# Days
# ---------------------------------------------------------------------------------------------


def session_offsets(frequency: int) -> tuple[int, ...]:
    """Days of a plan week (0 = its first day) for `frequency` sessions, spread evenly: floor(i x 7 / f).

    3 -> (0, 2, 4): Mon, Wed, Fri in a week that starts on a Monday.
    """
    if not 1 <= frequency <= DAYS_IN_WEEK:
        raise ValueError("frequency must be 1-7 sessions a week")
    return tuple(i * DAYS_IN_WEEK // frequency for i in range(frequency))


def _gaps(days: Sequence[int]) -> list[int]:
    """Gaps between consecutive days, the last one round the end of the week to the first."""
    return [later - earlier for earlier, later in zip(days, (*days[1:], days[0] + DAYS_IN_WEEK), strict=True)]


def _most_even(
    pool: Sequence[int], count: int, load: Mapping[int, int], min_gap: int = 1, first: int | None = None
) -> tuple[int, ...] | None:
    """The `count` days of `pool` with the largest smallest gap (round the week), then the least busy,
    then the earliest; None when no choice keeps every gap >= min_gap (or includes `first`)."""
    best, best_key = None, None
    for days in combinations(sorted(pool), count):
        if first is not None and days[0] != first:
            continue
        smallest = min(_gaps(days)) if count > 1 else DAYS_IN_WEEK
        if smallest < min_gap:
            continue
        key = (-smallest, sum(load.get(day, 0) for day in days), days)
        if best_key is None or key < best_key:
            best, best_key = days, key
    return best


def item_days(
    frequencies: Sequence[tuple[str, str, int]], rules: SessionRules | None = None
) -> dict[str, tuple[int, ...]]:
    """Per item slug, its days in the plan week (offsets 0-6), from (slug, component, frequency) triples.

    Every item gets exactly its frequency of days; strength items never fall on consecutive days (also
    round the end of the week) when they have at most 3 days a week (more cannot be spaced so).
    """
    rules = rules or default_session_rules()
    if not frequencies:
        return {}
    busiest = max(frequency for _, _, frequency in frequencies)
    exercise_days = session_offsets(busiest)
    gap = rules.min_days_between_strength
    strength_count = max((f for _, component, f in frequencies if component == "resistance"), default=0)
    strength_days: tuple[int, ...] = ()
    if strength_count:
        strength_days = (
            _most_even(exercise_days, strength_count, {}, gap, first=0)
            or _most_even(range(DAYS_IN_WEEK), strength_count, {}, gap, first=0)
            or session_offsets(strength_count)  # > 3 a week: as evenly as the week allows
        )
    load: dict[int, int] = {}
    result: dict[str, tuple[int, ...]] = {}
    # Strength first (it has the fewest choices), then the busiest, so the others fill around them.
    ordered = sorted(frequencies, key=lambda entry: (entry[1] != "resistance", -entry[2]))
    for slug, component, frequency in ordered:
        if frequency >= DAYS_IN_WEEK:
            days = tuple(range(DAYS_IN_WEEK))
        elif component == "resistance":
            # strength_days was chosen so that a spread always exists (at worst without the gap).
            spread = _most_even(strength_days, frequency, load, gap, first=0) or _most_even(
                strength_days, frequency, load
            )
            assert spread is not None
            days = spread
        else:
            spread = _most_even(exercise_days, frequency, load)
            assert spread is not None  # no gap asked: any `frequency` days of the week will do
            days = spread
        for day in days:
            load[day] = load.get(day, 0) + 1
        result[slug] = days
    return {slug: result[slug] for slug, _, _ in frequencies}


# ---------------------------------------------------------------------------------------------
# Sessions
# ---------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SessionEntry:
    """One thing to do in a session.

    role: "warm_up", "main" or "cool_down". slug: the plan item's slug (also when the plan's own exercise
    is used to warm up or cool down), a library exercise's slug, or "" for slow breathing or gentle
    movement. name: what the patient reads. component: the item's FITT-VP component ("" for a generic
    entry). dose: the week's dose of a main-block item; None for a warm-up or cool-down entry, which is
    time-boxed by `minutes`. easy: the plan's exercise at an easy pace. minutes: estimated minutes.
    """

    role: str
    slug: str
    name: str
    component: str
    dose: Dose | None
    minutes: float
    easy: bool = False


@dataclass(frozen=True)
class Session:
    """One exercise day. offset: day of the plan week (0 = its first day); day: its date.
    estimated_minutes: the whole session, warm-up to cool-down, rounded up to a whole minute."""

    offset: int
    day: date
    warm_up: tuple[SessionEntry, ...]
    main: tuple[SessionEntry, ...]
    cool_down: tuple[SessionEntry, ...]
    estimated_minutes: int

    @property
    def weekday(self) -> int:
        """0 = Monday, as date.weekday()."""
        return self.day.weekday()

    @property
    def entries(self) -> tuple[SessionEntry, ...]:
        return (*self.warm_up, *self.main, *self.cool_down)

    @property
    def main_slugs(self) -> tuple[str, ...]:
        return tuple(entry.slug for entry in self.main)


@dataclass(frozen=True)
class WeekSessions:
    """The sessions of one plan week. days: per item slug, its dates this week (item order).
    rules: the session rules that produced the days, order, warm-up and time estimates."""

    number: int
    first_day: date
    sessions: tuple[Session, ...]
    days: tuple[tuple[str, tuple[date, ...]], ...]
    rules: tuple[Rule, ...]

    def days_for(self, slug: str) -> tuple[date, ...]:
        return next((days for item, days in self.days if item == slug), ())

    def session_on(self, day: date) -> Session | None:
        return next((session for session in self.sessions if session.day == day), None)


def estimate_seconds(dose: Dose, rules: SessionRules | None = None) -> float:
    """How long one session's dose of an exercise takes, in seconds, with time to get ready."""
    rules = rules or default_session_rules()
    setup = rules.setup_seconds_per_exercise
    if dose.dose_kind == "minutes":
        assert dose.minutes is not None  # a minutes dose has its minutes (Dose.__post_init__)
        return float(dose.minutes) * 60 + setup
    sets = dose.sets or 1
    if dose.dose_kind == "sets_reps":
        work = sets * (dose.reps or 0) * rules.seconds_per_rep
        return work + (sets - 1) * rules.rest_between_sets_seconds + setup
    return sets * (dose.hold_seconds or 0) + (sets - 1) * rules.seconds_between_holds + setup


def _split(total: int, count: int) -> list[int]:
    """Whole minutes shared out: 10 over 3 -> [4, 3, 3]."""
    base, extra = divmod(total, count)
    return [base + (1 if index < extra else 0) for index in range(count)]


def role_movements(plan: Plan, role: str, catalogue: Iterable[ExerciseSpec]) -> tuple[ExerciseSpec, ...]:
    """Library movements marked for `role` ("warm_up" / "cool_down") that the patient's limits allow."""
    return tuple(
        spec
        for spec in catalogue
        if role in tuple(getattr(spec, "session_roles", ()) or ())
        and not exercise_violations(spec, plan.limits, plan.profile)
    )


@dataclass(frozen=True)
class _RoleChoice:
    """What warms up and cools down this plan: an aerobic exercise at an easy pace (the plan's own, else
    an allowed library one), mobility movements for the warm-up, a breathing exercise to finish."""

    easy: ExerciseSpec | None
    easy_slug: str
    mobility: tuple[ExerciseSpec, ...]
    breathing: ExerciseSpec | None


def _role_choice(plan: Plan, offsets: Mapping[str, tuple[int, ...]], catalogue: Iterable[ExerciseSpec]) -> _RoleChoice:
    own = next((item for item in plan.items if item.component == "aerobic" and item.slug in offsets), None)
    warm, cool = role_movements(plan, "warm_up", catalogue), role_movements(plan, "cool_down", catalogue)
    in_plan = {item.slug for item in plan.items}
    easy = own.exercise if own else next((spec for spec in warm if spec.component == "aerobic"), None)
    mobility = tuple(spec for spec in warm if spec.component != "aerobic" and spec.slug not in in_plan)[
        :MAX_MOBILITY_MOVEMENTS
    ]
    breathing = next((spec for spec in cool if spec.component != "aerobic" and spec.dose_kind == "minutes"), None)
    return _RoleChoice(easy, own.slug if own else (easy.slug if easy else ""), mobility, breathing)


def _warm_up(choice: _RoleChoice, minutes: int, rules: SessionRules) -> tuple[SessionEntry, ...]:
    per = rules.role_movement_minutes
    mobility = choice.mobility[: max(0, (minutes - per) // per)] if choice.easy else choice.mobility
    if choice.easy is None and not mobility:
        return (SessionEntry("warm_up", "", "Gentle movement", "", None, minutes),)
    shares = [per] * len(mobility) if choice.easy else _split(minutes, len(mobility))
    entries = []
    if choice.easy is not None:
        easy_minutes = minutes - sum(shares)
        entries.append(SessionEntry("warm_up", choice.easy_slug, choice.easy.name, "aerobic", None, easy_minutes, True))
    entries += [
        SessionEntry("warm_up", spec.slug, spec.name, spec.component, None, share)
        for spec, share in zip(mobility, shares, strict=True)
    ]
    return tuple(entries)


def _cool_down(choice: _RoleChoice, minutes: int, rules: SessionRules) -> tuple[SessionEntry, ...]:
    breathing = min(rules.slow_breathing_minutes, minutes)
    entries = []
    if choice.easy is not None and minutes > breathing:
        easy = SessionEntry("cool_down", choice.easy_slug, choice.easy.name, "aerobic", None, minutes - breathing, True)
        entries.append(easy)
    else:
        breathing = minutes
    if choice.breathing is not None:
        spec = choice.breathing
        entries.append(SessionEntry("cool_down", spec.slug, spec.name, spec.component, None, breathing))
    else:
        entries.append(SessionEntry("cool_down", "", "Slow breathing", "", None, breathing))
    return tuple(entries)


def week_sessions(
    plan: Plan,
    week_number: int,
    first_day: date,
    catalogue: Iterable[ExerciseSpec] = (),
    rules: SessionRules | None = None,
) -> WeekSessions:
    """The sessions of plan week `week_number` (1-based), the week starting on `first_day`.

    catalogue: the library, searched for warm-up and cool-down movements (ExerciseSpec.session_roles);
    empty -> the plan's own aerobic exercise at an easy pace and slow breathing.
    """
    rules = rules or default_session_rules()
    week: PlanWeek = plan.weeks[week_number - 1]
    items = {item.slug: item for item in plan.items}
    scheduled = [entry for entry in week.doses if entry.exercise_slug in items]
    offsets = item_days(
        [
            (entry.exercise_slug, items[entry.exercise_slug].component, entry.dose.frequency_per_week)
            for entry in scheduled
        ],
        rules,
    )
    warm = rules.warm_up_for(plan.profile)
    choice = _role_choice(plan, offsets, tuple(catalogue))
    rank = {component: index for index, component in enumerate(rules.order)}
    position = {entry.exercise_slug: index for index, entry in enumerate(scheduled)}
    sessions = []
    for offset in sorted({day for days in offsets.values() for day in days}):
        due = [entry for entry in scheduled if offset in offsets[entry.exercise_slug]]
        due.sort(
            key=lambda entry: (rank.get(items[entry.exercise_slug].component, len(rank)), position[entry.exercise_slug])
        )
        main = tuple(
            SessionEntry(
                "main",
                entry.exercise_slug,
                items[entry.exercise_slug].exercise.name,
                items[entry.exercise_slug].component,
                entry.dose,
                estimate_seconds(entry.dose, rules) / 60,
            )
            for entry in due
        )
        warm_up = _warm_up(choice, warm.warm_up_minutes, rules)
        cool_down = _cool_down(choice, warm.cool_down_minutes, rules)
        total = sum(entry.minutes for entry in (*warm_up, *main, *cool_down))
        sessions.append(
            Session(offset, first_day + timedelta(days=offset), warm_up, main, cool_down, ceil(total - 1e-9))
        )
    return WeekSessions(
        number=week_number,
        first_day=first_day,
        sessions=tuple(sessions),
        days=tuple(
            (entry.exercise_slug, tuple(first_day + timedelta(days=d) for d in offsets[entry.exercise_slug]))
            for entry in scheduled
        ),
        rules=(warm.rule, rules.order_rule, rules.days_rule, rules.spacing_rule, rules.estimate_rule),
    )


def plan_week_first_day(start_date: date, number: int) -> date:
    return start_date + timedelta(days=DAYS_IN_WEEK * (number - 1))


def plan_sessions(
    plan: Plan, start_date: date, catalogue: Iterable[ExerciseSpec] = (), rules: SessionRules | None = None
) -> tuple[WeekSessions, ...]:
    """Every week of the plan as sessions."""
    catalogue = tuple(catalogue)
    return tuple(
        week_sessions(plan, week.number, plan_week_first_day(start_date, week.number), catalogue, rules)
        for week in plan.weeks
    )
