"""The patient's pages read through rehab.selectors in a fixed number of queries: more sessions
logged cost no more (today, logging, history, follow along, a logged session)."""

from datetime import date

import pytest
import time_machine

from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan
from tests.builders import make_active_plan

NOW = "2026-11-04 10:00"  # a Wednesday, day 3 of a plan that starts on Monday 2 November
START = date(2026, 11, 2)
PAGES = ("/today/", "/today/log/", "/history/", "/today/follow/")


@pytest.fixture
def plan(world):
    with time_machine.travel(NOW, tick=False):
        yield make_active_plan(world.patient, world.physio, start_date=START)


def log_session(world, plan, day: date):
    items = [{"plan_item": item.pk, "done": True} for item in plan.items.all()]
    checkin, _ = checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key=str(day),
        date=day,
        pain_during=2,
        pain_after=3,
        items=items,
    )
    return checkin


def page_queries(client, url, django_assert_max_num_queries) -> int:
    with django_assert_max_num_queries(40) as counted:
        response = client.get(url)
    assert response.status_code == 200, url
    return len(counted.captured_queries)


def test_the_patient_pages_cost_the_same_queries_with_more_sessions_logged(
    client, world, plan, django_assert_max_num_queries
):
    client.force_login(world.patient_user)
    engine_plan(plan)  # the typed plan a process keeps: loaded once, as in a running server
    log_session(world, plan, date(2026, 11, 2))
    few = {url: page_queries(client, url, django_assert_max_num_queries) for url in PAGES}

    log_session(world, plan, date(2026, 11, 3))
    more = {url: page_queries(client, url, django_assert_max_num_queries) for url in PAGES}

    # Each count includes the session, the login and the patient's record (patient_page).
    assert more == few == {"/today/": 9, "/today/log/": 8, "/history/": 11, "/today/follow/": 8}


def test_a_logged_session_page_reads_the_session_and_its_exercises_at_once(
    client, world, plan, django_assert_max_num_queries
):
    client.force_login(world.patient_user)
    checkin = log_session(world, plan, date(2026, 11, 2))

    queries = page_queries(client, f"/today/logged/{checkin.pk}/", django_assert_max_num_queries)

    assert queries == 5  # session, login, patient, the check-in with its plan, its exercises
