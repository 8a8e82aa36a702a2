# Kept whole: over half of it is the default rule data (DEFAULT_PROGRESSION_RULES), which the rest reads.
"""Rule data for the weekly progression decision: cut-points, thresholds and decision rules.

Every number the decision uses lives in DEFAULT_PROGRESSION_RULES with its rule id, text, evidence
tag and source (see shared/clinical-reference.md sections 3 and 4), never as a bare constant in
planner/progression/. A clinic can ship its own document (same shape, e.g. read from JSON) through
`progression_config_from_data`, or change single values with `adjust_config`, which records who
changed what and why as a rule of its own, as planner.limits.apply_adjustments does for limits.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from typing import Any

from planner.types import Rule
from planner.vocabulary import MEASURE_CODES

# Variables a regression may reduce, in the default order: the item's time variable first
# (minutes, repetitions or seconds held), then the governing intensity, then sets, then sessions.
REGRESS_VARIABLES = ("time", "intensity", "sets", "frequency_per_week")

_REF3 = "Clinical-reference 3"
DEFAULT_PROGRESSION_RULES: dict[str, Any] = {
    "parameters": {
        "pain_green_max": {
            "value": 3,
            "id": "progression.pain.green_max",
            "text": "Pain up to 3/10 during and after exercise is green: the dose may progress.",
            "evidence": "D",
            "source": f"{_REF3} (traffic-light encoding derived from the pain-monitoring model; secondary "
            "summaries call 0-2 or <=3 'safe')",
        },
        "pain_amber_max": {
            "value": 5,
            "id": "progression.pain.amber_max",
            "text": "Pain up to 5/10 during and after exercise is acceptable (amber: hold the dose); "
            "above 5/10 is red (regress).",
            "evidence": "R",
            "source": "Thomeé 1997, Phys Ther; Silbernagel et al. 2007, Am J Sports Med 35:897 (pain-monitoring "
            f"model); {_REF3}",
        },
        "morning_amber_rise": {
            "value": 1,
            "id": "progression.pain.morning_residual",
            "text": "Next-morning pain 1 point or more above the pain at rest is residual pain (amber: hold).",
            "evidence": "D",
            "source": f"{_REF3} (next-morning pain must settle to baseline; residual pain -> amber)",
        },
        "morning_red_rise": {
            "value": 2,
            "id": "progression.pain.morning_not_settled",
            "text": "Next-morning pain 2 points or more above the pain at rest has not settled (red: regress); "
            "2 points is the smallest meaningful change in NRS pain.",
            "evidence": "D",
            "source": f"{_REF3} (24-h rule); Farrar et al. 2001, Pain 94:149 (NRS MCID 2 points)",
        },
        "weekly_rise_amber": {
            "value": 1,
            "id": "progression.pain.weekly_rise_amber",
            "text": "A rise of 1 point or more in the week's mean pain over the previous week is amber (hold).",
            "evidence": "D",
            "source": f"{_REF3} (week to week, pain must not rise)",
        },
        "weekly_rise_red": {
            "value": 2,
            "id": "progression.pain.weekly_rise_red",
            "text": "A rise of 2 points or more in the week's mean pain over the previous week is red (regress).",
            "evidence": "D",
            "source": f"{_REF3} (week-on-week rise -> red); Farrar et al. 2001, Pain 94:149 (NRS MCID 2 points)",
        },
        "adherence_min": {
            "value": "2/3",
            "id": "progression.adherence.min_share",
            "text": "The dose progresses only when at least 2 of every 3 planned sessions were done.",
            "evidence": "D",
            "source": "Design default; a dose is judged tolerated only once it has been done",
        },
        "rpe_tolerance": {
            "value": 1,
            "id": "progression.rpe.above_target",
            "text": "A session rated more than 1 point above the dose's RPE target (Borg 6-20) stops the dose "
            "from progressing this week.",
            "evidence": "D",
            "source": f"{_REF3} (green needs RPE on target); clinical-reference 1a (RPE anchors)",
        },
        "regress_step_pct": {
            "value": 15,
            "id": "progression.regress.step",
            "text": "A red week takes one variable back by 15 % (the time per session first, then the intensity, "
            "then sets, then sessions).",
            "evidence": "D",
            "source": f"{_REF3} (regression: back one step, e.g. -10-20 % load or volume)",
        },
        "regress_order": {
            "value": list(REGRESS_VARIABLES),
            "id": "progression.regress.order",
            "text": "A regression reduces one variable only: the time per session first, then the intensity, "
            "then sets, then sessions per week.",
            "evidence": "D",
            "source": f"{_REF3} (change one variable at a time)",
        },
        "regress_floor_pct_hrr": {
            "value": 30,
            "id": "progression.regress.aerobic_floor",
            "text": "A regression never takes aerobic intensity below 30 %HRR (the bottom of the light class).",
            "evidence": "D",
            "source": "Clinical-reference 1a (ACSM light class 30-39 %HRR); clinical-reference 7 (start light)",
        },
        "regress_floor_pct_1rm": {
            "value": 30,
            "id": "progression.regress.resistance_floor",
            "text": "A regression never takes resistance load below 30 %1RM.",
            "evidence": "D",
            "source": "Design default; clinical-reference 1b (<50 %1RM for muscular endurance, 20-50 % for power "
            "in older adults)",
        },
        "pain_rise_red": {
            "value": 2,
            "id": "progression.pain.rise_over_usual",
            "text": "Pain during or after exercise is judged against the patient's usual pain (pain at rest): "
            "at or below the usual level it is green, a rise under 2 points or up to 5/10 is amber, and above "
            "5/10 with a rise of 2 points or more is red. So high resting pain can be green when it does not rise.",
            "evidence": "D",
            "source": f"{_REF3} (pain-monitoring model: pain must not rise); Farrar et al. 2001, Pain 94:149 "
            "(NRS MCID 2 points; a larger raw change is needed at high baseline)",
        },
        "spo2_floor_pct": {
            "value": 90,
            "id": "safety.spo2.floor",
            "text": "An oxygen saturation below 90 % during exercise is a red flag: stop, pause the plan and alert "
            "the care team.",
            "evidence": "G",
            "source": "ACSM test-termination indications; ATS/ACCP (SpO2 < 90 %); clinical-reference 5 and 8b",
        },
        "spo2_drop_points": {
            "value": 4,
            "id": "safety.spo2.exertional_drop",
            "text": "A fall in oxygen saturation of 4 points or more from the resting value during exercise "
            "(exertional desaturation) is a red flag.",
            "evidence": "R",
            "source": "Clinical-reference 8b (ILD studies define exertional desaturation as a fall of >= 4 points)",
        },
        "hr_max_tolerance_bpm": {
            "value": 10,
            "id": "safety.heart_rate.peak_tolerance",
            "text": "A session's average heart rate above the zone's ceiling, or its peak more than 10 bpm above "
            "it, holds the aerobic items (amber) and the patient is told to ease off; 10 bpm is about the error "
            "of an estimated maximum.",
            "evidence": "D",
            "source": "Clinical-reference 5 and 8a (Tanaka estimate error 7-11 bpm; effort governs)",
        },
        "strength_retest_days": {
            "value": 28,
            "id": "safety.strength.retest_interval",
            "text": "In inflammatory myopathy a strength test (MMT-8 or FI-3) is needed before resistance "
            "advances, and again every 4 weeks while it progresses; when it is due, resistance is held and the "
            "physiotherapist is asked to re-test.",
            "evidence": "C",
            "source": "Clinical-reference 8c and 7 (FI-3 + MMT-8 monthly); Harris-Love 2008 (serial strength "
            "testing); Alexanderson 2018",
        },
        "high_inflammation_reassess_days": {
            "value": 42,
            "id": "safety.inflammation.reassess_interval",
            "text": "With highly active inflammation the patient is reassessed within 6 weeks of the assessment; "
            "after that, progression is held and the care team is asked to reassess until a new assessment is "
            "recorded.",
            "evidence": "C",
            "source": "Clinical-reference 8a (inflammation high: low-intensity work until reassessed; reassess within "
            "4-6 weeks); Alexanderson 2018; Harris-Love 2008",
        },
        "ck_rise_factor": {
            "value": 1.5,
            "id": "safety.ck.rise_factor",
            "text": "A creatine kinase (CK) result 1.5 times the patient's baseline (the lowest earlier result) or "
            "more, and above the lab's upper limit of normal when given, holds resistance progression and alerts "
            "the care team.",
            "evidence": "D",
            "source": "Clinical-reference 8c (a CK rise above the patient's baseline by a clinic-set factor -> hold "
            "and review); Miller 2001 (muscle enzymes in the IMACS core set)",
        },
        "amber_streak_weeks": {
            "value": 3,
            "id": "progression.amber.streak_review",
            "text": "Three amber weeks in a row ask for clinician review: holding is no longer enough.",
            "evidence": "D",
            "source": f"{_REF3} (amber holds the dose); design default for when to escalate",
        },
        "hold_after_regress_weeks": {
            "value": 1,
            "id": "progression.regress.hold_after",
            "text": "After a regression the reduced dose is held for 1 more week before it is retried.",
            "evidence": "D",
            "source": f"{_REF3} (red: go back one step, hold 1-2 weeks, then retry)",
        },
    },
    "strength": {
        "mmt8_total": {
            "min_drop": 4,
            "id": "progression.strength.mmt8_drop",
            "text": "An MMT-8 total (0-80) 4 points or more below an earlier test is beyond measurement error: "
            "hold and ask for clinician review.",
            "evidence": "D",
            "source": "Clinical-reference 4 (MMT-8 total reliable, ICC >0.9; drop beyond measurement error -> hold "
            "and review); Rider 2010; Baschung Pfister 2018",
        },
        "grip_left_kg": {
            "min_drop": 5,
            "id": "progression.strength.grip_left_drop",
            "text": "Left grip 5 kg or more below an earlier test is a meaningful loss: hold and ask for review.",
            "evidence": "R",
            "source": "Bohannon 2019 (grip MCID 5-6.5 kg); clinical-reference 4",
        },
        "grip_right_kg": {
            "min_drop": 5,
            "id": "progression.strength.grip_right_drop",
            "text": "Right grip 5 kg or more below an earlier test is a meaningful loss: hold and ask for review.",
            "evidence": "R",
            "source": "Bohannon 2019 (grip MCID 5-6.5 kg); clinical-reference 4",
        },
        "chair_stand_30s": {
            "min_drop": 2,
            "id": "progression.strength.chair_stand_drop",
            "text": "A 30-second chair stand 2 or more stands below an earlier test is a meaningful loss: hold and "
            "ask for review.",
            "evidence": "R",
            "source": "Clinical-reference 4 (30-s chair stand MCID about 2 stands)",
        },
        "six_minute_walk_m": {
            "min_drop": 17.8,
            "id": "progression.strength.six_minute_walk_drop",
            "text": "A 6-minute walk 17.8 m or more shorter than an earlier test is a meaningful loss: hold and "
            "ask for review.",
            "evidence": "G",
            "source": "Kwok et al. 2013, BMC Geriatr 13:23 (MCID 17.8 m in frail older adults); clinical-reference 4",
        },
        "tug_seconds": {
            "min_drop": 1.5,
            "id": "progression.strength.tug_slower",
            "text": "A Timed Up and Go 1.5 s or more slower than an earlier test (lower is better) is a meaningful "
            "loss: hold and ask for review.",
            "evidence": "D",
            "source": "Design default: clinical-reference 4 gives TUG norms (Bohannon 2006) but no MCID",
        },
        "fi3_shoulder_flexion": {
            "min_drop_pct": 20,
            "id": "progression.strength.fi3_shoulder_drop",
            "text": "FI-3 shoulder flexion 20 % or more below an earlier test: hold and ask for review.",
            "evidence": "D",
            "source": "Clinical-reference 4 (FI-3 drop beyond measurement error -> review; IMACS worsening uses "
            "20 %, Oddis 2005 [R])",
        },
        "fi3_hip_flexion": {
            "min_drop_pct": 20,
            "id": "progression.strength.fi3_hip_drop",
            "text": "FI-3 hip flexion 20 % or more below an earlier test: hold and ask for review.",
            "evidence": "D",
            "source": "Clinical-reference 4 (FI-3 drop beyond measurement error -> review; IMACS worsening uses "
            "20 %, Oddis 2005 [R])",
        },
        "fi3_neck_flexion": {
            "min_drop_pct": 20,
            "id": "progression.strength.fi3_neck_drop",
            "text": "FI-3 neck flexion 20 % or more below an earlier test: hold and ask for review.",
            "evidence": "D",
            "source": "Clinical-reference 4 (FI-3 drop beyond measurement error -> review; IMACS worsening uses "
            "20 %, Oddis 2005 [R])",
        },
    },
    "decisions": {
        "red_flag": {
            "id": "progression.decision.red_flag_pause",
            "text": "Any red flag in the week's check-ins suspends progression and calls for clinician review.",
            "evidence": "D",
            "source": f"{_REF3} (regression/deload); clinical-reference 5 (stop criteria, myositis review triggers)",
        },
        "two_red_weeks": {
            "id": "progression.decision.two_red_weeks_pause",
            "text": "Two red weeks in a row suspend progression and call for clinician review.",
            "evidence": "D",
            "source": f"{_REF3} (regression/deload)",
        },
        "red": {
            "id": "progression.decision.red_regress",
            "text": "A red week (pain above the acceptable level, next-morning pain not settled, or a "
            "week-on-week rise) takes the dose back one step.",
            "evidence": "D",
            "source": f"{_REF3} (traffic-light encoding)",
        },
        "amber": {
            "id": "progression.decision.amber_hold",
            "text": "An amber week (pain 4-5/10 or residual next-morning pain) holds the current dose.",
            "evidence": "D",
            "source": f"{_REF3} (traffic-light encoding)",
        },
        "green": {
            "id": "progression.decision.green_advance",
            "text": "A green week with enough sessions done, effort on target and stable strength progresses "
            "each item by one step of its progression rule.",
            "evidence": "D",
            "source": f"{_REF3} (traffic-light encoding; myositis: escalate only with stable strength [C])",
        },
        "morning_settled": {
            "id": "progression.pain.morning_baseline",
            "text": "Next-morning pain and stiffness must have settled to the baseline (pain at rest).",
            "evidence": "R",
            "source": "Silbernagel et al. 2007, Am J Sports Med 35:897 (24-h rule); clinical-reference 3",
        },
        "no_checkins": {
            "id": "progression.decision.no_checkins_hold",
            "text": "With no check-ins in the week the dose is held and the patient is reminded to check in.",
            "evidence": "D",
            "source": "Design default: the plan never progresses on missing data",
        },
        "missing_data": {
            "id": "progression.decision.missing_data_hold",
            "text": "A week without pain scores, next-morning pain or effort ratings cannot be judged green, so "
            "the dose is held.",
            "evidence": "D",
            "source": "Design default: the plan never progresses on missing data",
        },
        "strength_stable": {
            "id": "progression.decision.strength_hold_review",
            "text": "A drop in strength or function beyond measurement error holds the dose and asks for "
            "clinician review.",
            "evidence": "D",
            "source": "Clinical-reference 4 (software proxy for IMACS worsening) and 3 (myositis: escalate only "
            "with stable strength [C])",
        },
        "item_completed": {
            "id": "progression.dose.item_completed",
            "text": "An item progresses only when it was done in enough of its sessions and its planned sets, "
            "repetitions and minutes were completed.",
            "evidence": "D",
            "source": f"{_REF3} (green needs the repetitions completed)",
        },
        "return_to_held": {
            "id": "progression.dose.return_to_held",
            "text": "After a regression the dose first climbs back towards the dose held before it, one variable "
            "at a time and no faster than the weekly cap, before it progresses beyond it.",
            "evidence": "D",
            "source": f"{_REF3} (hold, then retry)",
        },
        "localized_pain": {
            "id": "progression.pain.localized_regress",
            "text": "When the pain that made the week red was in one place (a calcified area, the muscles, the "
            "joints) or in one exercise, only the exercises concerned go back one step; the others are held. "
            "General pain takes back the whole plan.",
            "evidence": "D",
            "source": f"{_REF3} (regress what hurts; change one variable at a time)",
        },
        "hr_above_zone": {
            "id": "safety.heart_rate.above_zone",
            "text": "A logged heart rate above the zone's ceiling holds the aerobic items this week.",
            "evidence": "D",
            "source": "Clinical-reference 5 (Karvonen zone) and 8a (effort governs when HRmax is estimated)",
        },
        "no_strength_baseline": {
            "id": "safety.strength.baseline_required",
            "text": "In inflammatory myopathy resistance does not advance until a baseline MMT-8 or FI-3 is recorded.",
            "evidence": "C",
            "source": "Clinical-reference 8c; clinical-reference 3 (myositis: escalate only with stable strength)",
        },
        "strength_retest_due": {
            "id": "safety.strength.retest_due",
            "text": "Strength re-test due: resistance is held until the physiotherapist records a new MMT-8 or FI-3.",
            "evidence": "C",
            "source": "Clinical-reference 8c and 7 (monthly strength tests while progressing)",
        },
        "reassessment_due": {
            "id": "safety.inflammation.reassessment_due",
            "text": "Reassessment due: with highly active inflammation no dose advances until the physiotherapist "
            "records a new assessment.",
            "evidence": "C",
            "source": "Clinical-reference 8a (inflammation high: reassess within 4-6 weeks, until reassessed)",
        },
        "ck_rising": {
            "id": "safety.ck.rising_hold",
            "text": "Rising muscle enzymes (CK) hold resistance progression and ask for clinician review.",
            "evidence": "D",
            "source": "Clinical-reference 8c",
        },
        "amber_streak": {
            "id": "progression.decision.amber_streak_review",
            "text": "Three amber weeks in a row call for clinician review.",
            "evidence": "D",
            "source": f"{_REF3}",
        },
        "regress_floor": {
            "id": "progression.dose.regress_floor",
            "text": "A regression never goes below the minimum bout, the minimum repetitions or one session or "
            "set; a variable at its floor is passed over.",
            "evidence": "D",
            "source": "Design default; the floors come from the item's progression rule and the load limits",
        },
    },
}


class ProgressionConfigError(ValueError):
    """The progression rule data is malformed; `errors` maps the parameter key -> message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{name}: {message}" for name, message in errors.items()))


