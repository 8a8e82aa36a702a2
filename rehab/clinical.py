"""The bridge between database rows and the pure engine (planner/): conversions only, no rules."""

import uuid
from datetime import date
from functools import lru_cache

from django.core.cache import cache
from django.utils.formats import date_format
from django.utils.translation import gettext

from planner.catalogue import catalogue_from_dicts, shipped_extras
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.types import AGE_RANGE, ExerciseSpec, Profile
from rehab.models import Assessment, Exercise, Patient
from rehab.selectors.exercises import exercise_library
from rehab.services.errors import InvalidInput


@lru_cache(maxsize=1)
def progression_config() -> ProgressionConfig:
    return default_progression_config()


def red_pain_threshold() -> int:
    """Pain above this (0-10) is red: the plan pauses and the care team is alerted at once."""
    return progression_config().pain_amber_max


def date_of_birth_problem(born: date, today: date, first_assessed_on: date | None = None) -> str | None:
    """Why `born` cannot be a patient's date of birth today, or None. The engine plans for adults of
    AGE_RANGE only: a record outside it could get no plan, report or weekly decision (each builds the
    patient's profile from an assessment, at the age the patient had that day), so the record refuses
    it where it is written (API, staff form, admin). first_assessed_on: the patient's earliest
    assessment, when changing an existing record (that day's age must be in range too)."""
    if born > today:
        return gettext("Date of birth cannot be in the future.")
    low, high = AGE_RANGE
    age = _age_on(born, today)
    if not low <= age <= high:
        return gettext("Plans are made for adults aged %(low)s to %(high)s; this date of birth gives %(age)s.") % {
            "low": low,
            "high": high,
            "age": age,
        }
    if first_assessed_on is not None and _age_on(born, first_assessed_on) < low:
        return gettext(
            "The patient was assessed on %(day)s, aged %(age)s with this date of birth; plans are made for "
            "adults aged %(low)s to %(high)s."
        ) % {"day": date_format(first_assessed_on), "age": _age_on(born, first_assessed_on), "low": low, "high": high}
    return None


def assessment_date_problem(born: date, assessed_on: date) -> str | None:
    """Why a patient born on `born` cannot have an assessment dated `assessed_on`, or None: the engine
    plans for AGE_RANGE only, and an assessment from outside it could give no profile (so no plan,
    reassessment or report)."""
    low, high = AGE_RANGE
    age = _age_on(born, assessed_on)
    if low <= age <= high:
        return None
    return gettext("On this date the patient was %(age)s; assessments are for ages %(low)s to %(high)s.") % {
        "age": age,
        "low": low,
        "high": high,
    }


def _age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def profile_from_assessment(patient: Patient, assessment: Assessment) -> Profile:
    """The engine's profile of the patient as of this assessment. InvalidInput (on "patient") for a
    record whose date of birth puts the assessment outside the planned ages: the API, the staff forms
    and the admin refuse such dates now, but a record written before they did (or by SQL) would
    otherwise fail every plan, reassessment, template refit and report with a server error."""
    problem = assessment_date_problem(patient.date_of_birth, assessment.assessed_on)
    if problem is not None:
        raise InvalidInput(
            {
                "patient": [
                    gettext(
                        "This record cannot be planned: with the date of birth on record, the patient was "
                        "%(age)s at the assessment of %(day)s, and plans are made for adults aged %(low)s to "
                        "%(high)s. Correct the date of birth or the assessment's date."
                    )
                    % {
                        "age": _age_on(patient.date_of_birth, assessment.assessed_on),
                        "day": date_format(assessment.assessed_on),
                        "low": AGE_RANGE[0],
                        "high": AGE_RANGE[1],
                    }
                ]
            }
        )
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
        arrhythmia=assessment.arrhythmia,
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


# The library as last built by this process, with the library version it was built for. Every change
# to an exercise (admin, library sync) sets a new version in the shared cache, so each process
# rebuilds on its next use; otherwise every plan generated would rebuild 129 exercises from rows.
LIBRARY_VERSION_KEY = "rehab:exercise-library-version"
_built_catalogue: tuple[str, tuple[ExerciseSpec, ...]] | None = None


def library_changed(**_signal) -> None:
    """Mark the exercise library as changed (a signal receiver, and called after a library sync)."""
    cache.set(LIBRARY_VERSION_KEY, uuid.uuid4().hex, None)


def library_version() -> str:
    """The library's current version (a new one after every change), shared by all processes."""
    version = cache.get(LIBRARY_VERSION_KEY)
    if version is None:
        version = uuid.uuid4().hex
        cache.add(LIBRARY_VERSION_KEY, version, None)
        version = cache.get(LIBRARY_VERSION_KEY, version)
    return version


def active_catalogue() -> tuple[ExerciseSpec, ...]:
    """The clinic's library as the engine sees it: active exercises only, rebuilt when it changed."""
    global _built_catalogue
    version = library_version()
    if _built_catalogue is not None and _built_catalogue[0] == version:
        return _built_catalogue[1]
    catalogue = _catalogue_from_rows()
    _built_catalogue = (version, catalogue)
    return catalogue


def _catalogue_from_rows() -> tuple[ExerciseSpec, ...]:
    dicts = [exercise_spec_dict(row) for row in exercise_library()]
    active = {d["slug"] for d in dicts}
    for d in dicts:  # links to inactive exercises are dropped, never followed
        d["easier"] = d["easier"] if d["easier"] in active else None
        d["harder"] = d["harder"] if d["harder"] in active else None
    return tuple(catalogue_from_dicts(dicts))
