"""The API's lists read through rehab.selectors in a fixed number of queries: a longer list costs no
more (the patient list with its sign-in states, the exercise library, the clinic's templates)."""

from datetime import date

from rehab.services.people import patient_activation_issue
from rehab.services.plans import plan_generate
from rehab.services.templates import template_create_from_plan
from tests import builders
from tests.conftest import client_for


def _queries(django_assert_max_num_queries, client, url):
    with django_assert_max_num_queries(20) as counted:
        response = client.get(url)
    assert response.status_code == 200, response.content
    return len(counted.captured_queries), response.json()


def test_the_patient_list_costs_the_same_queries_for_more_patients(world, django_assert_max_num_queries):
    client = client_for(world.physio)
    small, _ = _queries(django_assert_max_num_queries, client, "/api/v1/patients/")
    for n in range(4):
        patient = builders.make_patient(world.clinic, care_team=[world.physio], first_name=f"New{n}")
        patient_activation_issue(actor=world.physio, patient=patient, channel="handover")

    big, body = _queries(django_assert_max_num_queries, client, "/api/v1/patients/")

    assert big == small == 4  # count, patients with their logins, care teams, open sign-in links
    assert body["count"] == 5
    assert sorted(row["activation_status"] for row in body["results"]) == ["active", *["pending"] * 4]


def test_the_exercise_library_costs_the_same_queries_filtered_or_not(world, django_assert_max_num_queries):
    client = client_for(world.patient_user)

    every, body = _queries(django_assert_max_num_queries, client, "/api/v1/exercises/?page_size=200")
    gentle, gentle_body = _queries(django_assert_max_num_queries, client, "/api/v1/exercises/?max_impact=low")

    assert every == gentle == 1  # the library, its variants joined (tags are filtered in Python)
    assert body["count"] > gentle_body["count"] > 0


def test_the_template_list_costs_the_same_queries_for_more_templates(world, django_assert_max_num_queries):
    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 2))
    template_create_from_plan(actor=world.physio, plan=plan, name="Knees")
    client = client_for(world.physio)
    small, _ = _queries(django_assert_max_num_queries, client, "/api/v1/templates/")
    for name in ("Hips", "Shoulders", "Back"):
        template_create_from_plan(actor=world.physio, plan=plan, name=name)

    big, body = _queries(django_assert_max_num_queries, client, "/api/v1/templates/")

    assert big == small == 3  # count, templates, their versions
    assert [row["name"] for row in body["results"]] == ["Back", "Hips", "Knees", "Shoulders"]