@dataclass(frozen=True)
class StrengthThreshold:
    """The smallest drop in one measure that counts as a real loss (beyond measurement error).

    measure: a vocabulary.MEASURE_CODES code; whether lower values are better comes from
        vocabulary.MEASURES (TUG), so the drop is always measured in the "worse" direction.
    min_drop: a drop of at least this many units (kg, stands, m, s, points), or None.
    min_drop_pct: a drop of at least this share of the earlier value, in percent, or None.
    rule: why this threshold.
    """

    measure: str
    min_drop: float | None
    min_drop_pct: float | None
    rule: Rule


@dataclass(frozen=True)
class ProgressionConfig:
    """The configurable cut-points of the weekly decision (see DEFAULT_PROGRESSION_RULES).

    pain_green_max / pain_amber_max: worst pain during or after exercise (0-10) that is still green /
        still amber; above pain_amber_max is red.
    morning_amber_rise / morning_red_rise: next-morning pain this many points above the baseline (pain
        at rest) is amber / red.
    weekly_rise_amber / weekly_rise_red: rise of the week's mean pain over the previous week that is
        amber / red.
    adherence_min: share of planned sessions that must be done before the dose may progress.
    rpe_tolerance: Borg points a session may be rated above the RPE target and still count on target.
    regress_step_pct: how much a regression takes off one variable, in percent.
    regress_order: REGRESS_VARIABLES in the order a regression tries them.
    regress_floor_pct_hrr / regress_floor_pct_1rm: intensity floors for a regression.
    hold_after_regress_weeks: decisions after a regression that hold before the dose is retried.
    strength: one StrengthThreshold per measure with a threshold; other measures are ignored.
    rules: (key, Rule) for every parameter above and every decision rule.
    """

    pain_green_max: int
    pain_amber_max: int
    morning_amber_rise: int
    morning_red_rise: int
    weekly_rise_amber: float
    weekly_rise_red: float
    adherence_min: Fraction
    rpe_tolerance: int
    regress_step_pct: float
    regress_order: tuple[str, ...]
    regress_floor_pct_hrr: int
    regress_floor_pct_1rm: int
    hold_after_regress_weeks: int
    strength: tuple[StrengthThreshold, ...]
    rules: tuple[tuple[str, Rule], ...]
    pain_rise_red: int = 2
    spo2_floor_pct: int = 90
    spo2_drop_points: int = 4
    hr_max_tolerance_bpm: int = 10
    strength_retest_days: int = 28
    high_inflammation_reassess_days: int = 42
    ck_rise_factor: float = 1.5
    amber_streak_weeks: int = 3

    def rule(self, key: str) -> Rule:
        """The rule behind a parameter or decision, e.g. rule("pain_amber_max") or rule("red_flag")."""
        for name, rule in self.rules:
            if name == key:
                return rule
        raise KeyError(key)

    def threshold_for(self, measure: str) -> StrengthThreshold | None:
        return next((t for t in self.strength if t.measure == measure), None)

    def all_rules(self) -> tuple[Rule, ...]:
        return tuple(rule for _, rule in self.rules) + tuple(t.rule for t in self.strength)


