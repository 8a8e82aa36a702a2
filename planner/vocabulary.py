"""Closed vocabularies shared by the engine, the database and the API.

Kept in one place so that a value accepted by the API is always one the engine understands.
Each tuple is ordered; where order means something (impact, fragility, activity) it is the
order of increasing severity, which the limit rules rely on.

Vocabularies with words (red flags, measures, pain sites) are frozen records, each with a read-only
index by code built once here (`RED_FLAGS_BY_CODE` ...): every module looks a code up there rather
than building its own dict. The records are named tuples, so `for code, label, advice in RED_FLAGS`
still reads them in order.
"""

from collections.abc import Mapping
from types import MappingProxyType
from typing import NamedTuple


class RedFlag(NamedTuple):
    """A red flag a patient can report: its code, what the patient reads, what they are told to do now."""

    code: str
    label: str
    advice: str


class Measure(NamedTuple):
    """A strength, function or disease-activity measure: the range a value must fall in to be stored,
    and which way is better (the progression rules and the charts read it)."""

    code: str
    label: str
    unit: str
    low: float
    high: float
    higher_is_better: bool


class PainSite(NamedTuple):
    """Where it hurt, as the patient picks it with a check-in."""

    code: str
    label: str


COMPONENTS = ("aerobic", "resistance", "flexibility", "neuromotor")

# Ordered from gentlest to harshest: limits compare positions in this tuple.
IMPACT_LEVELS = ("none", "low", "moderate", "high")

BONE_FRAGILITY = ("none", "low_bone_mass", "osteoporosis", "fragility_fracture")
INFLAMMATION_ACTIVITY = ("inactive", "low", "moderate", "high")
CARDIOPULMONARY_STATUS = ("cleared", "monitor", "restricted")
SEXES = ("female", "male", "other", "unknown")

# Body regions, with laterality where a lesion can be one-sided (ossified masses usually are).
BODY_REGIONS = (
    "neck",
    "shoulder_left",
    "shoulder_right",
    "elbow_left",
    "elbow_right",
    "wrist_hand_left",
    "wrist_hand_right",
    "chest",
    "upper_back",
    "lower_back",
    "abdomen",
    "hip_left",
    "hip_right",
    "gluteal_left",
    "gluteal_right",
    "thigh_left",
    "thigh_right",
    "knee_left",
    "knee_right",
    "calf_left",
    "calf_right",
    "ankle_foot_left",
    "ankle_foot_right",
    # Landmarks inside the regions above, so a clinician can mark exactly where a mass or a sore
    # point is (planner/data/regions.json says which region each lies within and what crosses it).
    "iliac_crest_left",
    "iliac_crest_right",
    "greater_trochanter_left",
    "greater_trochanter_right",
    "ischial_tuberosity_left",
    "ischial_tuberosity_right",
    "sacrum",
)

# Movement attributes an exercise can carry; limits exclude exercises by these. The shipped library
# states every one of them true or false for every exercise (its "attributes" block), and an
# exercise's tags are the ones it states true. Meanings (what a clinician checks an exercise against):
#   loaded_spinal_flexion / loaded_spinal_twist: the spine bends forward / twists carrying a load or
#       against resistance (weights, body weight lifted by the trunk as in a sit-up).
#   spinal_flexion / spinal_twist / spinal_extension: the movement deliberately bends the spine
#       forward / twists it / bends it backwards (not a hip hinge with a straight back).
#   end_range_spinal_flexion / end_range_spinal_twist / end_range_spinal_extension: ... as far as it goes.
#   ballistic: momentum, bouncing or jerking carries the movement. rapid: done as fast as possible.
#   swinging: a limb or a weight is swung. jumping: both feet leave the ground. running: running gait
#       on land.
#   heavy_eccentric: lowering a load heavier than can be lifted. heavy_isometric: a hard static push or
#       hold that invites breath-holding (Valsalva).
#   end_range_stretch: a stretch taken as far as it goes, or forced by body weight or a load.
#   direct_pressure: body weight rests on the pressure_regions. prone_loading: lying face down.
#   floor_transfer: getting down to the floor and up again to do it. floor_to_stand: the exercise
#       itself is rising from the floor to standing (floor-rise drills). floor_lift: a load is lifted to
#       or from the floor.
#   overhead_load: a load is held or pressed above the head.
#   massage_or_heat: the exercise applies heat or firm massage (heat pack, foam roller, massage ball).
#   hand_support: a hand rests on a chair, rail, wall or counter (support, not a movement risk).
MOVEMENT_TAGS = (
    "loaded_spinal_flexion",
    "loaded_spinal_twist",
    "ballistic",
    "heavy_eccentric",
    "end_range_stretch",
    "direct_pressure",
    "prone_loading",
    "floor_transfer",
    "overhead_load",
    "running",
    "jumping",
    "rapid",
    "swinging",
    "spinal_flexion",
    "end_range_spinal_flexion",
    "spinal_twist",
    "end_range_spinal_twist",
    "spinal_extension",
    "end_range_spinal_extension",
    "floor_lift",
    "floor_to_stand",
    "heavy_isometric",
    "massage_or_heat",
    "hand_support",
)

