"""A staff account that belongs to no clinic is refused with a message (never a 500), and the
admin no longer saves one."""

from datetime import UTC, datetime

import pytest
from django.urls import reverse

from rehab.admin import UserForm
from rehab.models import Patient, PlanTemplate, Role
from rehab.services.errors import NoClinic
from tests import builders
from tests.conftest import client_for


@pytest.fixture
def homeless_physio(db):
    return builders.make_user(None, Role.PHYSIOTHERAPIST)


def test_registering_a_patient_without_a_clinic_is_refused_with_a_message(homeless_physio):
    response = client_for(homeless_physio).post(
        "/api/v1/patients/",
        {"first_name": "Ann", "last_name": "Lee", "date_of_birth": "1970-01-01", "sex": "female"},
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == {"detail": NoClinic.MESSAGE}
    assert not Patient.objects.exists()


def test_making_a_template_without_a_clinic_is_refused_with_a_message(homeless_physio):
    response = client_for(homeless_physio).post(
        "/api/v1/templates/",
        {
            "name": "Walking",
            "items": [{"exercise": "brisk-walking", "frequency_per_week": 3, "minutes": 15, "basis": "absolute"}],
        },
        format="json",
    )

    assert response.status_code == 403
    assert response.json() == {"detail": NoClinic.MESSAGE}
    assert not PlanTemplate.objects.exists()


def test_a_staff_page_tells_a_staff_account_without_a_clinic_what_is_wrong(client, homeless_physio):
    client.force_login(homeless_physio)

    response = client.get(reverse("frontend:patient_new"))

    assert response.status_code == 403
    assert NoClinic.MESSAGE in response.content.decode()


def _user_form(user, **changes):
    data = {"username": user.username, "date_joined": datetime(2026, 1, 1, tzinfo=UTC), "role": user.role}
    data.update(changes)
    return UserForm(data=data, instance=user)


@pytest.mark.parametrize("role", [Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.CLINIC_ADMIN])
def test_the_admin_refuses_a_staff_role_without_a_clinic(world, role):
    form = _user_form(world.patient_user, role=role, clinic="")

    assert not form.is_valid()
    assert form.errors["clinic"] == ["Physiotherapists, clinicians and clinic admins must belong to a clinic."]


def test_the_admin_saves_a_staff_role_with_a_clinic_and_a_patient_without_one(world):
    assert _user_form(world.physio, clinic=world.clinic.pk).is_valid()
    assert _user_form(world.patient_user, role=Role.PATIENT, clinic="").is_valid()