PARAMETER_KEYS = (
    "pain_green_max",
    "pain_amber_max",
    "morning_amber_rise",
    "morning_red_rise",
    "weekly_rise_amber",
    "weekly_rise_red",
    "adherence_min",
    "rpe_tolerance",
    "regress_step_pct",
    "regress_order",
    "regress_floor_pct_hrr",
    "regress_floor_pct_1rm",
    "hold_after_regress_weeks",
    "pain_rise_red",
    "spo2_floor_pct",
    "spo2_drop_points",
    "hr_max_tolerance_bpm",
    "strength_retest_days",
    "high_inflammation_reassess_days",
    "ck_rise_factor",
    "amber_streak_weeks",
)
DECISION_KEYS = tuple(DEFAULT_PROGRESSION_RULES["decisions"])


def _rule(entry: Mapping[str, Any], where: str) -> Rule:
    try:
        return Rule(id=entry["id"], text=entry["text"], evidence=entry["evidence"], source=entry["source"])
    except KeyError as missing:
        raise ProgressionConfigError({where: f"missing {missing}"}) from None
    except ValueError as error:
        raise ProgressionConfigError({where: str(error)}) from None


# A parameter's value as _coerce gives it: a share (adherence_min), the regression order
# (regress_order), a decimal (DECIMAL_KEYS) or, for every other key, a whole number.
ConfigValue = int | float | Fraction | tuple[str, ...]
DECIMAL_KEYS = ("weekly_rise_amber", "weekly_rise_red", "regress_step_pct", "ck_rise_factor")


