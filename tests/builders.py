"""A few explicit builders for test data. Each returns a saved row with sensible defaults."""

import itertools
from datetime import date

from rehab.models import Assessment, Clinic, Patient, User

_counter = itertools.count(1)
PASSWORD = "correct-horse-battery-staple"


def make_clinic(name: str | None = None) -> Clinic:
    return Clinic.objects.create(name=name or f"Clinic {next(_counter)}", phone="+44 20 0000 0000")


def make_user(clinic: Clinic | None, role: str, username: str | None = None) -> User:
    n = next(_counter)
    user = User.objects.create_user(
        username=username or f"{role}{n}",
        password=PASSWORD,
        clinic=clinic,
        role=role,
        first_name=role.title(),
        last_name=str(n),
    )
    return user


def make_patient(clinic: Clinic, care_team=(), login: User | None = None, **overrides) -> Patient:
    fields = {
        "first_name": "Pat",
        "last_name": f"Ient{next(_counter)}",
        "date_of_birth": date(1969, 3, 14),
        "sex": "female",
        "diagnoses": ["Dermatomyositis"],
    }
    fields.update(overrides)
    patient = Patient.objects.create(clinic=clinic, user=login, **fields)
    patient.care_team.set(care_team)
    return patient


def make_assessment(patient: Patient, by: User | None = None, **overrides) -> Assessment:
    fields = {
        "assessed_on": date(2026, 11, 1),
        "bone_fragility": "osteoporosis",
        "vertebral_fracture": False,
        "heterotopic_ossification_regions": ["gluteal_left", "gluteal_right"],
        "inflammation_activity": "moderate",
        "pain_at_rest": 3,
        "resting_hr": 70,
        "measured_hr_max": None,
        "beta_blocker": False,
        "cardiopulmonary_status": "monitor",
        "avoid_regions": [],
        "notes": "",
    }
    fields.update(overrides)
    return Assessment.objects.create(patient=patient, assessed_by=by, **fields)


def valid_assessment_payload(**overrides) -> dict:
    payload = {
        "assessed_on": "2026-11-01",
        "bone_fragility": "osteoporosis",
        "vertebral_fracture": False,
        "heterotopic_ossification_regions": ["gluteal_left", "gluteal_right"],
        "inflammation_activity": "moderate",
        "pain_at_rest": 3,
        "resting_hr": 70,
        "measured_hr_max": None,
        "beta_blocker": False,
        "cardiopulmonary_status": "monitor",
        "avoid_regions": [],
        "notes": "Gluteal masses tender.",
    }
    payload.update(overrides)
    return payload
