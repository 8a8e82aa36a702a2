"""Assessments: a 400 naming each bad field, and nothing stored."""

import pytest

from rehab.models import Assessment
from tests.builders import valid_assessment_payload
from tests.conftest import client_for

BAD_FIELDS = [
    ("bone_fragility", "brittle"),
    ("inflammation_activity", "raging"),
    ("cardiopulmonary_status", "fine"),
    ("pain_at_rest", 11),
    ("pain_at_rest", -1),
    ("pain_at_rest", "a lot"),
    ("resting_hr", 10),
    ("resting_hr", 400),
    ("measured_hr_max", 300),
    ("measured_hr_max", 60),  # below the resting heart rate
    ("heterotopic_ossification_regions", ["gluteal_middle"]),
    ("heterotopic_ossification_regions", "gluteal_left"),
    ("heterotopic_ossification_regions", ["gluteal_left", "gluteal_left"]),
    ("avoid_regions", ["elbow"]),
    ("available_equipment", ["trampoline"]),
    ("assessed_on", "2999-01-01"),
    ("assessed_on", "yesterday"),
    ("vertebral_fracture", "maybe"),
    ("beta_blocker", "perhaps"),
    ("arrhythmia", "sometimes"),
]


@pytest.mark.parametrize(("field", "value"), BAD_FIELDS)
def test_each_bad_field_gives_a_400_naming_it_and_nothing_is_stored(world, field, value):
    payload = valid_assessment_payload(**{field: value})

    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/assessments/", payload, format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert field in body, body
    assert all(isinstance(message, str) and message for message in body[field])
    assert Assessment.objects.count() == 0


def test_several_bad_fields_are_all_named_at_once(world):
    payload = valid_assessment_payload(pain_at_rest=12, bone_fragility="x", resting_hr=5)
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/assessments/", payload, format="json"
    )
    assert response.status_code == 400
    assert {"pain_at_rest", "bone_fragility", "resting_hr"} <= set(response.json())


def test_missing_required_fields_are_named(world):
    response = client_for(world.physio).post(f"/api/v1/patients/{world.patient.pk}/assessments/", {}, format="json")
    assert response.status_code == 400
    assert {
        "assessed_on",
        "bone_fragility",
        "inflammation_activity",
        "pain_at_rest",
        "resting_hr",
        "cardiopulmonary_status",
    } <= set(response.json())


def test_a_valid_assessment_is_stored_with_its_author_and_listed_newest_first(world):
    client = client_for(world.physio)
    url = f"/api/v1/patients/{world.patient.pk}/assessments/"
    client.post(url, valid_assessment_payload(assessed_on="2026-10-01"), format="json")
    response = client.post(url, valid_assessment_payload(assessed_on="2026-11-01", measured_hr_max=160), format="json")

    assert response.status_code == 201, response.content
    stored = Assessment.objects.get(pk=response.json()["id"])
    assert stored.assessed_by == world.physio
    assert stored.heterotopic_ossification_regions == ["gluteal_left", "gluteal_right"]
    assert stored.measured_hr_max == 160
    listed = client.get(url).json()["results"]
    assert [row["assessed_on"] for row in listed] == ["2026-11-01", "2026-10-01"]


def test_an_arrhythmia_is_recorded_and_leaves_the_plan_without_a_heart_rate_zone(world):
    from planner.limits import compute_limits
    from rehab.clinical import profile_from_assessment

    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/assessments/", valid_assessment_payload(arrhythmia=True), format="json"
    )

    assert response.status_code == 201, response.content
    assert response.json()["arrhythmia"] is True
    stored = Assessment.objects.get(pk=response.json()["id"])
    profile = profile_from_assessment(world.patient, stored)
    assert (stored.arrhythmia, profile.arrhythmia, profile.beta_blocker) == (True, True, False)
    assert compute_limits(profile).aerobic.hr_zone_bpm is None  # effort governs (clinical-reference 8a)


def test_recording_an_assessment_is_in_the_patients_audit_trail(world):
    client = client_for(world.physio)
    client.post(f"/api/v1/patients/{world.patient.pk}/assessments/", valid_assessment_payload(), format="json")
    client.patch(
        f"/api/v1/patients/{world.patient.pk}/", {"phone": "+44 7700 1", "reason": "Patient moved"}, format="json"
    )

    trail = client.get(f"/api/v1/patients/{world.patient.pk}/audit/").json()

    assessment_rows = [row for row in trail if row["object"] == "assessment"]
    assert assessment_rows
    assert assessment_rows[0]["action"] == "created"
    assert assessment_rows[0]["by"] == world.physio.display_name
    change = next(row for row in trail if row["object"] == "patient" and row["reason"] == "Patient moved")
    assert change["by"] == world.physio.display_name
    assert {"field": "phone", "old": "", "new": "+44 7700 1"} in change["changes"]