def _coerce(key: str, raw: object) -> ConfigValue:
    """The parameter's value in the config's representation, or raise ValueError."""
    if key == "adherence_min":
        value = Fraction(str(raw))
        if not 0 <= value <= 1:
            raise ValueError("must be a share between 0 and 1 (e.g. '2/3')")
        return value
    if key == "regress_order":
        if (
            isinstance(raw, str)
            or not isinstance(raw, Collection)
            or not raw
            or any(v not in REGRESS_VARIABLES for v in raw)
            or len(set(raw)) != len(raw)
        ):
            raise ValueError(f"must list distinct variables from {', '.join(REGRESS_VARIABLES)}")
        # Every entry is one of REGRESS_VARIABLES, so a string.
        return tuple(str(v) for v in raw)
    if isinstance(raw, bool) or not isinstance(raw, int | float):
        raise ValueError("must be a number")
    if key in DECIMAL_KEYS:
        return float(raw)
    if not float(raw).is_integer():
        raise ValueError("must be a whole number")
    return int(raw)


def _whole(values: Mapping[str, ConfigValue], key: str) -> int:
    value = values[key]
    if not isinstance(value, int):
        raise TypeError(f"{key}: {value!r} is not a whole number")  # _coerce makes one of every whole key
    return value


def _decimal(values: Mapping[str, ConfigValue], key: str) -> float:
    value = values[key]
    if not isinstance(value, int | float):
        raise TypeError(f"{key}: {value!r} is not a number")  # _coerce makes a float of every DECIMAL_KEYS key
    return value


