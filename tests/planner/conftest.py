"""Builders for the engine's tests: profiles by name, a tiny library, the real library.

No database and no Django here: the planner is plain Python.
"""

import pytest

from planner.catalogue import catalogue_from_dicts, load_default_catalogue
from planner.types import Profile


def build_profile(**overrides) -> Profile:
    """A fit 40-year-old adult with nothing that restricts exercise; override what a test needs."""
    fields = {
        "age": 40,
        "sex": "female",
        "bone_fragility": "none",
        "vertebral_fracture": False,
        "heterotopic_ossification_regions": (),
        "inflammation_activity": "inactive",
        "pain_at_rest": 0,
        "resting_hr": 70,
        "measured_hr_max": None,
        "beta_blocker": False,
        "cardiopulmonary_status": "cleared",
        "avoid_regions": (),
        "available_equipment": None,
        "unavailable_positions": (),
    }
    fields.update(overrides)
    return Profile(**fields)


def motivating_case_profile(**overrides) -> Profile:
    """The 57-year-old woman with active dermatomyositis, osteoporosis and ossified gluteal masses."""
    fields = {
        "age": 57,
        "sex": "female",
        "bone_fragility": "osteoporosis",
        "heterotopic_ossification_regions": ("gluteal_left", "gluteal_right"),
        "inflammation_activity": "moderate",
        "pain_at_rest": 3,
        "resting_hr": 70,
        "cardiopulmonary_status": "monitor",
    }
    fields.update(overrides)
    return build_profile(**fields)


def vertebral_fracture_profile(**overrides) -> Profile:
    return build_profile(**{"age": 68, "bone_fragility": "osteoporosis", "vertebral_fracture": True, **overrides})


def high_inflammation_profile(**overrides) -> Profile:
    return build_profile(**{"age": 45, "inflammation_activity": "high", **overrides})


def beta_blocker_profile(**overrides) -> Profile:
    return build_profile(**{"age": 60, "beta_blocker": True, **overrides})


def exercise(slug: str, component: str, **overrides) -> dict:
    """A library entry in the JSON schema, harmless unless overridden."""
    dose_kind = {"aerobic": "minutes", "resistance": "sets_reps", "flexibility": "hold", "neuromotor": "hold"}
    entry = {
        "slug": slug,
        "name": slug.replace("-", " ").capitalize(),
        "component": component,
        "impact": "none",
        "regions_loaded": [],
        "pressure_regions": [],
        "stretched_regions": [],
        "equipment": ["none"],
        "position": "standing",
        "tags": [],
        "dose_kind": dose_kind[component],
        "easier": None,
        "harder": None,
        "instructions": {
            "setup": "Stand tall.",
            "movement": "Move slowly.",
            "feel": "Gentle effort.",
            "mistakes": "Do not hold your breath.",
        },
        "muscle_groups": [slug],
    }
    entry.update(overrides)
    return entry


TINY_LIBRARY_ENTRIES = (
    exercise("brisk-walking", "aerobic", impact="low", muscle_groups=["quadriceps", "calves"], harder="jogging"),
    exercise("jogging", "aerobic", impact="moderate", tags=["running"], easier="brisk-walking"),
    exercise(
        "recumbent-bike",
        "aerobic",
        position="seated",
        equipment=["recumbent_bike"],
        pressure_regions=["gluteal_left", "gluteal_right"],
        tags=["direct_pressure"],
    ),
    exercise(
        "sit-to-stand",
        "resistance",
        regions_loaded=["thigh_left", "thigh_right"],
        muscle_groups=["quadriceps", "gluteals"],
    ),
    exercise("band-row", "resistance", equipment=["resistance_band"], muscle_groups=["upper back", "biceps"]),
    exercise("weighted-sit-up", "resistance", tags=["loaded_spinal_flexion"], muscle_groups=["abdominals"]),
    exercise("russian-twist", "resistance", tags=["loaded_spinal_twist"], muscle_groups=["obliques"]),
    exercise("jump-squat", "resistance", impact="high", tags=["jumping", "ballistic"], muscle_groups=["calves"]),
    exercise(
        "seated-knee-extension",
        "resistance",
        position="seated",
        equipment=["chair", "ankle_weight"],
        pressure_regions=["gluteal_left", "gluteal_right"],
        tags=["direct_pressure"],
        muscle_groups=["quadriceps"],
    ),
    exercise(
        "deep-glute-stretch",
        "flexibility",
        position="supine",
        stretched_regions=["gluteal_left", "gluteal_right"],
        pressure_regions=["upper_back"],
        tags=["end_range_stretch", "direct_pressure"],
    ),
    exercise("calf-stretch", "flexibility", equipment=["wall"], stretched_regions=["calf_left", "calf_right"]),
    exercise("shoulder-stretch", "flexibility", stretched_regions=["shoulder_left", "shoulder_right"]),
    exercise("tandem-stance", "neuromotor", equipment=["chair"]),
    exercise("pool-balance", "neuromotor", position="in_water", equipment=["pool"]),
)


@pytest.fixture(scope="session")
def tiny_library():
    """Fourteen exercises that exercise each exclusion rule once."""
    return catalogue_from_dicts(TINY_LIBRARY_ENTRIES)


@pytest.fixture(scope="session")
def library():
    """The shipped library (planner/data/exercises.json)."""
    return load_default_catalogue()


@pytest.fixture
def make_profile():
    return build_profile


@pytest.fixture
def motivating_case():
    return motivating_case_profile()
