"""How doses grow: the windowed growth cap, the units a patient can follow, and the ladders without %1RM.

Rule data: planner/data/rules_growth.json. The weekly growth cap (limits.weekly_progression_max_pct)
bounds an item's weekly volume averaged over a short window: a dose may reach the volume of the week
`window` weeks earlier times (1 + cap) to the power of the weeks between. A whole step (one more set or
day, which can add 30-50 % at once) is therefore taken as soon as the growth allowed over the window
covers it, and a step no window can ever cover is passed over.

Resistance is dosed by what the patient has: a weight in %1RM, an elastic band by its colour level,
bodyweight by a slower tempo once repetitions, sets and days are in place. Balance gets harder by less
hand support. Each of these levels is an Intensity in a LADDER_UNITS unit.
"""

from __future__ import annotations

import json
import math
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.translation import gettext, gettext_noop
from planner.types import Dose, ExerciseSpec, Intensity, Rule

GROWTH_RULES_PATH = Path(__file__).resolve().parent / "data" / "rules_growth.json"
# The unit that governs each component's intensity, in the order looked for in a dose.
GOVERNING_UNITS = {
    "aerobic": ("pct_hrr",),
    "resistance": ("pct_1rm", "band_level", "tempo_level"),
    "neuromotor": ("support_level",),
    "flexibility": (),
}


@dataclass(frozen=True)
class Ladder:
    """Practical intensity levels (1-based) with the words the patient reads at each level."""

    unit: str
    levels: tuple[str, ...]
    growth_per_level_pct: int
    start: int
    rule: Rule

    def words(self, level: int) -> str:
        return self.levels[min(max(level, 1), len(self.levels)) - 1]


@dataclass(frozen=True)
class Target:
    """A week-12 target (clinical-reference 8d) for one component and measure, when its condition holds."""

    id: str
    component: str
    measure: str  # minutes_per_week, sets, days_per_week, seconds_per_session
    value: int
    when: dict[str, Any]
    rule: Rule


@dataclass(frozen=True)
class GrowthRules:
    window_weeks: int
    window_rule: Rule
    capped_components: tuple[str, ...]
    capped_rule: Rule
    practice_components: tuple[str, ...]
    practice_rule: Rule
    max_reps_before_set: int
    max_reps_rule: Rule
    external_equipment: tuple[str, ...]
    band_equipment: tuple[str, ...]
    load_type_rule: Rule
    ladders: dict[str, Ladder]
    targets: tuple[Target, ...]

    def ladder(self, unit: str) -> Ladder:
        return self.ladders[unit]

    def all_rules(self) -> tuple[Rule, ...]:
        return (
            self.window_rule,
            self.capped_rule,
            self.practice_rule,
            self.max_reps_rule,
            self.load_type_rule,
            *(ladder.rule for ladder in self.ladders.values()),
            *(target.rule for target in self.targets),
        )


def _rule(entry: dict[str, Any]) -> Rule:
    return Rule(id=entry["id"], text=entry["text"], evidence=entry["evidence"], source=entry["source"])


def growth_rules_from_data(data: dict[str, Any]) -> GrowthRules:
    loads = data["load_types"]
    return GrowthRules(
        window_weeks=int(data["window"]["weeks"]),
        window_rule=_rule(data["window"]),
        capped_components=tuple(data["capped_components"]["components"]),
        capped_rule=_rule(data["capped_components"]),
        practice_components=tuple(data["practice_minutes"]["components"]),
        practice_rule=_rule(data["practice_minutes"]),
        max_reps_before_set=int(data["max_reps_before_a_set"]["reps"]),
        max_reps_rule=_rule(data["max_reps_before_a_set"]),
        external_equipment=tuple(loads["external_equipment"]),
        band_equipment=tuple(loads["band_equipment"]),
        load_type_rule=_rule(loads),
        ladders={
            unit: Ladder(
                unit, tuple(entry["levels"]), int(entry["growth_per_level_pct"]), int(entry["start"]), _rule(entry)
            )
            for unit, entry in data["ladders"].items()
        },
        targets=tuple(
            Target(entry["id"], entry["component"], entry["measure"], int(entry["value"]), entry["when"], _rule(entry))
            for entry in data["targets"]
        ),
    )