def _config(
    values: Mapping[str, ConfigValue], strength: tuple[StrengthThreshold, ...], rules: tuple[tuple[str, Rule], ...]
) -> ProgressionConfig:
    """The config from coerced values (one per PARAMETER_KEYS key), each field taking its own type."""
    share, order = values["adherence_min"], values["regress_order"]
    if not isinstance(share, Fraction) or not isinstance(order, tuple):
        raise TypeError("adherence_min must be a Fraction and regress_order a tuple")  # as _coerce makes them
    return ProgressionConfig(
        pain_green_max=_whole(values, "pain_green_max"),
        pain_amber_max=_whole(values, "pain_amber_max"),
        morning_amber_rise=_whole(values, "morning_amber_rise"),
        morning_red_rise=_whole(values, "morning_red_rise"),
        weekly_rise_amber=_decimal(values, "weekly_rise_amber"),
        weekly_rise_red=_decimal(values, "weekly_rise_red"),
        adherence_min=share,
        rpe_tolerance=_whole(values, "rpe_tolerance"),
        regress_step_pct=_decimal(values, "regress_step_pct"),
        regress_order=order,
        regress_floor_pct_hrr=_whole(values, "regress_floor_pct_hrr"),
        regress_floor_pct_1rm=_whole(values, "regress_floor_pct_1rm"),
        hold_after_regress_weeks=_whole(values, "hold_after_regress_weeks"),
        strength=strength,
        rules=rules,
        pain_rise_red=_whole(values, "pain_rise_red"),
        spo2_floor_pct=_whole(values, "spo2_floor_pct"),
        spo2_drop_points=_whole(values, "spo2_drop_points"),
        hr_max_tolerance_bpm=_whole(values, "hr_max_tolerance_bpm"),
        strength_retest_days=_whole(values, "strength_retest_days"),
        high_inflammation_reassess_days=_whole(values, "high_inflammation_reassess_days"),
        ck_rise_factor=_decimal(values, "ck_rise_factor"),
        amber_streak_weeks=_whole(values, "amber_streak_weeks"),
    )


