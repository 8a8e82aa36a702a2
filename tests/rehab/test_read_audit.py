"""Staff reads of patient data are recorded (who, what, when, from which address); the patient and
the clinic admin read the log; an unseen object leaves no row; a recorded read costs one query."""

from datetime import UTC, datetime

import pytest
import time_machine
from django.test import Client
from rest_framework.pagination import PageNumberPagination

from rehab.models import AccessKind, RecordAccess
from rehab.services.checkins import checkin_record
from tests import builders
from tests.conftest import client_for

ADDRESS = "198.51.100.7"


@pytest.fixture
def plan(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key="audit-1",
        date=plan.start_date,
        pain_during=2,
        pain_after=3,
    )
    return plan


def _rows(**filters):
    return list(RecordAccess.objects.filter(**filters).order_by("id").values_list("kind", "object_id", "address"))


def test_a_physio_reading_a_plan_a_pdf_and_check_ins_leaves_a_row_each_with_the_address(world, plan):
    client = client_for(world.physio)
    checkin = plan.checkins.get()
    for url in (
        f"/api/v1/plans/{plan.pk}/",
        f"/api/v1/plans/{plan.pk}/pdf/",
        f"/api/v1/checkins/?plan={plan.pk}",
        f"/api/v1/checkins/{checkin.pk}/",
        f"/api/v1/patients/{world.patient.pk}/report/pdf/",
    ):
        assert client.get(url, REMOTE_ADDR=ADDRESS).status_code == 200, url

    assert _rows(actor=world.physio, patient=world.patient) == [
        (AccessKind.PLAN, plan.pk, ADDRESS),
        (AccessKind.PLAN_PDF, plan.pk, ADDRESS),
        (AccessKind.CHECKINS, None, ADDRESS),
        (AccessKind.CHECKIN, checkin.pk, ADDRESS),
        (AccessKind.REPORT_PDF, plan.pk, ADDRESS),
    ]
    assert RecordAccess.objects.filter(surface="api:plan-detail").count() == 1


@pytest.mark.parametrize(
    ("url", "kind"),
    [
        ("/api/v1/patients/{patient}/", AccessKind.PATIENT),
        ("/api/v1/patients/{patient}/assessments/", AccessKind.ASSESSMENTS),
        ("/api/v1/patients/{patient}/measurements/", AccessKind.MEASUREMENTS),
        ("/api/v1/patients/{patient}/audit/", AccessKind.CHANGE_HISTORY),
        ("/api/v1/plans/{plan}/history/", AccessKind.PLAN_HISTORY),
        ("/api/v1/plans/{plan}/progress/", AccessKind.PLAN_PROGRESS),
        ("/api/v1/plans/?patient={patient}", AccessKind.PLAN_LIST),
    ],
)
def test_every_api_read_of_patient_data_by_the_care_team_is_recorded(world, plan, url, kind):
    response = client_for(world.clinician).get(url.format(patient=world.patient.pk, plan=plan.pk))

    assert response.status_code == 200
    assert [row[0] for row in _rows(actor=world.clinician, patient=world.patient)] == [kind]


@pytest.mark.parametrize(
    ("path", "kind"),
    [
        ("/patients/{patient}/", AccessKind.PATIENT),
        ("/patients/{patient}/audit/", AccessKind.CHANGE_HISTORY),
        ("/plans/{plan}/", AccessKind.PLAN),
        ("/plans/{plan}/history/", AccessKind.PLAN_HISTORY),
    ],
)
def test_staff_pages_of_patient_data_are_recorded_with_the_page_as_surface(world, plan, path, kind):
    client = Client(REMOTE_ADDR=ADDRESS)
    client.force_login(world.physio)

    assert client.get(path.format(patient=world.patient.pk, plan=plan.pk)).status_code == 200

    row = RecordAccess.objects.get(actor=world.physio)
    assert (row.kind, row.patient, row.address) == (kind, world.patient, ADDRESS)
    assert row.surface.startswith("page:")


def test_an_off_team_physio_gets_404_and_leaves_no_row(world, plan):
    client = client_for(world.outsider_physio)
    for url in (
        f"/api/v1/plans/{plan.pk}/",
        f"/api/v1/plans/{plan.pk}/pdf/",
        f"/api/v1/checkins/{plan.checkins.get().pk}/",
        f"/api/v1/patients/{world.patient.pk}/",
        f"/api/v1/patients/{world.patient.pk}/report/pdf/",
    ):
        assert client.get(url).status_code == 404, url
    # A list that shows none of the patient's data records nothing either.
    assert client.get(f"/api/v1/checkins/?plan={plan.pk}").json()["results"] == []
    assert not RecordAccess.objects.exists()


