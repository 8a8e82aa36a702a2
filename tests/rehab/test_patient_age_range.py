"""A patient record's date of birth gives an age the engine plans for (planner.types.AGE_RANGE): a record
outside it could get no plan, report or weekly decision, so the API and the staff form refuse it."""

from datetime import date

import time_machine

from planner.types import AGE_RANGE
from rehab.models import Assessment, Patient
from tests import builders
from tests.conftest import client_for


@time_machine.travel("2026-11-10 10:00", tick=False)
def test_a_date_of_birth_outside_the_planners_ages_is_a_400_on_that_field_and_nothing_changes(world):
    low, high = AGE_RANGE
    before = world.patient.date_of_birth
    for born in (date(2026 - low + 1, 1, 1), date(2026 - high - 2, 1, 1)):
        response = client_for(world.physio).patch(
            f"/api/v1/patients/{world.patient.pk}/", {"date_of_birth": born.isoformat()}, format="json"
        )
        assert response.status_code == 400, response.content
        assert list(response.json()) == ["date_of_birth"]
        assert Patient.objects.get(pk=world.patient.pk).date_of_birth == before
    adult = client_for(world.physio).patch(
        f"/api/v1/patients/{world.patient.pk}/", {"date_of_birth": "1970-05-01"}, format="json"
    )
    assert adult.status_code == 200, adult.content


@time_machine.travel("2026-11-10 10:00", tick=False)
def test_an_assessment_dated_when_the_patient_was_a_child_is_a_400_and_nothing_is_stored(world):
    born = world.patient.date_of_birth
    payload = builders.valid_assessment_payload(assessed_on=date(born.year + 10, 6, 1).isoformat())
    before = Assessment.objects.filter(patient=world.patient).count()
    response = client_for(world.physio).post(
        f"/api/v1/patients/{world.patient.pk}/assessments/", payload, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["assessed_on"]
    assert Assessment.objects.filter(patient=world.patient).count() == before