def _check(config: ProgressionConfig) -> dict[str, str]:
    """What is wrong with the parameters taken together (key -> message); {} when nothing is."""
    errors: dict[str, str] = {}
    if not 0 <= config.pain_green_max <= 10:
        errors["pain_green_max"] = "must be between 0 and 10"
    if not 0 <= config.pain_amber_max <= 10:
        errors["pain_amber_max"] = "must be between 0 and 10"
    if not errors and config.pain_green_max > config.pain_amber_max:
        errors["pain_green_max"] = "must not be above pain_amber_max"
    rises = (
        ("morning_amber_rise", config.morning_amber_rise, "morning_red_rise", config.morning_red_rise),
        ("weekly_rise_amber", config.weekly_rise_amber, "weekly_rise_red", config.weekly_rise_red),
    )
    for low_key, low, high_key, high in rises:
        if low <= 0 or high <= 0:
            errors[low_key] = "rises must be positive"
        elif low > high:
            errors[low_key] = f"must not be above {high_key}"
    if not 0 <= config.rpe_tolerance <= 14:
        errors["rpe_tolerance"] = "must be between 0 and 14 Borg points"
    if not 0 < config.regress_step_pct < 100:
        errors["regress_step_pct"] = "must be between 0 and 100 (exclusive)"
    for key, floor in (
        ("regress_floor_pct_hrr", config.regress_floor_pct_hrr),
        ("regress_floor_pct_1rm", config.regress_floor_pct_1rm),
    ):
        if not 0 <= floor <= 100:
            errors[key] = "must be between 0 and 100"
    if not 0 <= config.hold_after_regress_weeks <= 12:
        errors["hold_after_regress_weeks"] = "must be between 0 and 12"
    bounds = (
        ("pain_rise_red", config.pain_rise_red, 1, 10),
        ("spo2_floor_pct", config.spo2_floor_pct, 70, 100),
        ("spo2_drop_points", config.spo2_drop_points, 1, 30),
        ("hr_max_tolerance_bpm", config.hr_max_tolerance_bpm, 0, 60),
        ("strength_retest_days", config.strength_retest_days, 7, 365),
        ("high_inflammation_reassess_days", config.high_inflammation_reassess_days, 7, 365),
        ("amber_streak_weeks", config.amber_streak_weeks, 2, 12),
    )
    for key, value, lowest, highest in bounds:
        if not lowest <= value <= highest:
            errors[key] = f"must be between {lowest} and {highest}"
    if not config.ck_rise_factor > 1:
        errors["ck_rise_factor"] = "must be above 1"
    return errors