def test_a_patient_reading_their_own_data_is_not_recorded(world, plan):
    client = client_for(world.patient_user)
    for url in (f"/api/v1/plans/{plan.pk}/", f"/api/v1/plans/{plan.pk}/pdf/", "/api/v1/checkins/"):
        assert client.get(url).status_code == 200
    assert not RecordAccess.objects.exists()


def test_the_patient_sees_who_looked_but_not_from_where(world, plan):
    client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/", REMOTE_ADDR=ADDRESS)

    body = client_for(world.patient_user).get(f"/api/v1/patients/{world.patient.pk}/access-log/").json()

    assert body["count"] == 1
    (entry,) = body["results"]
    assert entry["actor_name"] == world.physio.display_name
    assert entry["actor_role"] == "physiotherapist"
    assert (entry["kind"], entry["what"], entry["object_id"]) == ("plan", "plan", plan.pk)
    assert entry["address"] is None


def test_the_clinic_admin_sees_who_looked_and_from_where(world, plan):
    client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/pdf/", REMOTE_ADDR=ADDRESS)

    body = client_for(world.admin).get(f"/api/v1/patients/{world.patient.pk}/access-log/").json()

    assert [(e["actor"], e["kind"], e["address"]) for e in body["results"]] == [(world.physio.pk, "plan_pdf", ADDRESS)]


def test_the_access_log_is_for_the_patient_and_the_admin_only(world, plan):
    url = f"/api/v1/patients/{world.patient.pk}/access-log/"
    assert client_for(world.physio).get(url).status_code == 403  # on the care team
    assert client_for(world.outsider_physio).get(url).status_code == 404
    assert client_for(world.other_patient_user).get(url).status_code == 404
    assert client_for(world.foreign_physio).get(url).status_code == 404
    other_clinic_admin = builders.make_user(world.other_clinic, "clinic_admin")
    assert client_for(other_clinic_admin).get(url).status_code == 404


def test_the_access_log_is_paginated_like_other_lists(world, plan, monkeypatch):
    monkeypatch.setattr(PageNumberPagination, "page_size", 2)  # read from settings at import
    client = client_for(world.physio)
    for _ in range(3):
        client.get(f"/api/v1/plans/{plan.pk}/")

    body = client_for(world.admin).get(f"/api/v1/patients/{world.patient.pk}/access-log/").json()

    assert body["count"] == 3
    assert len(body["results"]) == 2
    assert body["next"]


def test_reading_a_plan_costs_one_query_more_than_before(world, plan, monkeypatch, django_assert_max_num_queries):
    client = client_for(world.physio)
    client.get(f"/api/v1/plans/{plan.pk}/")  # warm caches (content types, library)
    monkeypatch.setattr("rehab.api.plans.record_reads", lambda **kwargs: [])
    with django_assert_max_num_queries(1000) as unrecorded:
        client.get(f"/api/v1/plans/{plan.pk}/")
    monkeypatch.undo()

    with django_assert_max_num_queries(len(unrecorded.captured_queries) + 1) as recorded:
        assert client.get(f"/api/v1/plans/{plan.pk}/").status_code == 200

    inserts = [q["sql"] for q in recorded.captured_queries if "rehab_recordaccess" in q["sql"]]
    assert len(inserts) == 1
    assert inserts[0].startswith("INSERT")


@time_machine.travel(datetime(2026, 11, 3, 10, 2, tzinfo=UTC), tick=False)
def test_the_patients_history_page_says_who_looked_in_plain_words(world, plan, client):
    client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/")
    client.force_login(world.patient_user)

    page = client.get("/history/").content.decode()

    assert "Who has looked at your record" in page
    assert f"Physiotherapist {world.physio.display_name} looked at your plan on Tue 3 Nov at 10:02" in page


def test_the_clinic_admin_page_lists_the_clinics_reads_filtered_by_patient_and_user(world, plan, client):
    client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/", REMOTE_ADDR=ADDRESS)
    client_for(world.outsider_physio).get(f"/api/v1/patients/{world.other_patient.pk}/")
    client_for(world.foreign_physio).get(f"/api/v1/patients/{world.foreign_patient.pk}/")
    client.force_login(world.admin)

    everything = client.get("/access-log/").content.decode()
    by_physio = client.get(f"/access-log/?user={world.physio.pk}").content.decode()
    of_bob = client.get(f"/access-log/?patient={world.other_patient.pk}").content.decode()

    assert world.patient.full_name in everything
    assert world.other_patient.full_name in everything
    assert world.foreign_patient.full_name not in everything  # another clinic's reads
    assert ADDRESS in by_physio
    assert world.other_patient.full_name not in by_physio
    assert world.other_patient.full_name in of_bob
    assert ADDRESS not in of_bob


def test_the_access_log_page_is_for_clinic_admins(world, client):
    client.force_login(world.physio)
    assert client.get("/access-log/").status_code == 403
