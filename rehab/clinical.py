"""The bridge between database rows and the pure engine (planner/): conversions only, no rules."""

from functools import lru_cache

from planner.catalogue import catalogue_from_dicts, shipped_extras
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.types import ExerciseSpec, Profile
from rehab.models import Assessment, Exercise, Patient


@lru_cache(maxsize=1)
def progression_config() -> ProgressionConfig:
    return default_progression_config()


def red_pain_threshold() -> int:
    """Pain above this (0-10) is red: the plan pauses and the care team is alerted at once."""
    return progression_config().pain_amber_max


def profile_from_assessment(patient: Patient, assessment: Assessment) -> Profile:
    return Profile(
        age=patient.age_on(assessment.assessed_on),
        sex=patient.sex,
        bone_fragility=assessment.bone_fragility,
        vertebral_fracture=assessment.vertebral_fracture,
        heterotopic_ossification_regions=tuple(assessment.heterotopic_ossification_regions),
        inflammation_activity=assessment.inflammation_activity,
        pain_at_rest=assessment.pain_at_rest,
        resting_hr=assessment.resting_hr,
        measured_hr_max=assessment.measured_hr_max,
        beta_blocker=assessment.beta_blocker,
        cardiopulmonary_status=assessment.cardiopulmonary_status,
        avoid_regions=tuple(assessment.avoid_regions),
        padded_pressure_regions=tuple(assessment.padded_pressure_regions or ()),
        # The assessment stores "no list" as any equipment; the engine reads None the same way.
        available_equipment=tuple(assessment.available_equipment) if assessment.available_equipment else None,
    )


def exercise_spec_dict(exercise: Exercise) -> dict:
    return {
        "slug": exercise.slug,
        "name": exercise.name,
        "component": exercise.component,
        "impact": exercise.impact,
        "regions_loaded": exercise.regions_loaded,
        "pressure_regions": exercise.pressure_regions,
        "stretched_regions": exercise.stretched_regions,
        "equipment": exercise.equipment,
        "position": exercise.position,
        "tags": exercise.tags,
        "dose_kind": exercise.dose_kind,
        "easier": exercise.easier.slug if exercise.easier_id else None,
        "harder": exercise.harder.slug if exercise.harder_id else None,
        "instructions": {
            "setup": exercise.setup,
            "movement": exercise.movement,
            "feel": exercise.feel,
            "mistakes": exercise.mistakes,
        },
        "muscle_groups": exercise.muscle_groups,
        # Not stored in the database: taken from the shipped library for its own exercises.
        **shipped_extras(exercise.slug),
    }


def active_catalogue() -> tuple[ExerciseSpec, ...]:
    """The clinic's library as the engine sees it: one query, active exercises only."""
    rows = Exercise.objects.filter(is_active=True).select_related("easier", "harder")
    dicts = [exercise_spec_dict(row) for row in rows]
    active = {d["slug"] for d in dicts}
    for d in dicts:  # links to inactive exercises are dropped, never followed
        d["easier"] = d["easier"] if d["easier"] in active else None
        d["harder"] = d["harder"] if d["harder"] in active else None
    return tuple(catalogue_from_dicts(dicts))
