"""A patient record's date of birth gives an age the engine plans for (planner.types.AGE_RANGE): a record
outside it could get no plan, report or weekly decision, so the API and the staff form refuse it."""

from datetime import date

import time_machine
from django.forms.models import model_to_dict

from planner.types import AGE_RANGE
from rehab.admin import AssessmentForm, PatientForm
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


@time_machine.travel("2026-11-10 10:00", tick=False)
def test_a_date_of_birth_that_puts_an_earlier_assessment_in_childhood_is_a_400(world):
    """An adult today, but a child on the day of an assessment already on the record: the report, the
    plans and the weekly decisions rebuild that assessment's profile, so the change is refused."""
    low, _high = AGE_RANGE
    first = builders.make_assessment(world.patient, world.physio, assessed_on=date(2016, 3, 1))
    born = date(first.assessed_on.year - low + 3, 1, 1)  # adult today, a child that day
    assert 2026 - born.year >= low
    before = world.patient.date_of_birth
    response = client_for(world.physio).patch(
        f"/api/v1/patients/{world.patient.pk}/", {"date_of_birth": born.isoformat()}, format="json"
    )
    assert response.status_code == 400, response.content
    assert list(response.json()) == ["date_of_birth"]
    assert "assessed on" in response.json()["date_of_birth"][0]
    assert Patient.objects.get(pk=world.patient.pk).date_of_birth == before


def _admin_data(instance) -> dict:
    """What the admin's change form posts for `instance`, unchanged (many-to-many as lists of ids)."""
    data = model_to_dict(instance)
    return {key: value for key, value in data.items() if value is not None}


@time_machine.travel("2026-11-10 10:00", tick=False)
def test_the_admin_refuses_the_same_dates_as_the_api(world):
    builders.make_assessment(world.patient, world.physio, assessed_on=date(2016, 3, 1))
    patient_data = {**_admin_data(world.patient), "created_by": world.physio.pk}
    for born, words in ((date(2015, 1, 1), "adults aged"), (date(2001, 1, 1), "assessed on")):
        form = PatientForm(data={**patient_data, "date_of_birth": born}, instance=world.patient)
        assert not form.is_valid()
        assert words in form.errors["date_of_birth"][0]
    adult = PatientForm(data={**patient_data, "date_of_birth": date(1960, 1, 1)}, instance=world.patient)
    assert adult.is_valid(), adult.errors

    assessment = builders.make_assessment(world.patient, world.physio)
    assessment_data = _admin_data(assessment)
    childhood = date(world.patient.date_of_birth.year + 5, 6, 1)
    form = AssessmentForm(data={**assessment_data, "assessed_on": childhood}, instance=assessment)
    assert not form.is_valid()
    assert list(form.errors) == ["assessed_on"]
    kept = AssessmentForm(data=assessment_data, instance=assessment)
    assert kept.is_valid(), kept.errors


@time_machine.travel("2026-11-10 10:00", tick=False)
def test_a_record_stored_outside_the_ages_before_the_checks_gets_a_400_naming_it_not_a_server_error(world):
    """A record written before these checks (or by SQL): a new plan and the clinician's report say what
    to correct instead of failing with a 500."""
    builders.make_active_plan(world.patient, world.physio)
    assessed_on = Assessment.objects.filter(patient=world.patient).latest("assessed_on").assessed_on
    Patient.objects.filter(pk=world.patient.pk).update(date_of_birth=date(assessed_on.year - 17, 1, 1))

    new_plan = client_for(world.physio).post(
        "/api/v1/plans/", {"patient": world.patient.pk, "start_date": "2026-11-16", "weeks": 12}, format="json"
    )
    assert new_plan.status_code == 400, new_plan.content
    assert list(new_plan.json()) == ["patient"]
    assert "was 17 at the assessment" in new_plan.json()["patient"][0]
    report = client_for(world.clinician).get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    assert report.status_code == 400, report.content
    assert "cannot be planned" in report.json()["patient"][0]