EQUIPMENT = (
    "none",
    "chair",
    "wall",
    "step",
    "resistance_band",
    "dumbbell",
    "ankle_weight",
    "cuff_weight",
    "treadmill",
    "upright_bike",
    "recumbent_bike",
    "arm_ergometer",
    "pool",
    "mat",
    "cushion",
    "rail",
    "cable_machine",
    "leg_press",
    "rowing_machine",
    "elliptical",
    "walking_poles",
    "inspiratory_trainer",
)

# Muscle groups an exercise works (ExerciseSpec.muscle_groups) and a profile targets
# (planner/data/rules_selection.json). A controlled list, so that "each major muscle group" and the
# MMT-8 groups of inflammatory myopathy (clinical-reference 4 and 8d) can be checked against the
# library; the shipped library uses only these words (tests/planner/test_muscles.py).
MUSCLE_GROUPS = (
    "neck_flexors",
    "neck_extensors",
    "neck_side_flexors",
    "neck_rotators",
    "deltoids",
    "rotator_cuff",
    "biceps",
    "triceps",
    "wrist_extensors",
    "wrist_flexors",
    "chest",
    "upper_back",
    "spinal_extensors",
    "abdominals",
    "hip_flexors",
    "gluteus_maximus",
    "gluteus_medius",
    "hip_rotators",
    "hip_adductors",
    "quadriceps",
    "hamstrings",
    "calves",
    "ankle_dorsiflexors",
    "respiratory_muscles",
)

# Parts of a session an exercise suits (ExerciseSpec.session_roles): "main" is the main block;
# "warm_up" and "cool_down" are the gentle 5-10 minutes before and after it (clinical-reference 8a,
# cardiopulmonary monitor). An exercise that lists no role is a main-block exercise.
SESSION_ROLES = ("main", "warm_up", "cool_down")

POSITIONS = ("seated", "standing", "supine", "side_lying", "prone", "quadruped", "in_water")

# How an exercise's dose is expressed.
DOSE_KINDS = ("minutes", "sets_reps", "hold")

# The last three are practical ladders for exercises without a one-repetition maximum (levels from 1,
# words in planner/data/rules_growth.json): elastic band colour, bodyweight tempo, balance support.
INTENSITY_UNITS = (
    "rpe_6_20",
    "pct_hrr",
    "hr_bpm",
    "pct_1rm",
    "reps_in_reserve",
    "none",
    "band_level",
    "tempo_level",
    "support_level",
)
LADDER_UNITS = ("band_level", "tempo_level", "support_level")

# Red flags a patient (or staff on their behalf) can report with any check-in. Any one of them
# pauses the plan at once and alerts the care team. Source: clinical-reference.md section 5
# (ACSM test-termination indications [G]; myositis-specific review triggers [D/C]).
# (code, what the patient reads, what the patient is told to do now)
RED_FLAGS = (
    RedFlag(
        "chest_pain",
        "Chest pain or pressure",
        "Stop now. If it does not ease within a few minutes at rest, call an ambulance.",
    ),
    RedFlag(
        "breathlessness",
        "Unusual breathlessness or a new cough",
        "Stop and rest sitting upright. If it does not settle, or you feel worse, call an ambulance.",
    ),
    RedFlag(
        "dizziness",
        "Dizziness, fainting or feeling you might faint",
        "Stop and sit or lie down at once. Call your clinic today; call an ambulance if you fainted.",
    ),
    RedFlag("swelling", "New or growing swelling", "Stop the exercise that hurts. Call your clinic today."),
    RedFlag(
        "mass_inflamed",
        "Redness or heat over a hard lump (calcified area)",
        "Do not press or stretch the area. Call your clinic today.",
    ),
    RedFlag(
        "skin_breakdown",
        "Skin breaking down over a calcified area",
        "Cover it with a clean dressing and do not exercise on it. Call your clinic today.",
    ),
    RedFlag("fever", "Fever (38 °C or more)", "Do not exercise today. Call your clinic or your doctor today."),
    RedFlag(
        "dark_urine", "Dark (cola-coloured) urine", "Do not exercise. Drink water and call your clinic or doctor today."
    ),
    RedFlag(
        "new_weakness",
        "New weakness (for example, harder to climb stairs or lift your arms)",
        "Do not exercise. Call your clinic today.",
    ),
    RedFlag(
        "swallowing",
        "Trouble swallowing or a changed voice",
        "Do not exercise. Call your clinic today; call an ambulance if you choke or cannot swallow.",
    ),
    RedFlag(
        "bone_pain",
        "Sudden bone pain, a suspected fracture or new back pain",
        "Stop and do not put weight on it. Call your clinic today, or go to the emergency department.",
    ),
    # Section 8b of the clinical reference adds these.
    RedFlag(
        "palpitations",
        "Palpitations or an irregular heartbeat",
        "Stop and sit down. If it does not settle within a few minutes, or you feel faint or have chest pain, "
        "call an ambulance.",
    ),
    RedFlag(
        "fall",
        "A fall, with or without injury",
        "Do not exercise again today. If you hurt a bone or your back, do not put weight on it and call your "
        "clinic or go to the emergency department.",
    ),
    RedFlag(
        "leg_numbness",
        "Numbness, tingling, coldness or a colour change in a leg",
        "Stop and do not sit or lean on the sore area. Call your clinic today; go to the emergency department "
        "if the leg is cold, pale or you cannot move it.",
    ),
    RedFlag(
        "mass_discharge",
        "Discharge or pus from a calcified area",
        "Cover it with a clean dressing and do not exercise on it. Call your clinic or doctor today.",
    ),
    RedFlag("rash_flare", "Your rash is flaring", "Do not exercise today. Call your clinic today."),
    RedFlag(
        "muscle_pain_lasting",
        "Severe muscle pain or swelling that has lasted more than a day",
        "Do not exercise. Call your clinic today.",
    ),
    RedFlag(
        "exhaustion_next_day",
        "Exhaustion that has lasted into the next day",
        "Rest today and do not exercise. Call your clinic today.",
    ),
    RedFlag(
        "breathless_at_rest",
        "A new cough, or breathlessness while resting",
        "Do not exercise. Call your clinic or doctor today; call an ambulance if you struggle to breathe.",
    ),
    RedFlag(
        "low_oxygen",
        "Oxygen reading below 90 %, or 4 points or more below your usual",
        "Stop and rest sitting upright. If it does not come back up within a few minutes, call an ambulance.",
    ),
)
RED_FLAG_CODES = tuple(flag.code for flag in RED_FLAGS)
RED_FLAGS_BY_CODE: Mapping[str, RedFlag] = MappingProxyType({flag.code: flag for flag in RED_FLAGS})


