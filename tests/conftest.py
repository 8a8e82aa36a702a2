"""Shared fixtures: a world of two clinics with staff, patients and care teams."""

from dataclasses import dataclass

import pytest
from django.conf import settings as django_settings
from django.core.cache import cache
from django.utils import translation
from rest_framework.test import APIClient

from rehab.api.plan_cache import forget_kept_answers
from rehab.celery import app as celery_app
from rehab.exercise_library import sync_default_library
from rehab.models import Exercise, Role
from rehab.services.plan_store import forget_loaded_plans
from tests import builders
from tests.worker import broker_outage


@pytest.fixture(autouse=True, scope="session")
def _celery_eager_for_unit_tests():
    """Unit tests run tasks inline; tests marked `worker` switch to a real worker."""
    celery_app.conf.task_always_eager = True
    celery_app.conf.task_eager_propagates = True
    return


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # The production hasher is slow on purpose; tests create many logins.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _default_language():
    # The active language is per thread, and a request the test client makes leaves its own active
    # (LocaleMiddleware activates one per request and never deactivates): each test starts in English.
    translation.activate(django_settings.LANGUAGE_CODE)
    yield
    translation.activate(django_settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Throttle counters and lock-outs live in the cache; each test starts clean. So do the typed plans
    # a process keeps: a rolled-back test database hands out the same plan ids and (frozen) times again.
    cache.clear()
    forget_loaded_plans()
    forget_kept_answers()
    yield
    cache.clear()
    forget_loaded_plans()
    forget_kept_answers()


@pytest.fixture
def api():
    return APIClient()


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@dataclass
class World:
    clinic: object
    other_clinic: object
    physio: object
    clinician: object
    admin: object
    outsider_physio: object  # same clinic, not on the care team
    foreign_physio: object  # other clinic
    patient_user: object
    other_patient_user: object
    patient: object  # on physio's and clinician's care team, linked to patient_user
    other_patient: object  # same clinic, cared for by outsider_physio, linked to other_patient_user
    foreign_patient: object  # other clinic


@pytest.fixture
def world(db) -> World:
    # Transactional tests flush the tables, including the library the data migration seeded.
    if not Exercise.objects.exists():
        sync_default_library(Exercise)
    clinic = builders.make_clinic("Riverside")
    other = builders.make_clinic("Hillside")
    physio = builders.make_user(clinic, Role.PHYSIOTHERAPIST)
    clinician = builders.make_user(clinic, Role.CLINICIAN)
    admin = builders.make_user(clinic, Role.CLINIC_ADMIN)
    outsider = builders.make_user(clinic, Role.PHYSIOTHERAPIST)
    foreign = builders.make_user(other, Role.PHYSIOTHERAPIST)
    patient_user = builders.make_user(clinic, Role.PATIENT)
    other_patient_user = builders.make_user(clinic, Role.PATIENT)
    patient = builders.make_patient(clinic, care_team=[physio, clinician], login=patient_user, first_name="Helen")
    other_patient = builders.make_patient(clinic, care_team=[outsider], login=other_patient_user, first_name="Bob")
    foreign_patient = builders.make_patient(other, care_team=[foreign], first_name="Frank")
    return World(
        clinic,
        other,
        physio,
        clinician,
        admin,
        outsider,
        foreign,
        patient_user,
        other_patient_user,
        patient,
        other_patient,
        foreign_patient,
    )


@pytest.fixture
def broker_down():
    with broker_outage():
        yield