@lru_cache(maxsize=1)
def default_growth_rules() -> GrowthRules:
    return growth_rules_from_data(json.loads(GROWTH_RULES_PATH.read_text(encoding="utf-8")))


# ---------------------------------------------------------------------------------------------
# Units a patient can follow
# ---------------------------------------------------------------------------------------------


def load_type(spec: ExerciseSpec, rules: GrowthRules | None = None) -> str:
    """How a resistance exercise is loaded: "external" (weights, %1RM), "band" or "bodyweight"."""
    rules = rules or default_growth_rules()
    if any(item in rules.external_equipment for item in spec.equipment):
        return "external"
    if any(item in rules.band_equipment for item in spec.equipment):
        return "band"
    return "bodyweight"


def ladder_unit(spec: ExerciseSpec, rules: GrowthRules | None = None) -> str | None:
    """The ladder an exercise's intensity climbs, or None (aerobic %HRR, weights in %1RM, stretches)."""
    if spec.component == "resistance":
        return {"band": "band_level", "bodyweight": "tempo_level"}.get(load_type(spec, rules))
    if is_supported_balance(spec):
        return "support_level"
    return None


def is_supported_balance(spec: ExerciseSpec) -> bool:
    """Balance practised next to a support (the library's hand_support attribute): it gets harder by less
    support and is dosed as practice time. Posture holds, breathing and tai chi are not."""
    return spec.component == "neuromotor" and "hand_support" in spec.tags


def governing_unit(dose: Dose) -> str | None:
    """The intensity unit the progression steps move for this dose (None: it has none)."""
    return governing_target(dose)[0]


def governing_target(dose: Dose) -> tuple[str | None, Intensity | None]:
    """The governing unit and the dose's target in it, found in one pass (the schedule asks every week)."""
    targets = dose.intensity
    for unit in GOVERNING_UNITS[dose.component]:
        for target in targets:
            if target.unit == unit:
                return unit, target
    return None, None


def intensity_value(dose: Dose) -> int | None:
    unit = governing_unit(dose)
    target = dose.intensity_in(unit) if unit else None
    return target.high if target is not None else None


# ---------------------------------------------------------------------------------------------
# Volume and the windowed cap
# ---------------------------------------------------------------------------------------------


def weekly_volume(dose: Dose, rules: GrowthRules | None = None) -> Fraction:
    """FITT-VP volume the cap applies to: sessions x time x intensity, exact.

    time: minutes, sets x repetitions, or holds x seconds. intensity: %HRR or %1RM / 100; a band or
    tempo level adds its growth per level (rule data); other doses have no intensity factor.
    """
    return volume_of_key(volume_key(dose), rules)


# What weekly_volume reads from a dose, in this order; the positions of the fields a step grows.
VOLUME_KEY_FIELDS = {"frequency_per_week": 1, "minutes": 2, "sets": 3, "reps": 4, "hold_seconds": 5}
VOLUME_KEY_HIGH = 7


def volume_key(dose: Dose) -> tuple[Any, ...]:
    """(dose kind, frequency, minutes, sets, reps, hold seconds, governing unit, its upper value)."""
    unit, target = governing_target(dose)
    high = target.high if target is not None else None
    return (dose.dose_kind, dose.frequency_per_week, dose.minutes, dose.sets, dose.reps, dose.hold_seconds, unit, high)


def volume_of_key(key: tuple[Any, ...], rules: GrowthRules | None = None) -> Fraction:
    if rules is None or rules is default_growth_rules():
        return _default_volume(key)
    return _volume(key, rules)


def _volume(key: tuple[Any, ...], rules: GrowthRules) -> Fraction:
    dose_kind, frequency, minutes, sets, reps, hold_seconds, unit, high = key
    if dose_kind == "minutes":
        volume = Fraction(frequency) * exact(minutes)
    elif dose_kind == "sets_reps":
        volume = Fraction(frequency * sets * reps)
    else:
        volume = Fraction(frequency * sets * hold_seconds)
    if unit in ("pct_hrr", "pct_1rm"):
        volume *= Fraction(high, 100)
    elif unit in rules.ladders:
        ladder = rules.ladders[unit]
        volume *= 1 + Fraction(ladder.growth_per_level_pct * (high - 1), 100)
    return volume