def progression_config_from_data(data: Mapping[str, Any]) -> ProgressionConfig:
    """Build and validate a ProgressionConfig from a document shaped like DEFAULT_PROGRESSION_RULES."""
    errors: dict[str, str] = {}
    values: dict[str, ConfigValue] = {}
    rules: list[tuple[str, Rule]] = []
    parameters = data.get("parameters", {})
    for key in PARAMETER_KEYS:
        if key not in parameters:
            errors[key] = "missing"
            continue
        entry = parameters[key]
        rules.append((key, _rule(entry, key)))
        try:
            values[key] = _coerce(key, entry.get("value"))
        except (ValueError, TypeError, ZeroDivisionError) as problem:
            errors[key] = str(problem)
    decisions = data.get("decisions", {})
    for key in DECISION_KEYS:
        if key not in decisions:
            errors[key] = "missing"
        else:
            rules.append((key, _rule(decisions[key], key)))
    thresholds = []
    for measure, entry in data.get("strength", {}).items():
        if measure not in MEASURE_CODES:
            errors[f"strength.{measure}"] = "unknown measure"
            continue
        drop, pct = entry.get("min_drop"), entry.get("min_drop_pct")
        if (drop is None and pct is None) or any(v is not None and v <= 0 for v in (drop, pct)):
            errors[f"strength.{measure}"] = "needs a positive min_drop or min_drop_pct"
            continue
        thresholds.append(StrengthThreshold(measure, drop, pct, _rule(entry, f"strength.{measure}")))
    config = None if errors else _config(values, tuple(thresholds), tuple(rules))
    if config is not None:
        errors = _check(config)
    ids = [rule.id for _, rule in rules] + [t.rule.id for t in thresholds]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        errors["rules"] = f"duplicate rule ids: {', '.join(duplicates)}"
    if errors or config is None:
        raise ProgressionConfigError(errors)
    return config