def red_flag_label(code: str) -> str:
    """What the patient reads for a red flag; the code itself for one no longer in the vocabulary
    (a check-in keeps the codes it was made with)."""
    flag = RED_FLAGS_BY_CODE.get(code)
    return flag.label if flag else code


# Strength and function measures: (code, label, unit, lowest valid, highest valid, higher is better).
# Protocols and meaningful changes: clinical-reference.md section 4.
MEASURES = (
    Measure("mmt8_total", "MMT-8 total (unilateral)", "points", 0, 80, True),
    Measure("grip_left_kg", "Grip strength, left hand", "kg", 0, 100, True),
    Measure("grip_right_kg", "Grip strength, right hand", "kg", 0, 100, True),
    Measure("chair_stand_30s", "30-second chair stand", "stands", 0, 50, True),
    Measure("tug_seconds", "Timed Up and Go", "s", 3, 120, False),
    Measure("six_minute_walk_m", "6-minute walk distance", "m", 0, 1000, True),
    Measure("fi3_shoulder_flexion", "FI-3 shoulder flexion", "reps", 0, 60, True),
    Measure("fi3_hip_flexion", "FI-3 hip flexion", "reps", 0, 60, True),
    Measure("fi3_neck_flexion", "FI-3 neck flexion", "reps", 0, 30, True),
    # Disease activity (IMACS core set, Miller 2001; fatigue as a major IIM outcome): section 8c.
    Measure("ck_u_l", "Creatine kinase (CK)", "U/L", 0, 100000, False),
    Measure("haq_di", "HAQ-DI", "score 0-3", 0, 3, False),
    Measure("patient_global", "Patient global activity", "0-10", 0, 10, False),
    Measure("physician_global", "Physician global activity", "0-10", 0, 10, False),
    Measure("fatigue", "Fatigue", "0-10", 0, 10, False),
)
# Measures that are strength tests: a baseline is needed before resistance advances (section 8c).
STRENGTH_TEST_CODES = ("mmt8_total", "fi3_shoulder_flexion", "fi3_hip_flexion", "fi3_neck_flexion")
# Laboratory values, which carry the lab's upper limit of normal.
LAB_MEASURE_CODES = ("ck_u_l",)

# Where a patient says it hurt, asked with every check-in (issue: pain that says where and what).
# (code, what the patient reads)
PAIN_SITES = (
    PainSite("calcified_area", "The hard lump (calcified area)"),
    PainSite("muscles", "My muscles"),
    PainSite("joints", "My joints"),
    PainSite("elsewhere", "Somewhere else"),
)
PAIN_SITE_CODES = tuple(site.code for site in PAIN_SITES)
PAIN_SITES_BY_CODE: Mapping[str, PainSite] = MappingProxyType({site.code: site for site in PAIN_SITES})


def pain_site_label(code: str) -> str:
    """What the patient reads for where it hurt; the code itself for one no longer in the vocabulary."""
    site = PAIN_SITES_BY_CODE.get(code)
    return site.label if site else code


MEASURE_CODES = tuple(measure.code for measure in MEASURES)
MEASURES_BY_CODE: Mapping[str, Measure] = MappingProxyType({measure.code: measure for measure in MEASURES})