# The schedule and the weekly sweep ask for the volume of the same few doses again and again: cache the
# exact value by the numbers it depends on (the default rule data never changes within a process).
@lru_cache(maxsize=65536)
def _default_volume(key: tuple[Any, ...]) -> Fraction:
    return _volume(key, default_growth_rules())


@lru_cache(maxsize=4096)
def exact(value: float) -> Fraction:
    """The exact value of a dose number as written (7.5 -> 15/2): Fraction(str(value)), cached."""
    return Fraction(str(value))


def is_capped(component: str, rules: GrowthRules | None = None) -> bool:
    return component in (rules or default_growth_rules()).capped_components


@lru_cache(maxsize=1024)
def growth_factor(cap_pct: float, weeks: int) -> Fraction:
    """(1 + cap) to the power of `weeks`, exact: how much a volume may grow over that many weeks."""
    return (1 + exact(cap_pct) / 100) ** weeks


_factor = growth_factor


def allowed_volume(history: Sequence[Dose], cap_pct: float, rules: GrowthRules | None = None) -> Fraction:
    """The most weekly volume the next week may have, given the item's doses so far (oldest first).

    The base is the dose `window` weeks before the next week (or the first dose, if the item is younger),
    grown by (1 + cap) for each week between.
    """
    rules = rules or default_growth_rules()
    next_index = len(history)
    base_index = max(0, next_index - rules.window_weeks)
    return weekly_volume(history[base_index], rules) * _factor(cap_pct, next_index - base_index)


def can_ever_fit(current: Dose, grown: Dose, cap_pct: float, rules: GrowthRules | None = None) -> bool:
    """Whether a step from `current` to `grown` fits once the item has held `current` for a whole window."""
    rules = rules or default_growth_rules()
    return weekly_volume(grown, rules) <= weekly_volume(current, rules) * _factor(cap_pct, rules.window_weeks)


def fits(history: Sequence[Dose], grown: Dose, cap_pct: float, rules: GrowthRules | None = None) -> bool:
    return weekly_volume(grown, rules) <= allowed_volume(history, cap_pct, rules)


def reps_before_next_set(sets: int, floor: int, cap_pct: float | None, rules: GrowthRules | None = None) -> int:
    """Repetitions a set must reach before one more set at `floor` repetitions adds no more than the window
    allows: (sets + 1) x floor <= sets x reps x (1 + cap) ** window, bounded by the endurance maximum."""
    if rules is None or rules is default_growth_rules():
        return _default_reps_before_next_set(sets, floor, cap_pct)
    return _reps_before_next_set(sets, floor, cap_pct, rules)


def _reps_before_next_set(sets: int, floor: int, cap_pct: float | None, rules: GrowthRules) -> int:
    factor = _factor(cap_pct, rules.window_weeks) if cap_pct is not None else Fraction(1)
    needed = math.ceil(Fraction((sets + 1) * floor) / (sets * factor))
    return min(needed, rules.max_reps_before_set)


@lru_cache(maxsize=4096)
def _default_reps_before_next_set(sets: int, floor: int, cap_pct: float | None) -> int:
    return _reps_before_next_set(sets, floor, cap_pct, default_growth_rules())


LADDER_NAMES = {
    "band_level": gettext_noop("Band"),
    "tempo_level": gettext_noop("Tempo"),
    "support_level": gettext_noop("Support"),
}


def ladder_words(dose: Dose, rules: GrowthRules | None = None) -> str | None:
    """The practical level a patient follows, e.g. "Band: red (light)"; None when the dose has no ladder."""
    rules = rules or default_growth_rules()
    for unit, name in LADDER_NAMES.items():
        target = dose.intensity_in(unit)
        if target is not None:
            # The levels are rule data: rehab/patient_words.py marks them for the catalogue.
            level = gettext(rules.ladder(unit).words(target.high))
            return gettext("%(ladder)s: %(level)s") % {"ladder": gettext(name), "level": level}
    return None