@lru_cache(maxsize=1)
def default_progression_config() -> ProgressionConfig:
    """The shipped defaults (design defaults [D] must be signed off by a clinician)."""
    return progression_config_from_data(DEFAULT_PROGRESSION_RULES)


def adjust_config(
    config: ProgressionConfig, changes: Mapping[str, object], *, reason: str, author: str = ""
) -> ProgressionConfig:
    """A clinic's change of one or more parameters, each recorded as a clinician rule (evidence C).

    Raises ProgressionConfigError (key -> message) for an unknown key, an invalid value, or a missing
    reason; the result is validated as a whole (e.g. green must stay at or below amber).
    """
    errors: dict[str, str] = {}
    if not reason.strip():
        errors["reason"] = "a change to the progression rules needs a recorded reason"
    values: dict[str, ConfigValue] = {}
    for key, raw in changes.items():
        if key not in PARAMETER_KEYS:
            errors[key] = "not an adjustable progression parameter"
            continue
        try:
            values[key] = _coerce(key, raw)
        except (ValueError, TypeError, ZeroDivisionError) as problem:
            errors[key] = str(problem)
    if not errors:
        errors = _check(_config({**_values_of(config), **values}, config.strength, config.rules))
    if errors:
        raise ProgressionConfigError(errors)
    source = "Clinician adjustment" + (f" by {author}" if author else "")
    replaced = {
        key: Rule(
            id=f"clinician.progression.{key}",
            text=f"A clinician set {key} to {changes[key]}: {reason.strip()}",
            evidence="C",
            source=source,
        )
        for key in values
    }
    rules = tuple((key, replaced.get(key, rule)) for key, rule in config.rules)
    return _config({**_values_of(config), **values}, config.strength, rules)


def _values_of(config: ProgressionConfig) -> dict[str, ConfigValue]:
    """The config's parameter values by key (what _coerce would give for each)."""
    values: dict[str, ConfigValue] = {}
    for key in PARAMETER_KEYS:
        value = getattr(config, key)
        if not isinstance(value, int | float | Fraction | tuple):
            raise TypeError(f"{key}: {value!r} is not a parameter value")  # every PARAMETER_KEYS field is one
        values[key] = value
    return values


# Diagnoses (free text on the patient record) that make a profile an inflammatory myopathy, for the
# strength-test gate of clinical-reference 8c; active inflammation in the assessment does too (the
# assessment's inflammation is myositis, fasciitis or panniculitis activity).
INFLAMMATORY_MYOPATHY_WORDS = ("myositis", "myopathy")


def is_inflammatory_myopathy(diagnoses: Iterable[str], inflammation_activity: str) -> bool:
    """True when the strength-test gate applies (rule safety.strength.retest_interval)."""
    if inflammation_activity != "inactive":
        return True
    return any(word in str(diagnosis).lower() for diagnosis in diagnoses for word in INFLAMMATORY_MYOPATHY_WORDS)
