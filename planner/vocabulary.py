"""Closed vocabularies shared by the engine, the database and the API.

Kept in one place so that a value accepted by the API is always one the engine understands.
Each tuple is ordered; where order means something (impact, fragility, activity) it is the
order of increasing severity, which the limit rules rely on.
"""

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
)

# Movement tags an exercise can carry; limits exclude exercises by these.
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
)

POSITIONS = ("seated", "standing", "supine", "side_lying", "prone", "quadruped", "in_water")

# How an exercise's dose is expressed.
DOSE_KINDS = ("minutes", "sets_reps", "hold")

INTENSITY_UNITS = ("rpe_6_20", "pct_hrr", "hr_bpm", "pct_1rm", "reps_in_reserve", "none")
