"""Today's session as steps, the follow-along page, and the log form filled in from a followed session."""

import re
from datetime import date
from decimal import Decimal

import pytest
import time_machine

from frontend.patient.session_steps import session_on
from rehab.clinical import active_catalogue
from rehab.models import CheckIn, PlanStatus
from rehab.services.plans import engine_plan
from tests.builders import make_active_plan

NOW = "2026-11-04 10:00"  # a Wednesday, day 3 of a plan that starts on Monday 2 November
START = date(2026, 11, 2)
TODAY = date(2026, 11, 4)


@pytest.fixture
def frozen():
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def plan(world, frozen):
    return make_active_plan(world.patient, world.physio, start_date=START)


@pytest.fixture
def patient_client(client, world):
    client.force_login(world.patient_user)
    return client


def todays_session(plan):
    return session_on(plan, engine_plan(plan), TODAY, active_catalogue())


def step_names(html: str) -> list[str]:
    return re.findall(r'<li class="follow-step[^"]*"[^>]*data-name="([^"]+)"', html, flags=re.S)


def test_the_follow_page_walks_the_session_in_order_from_warm_up_to_cool_down(patient_client, plan):
    html = patient_client.get("/today/follow/").content.decode()
    session = todays_session(plan)

    assert step_names(html) == [entry.name for entry in session.entries]
    roles = re.findall(r'<p class="follow-role">([^<]+)</p>', html)
    assert roles[0] == "Warm-up"
    assert roles[-1] == "Cool-down"
    assert roles[len(session.warm_up)] == f"Exercise 1 of {len(session.main)}"


def test_each_exercise_step_carries_its_timing_and_its_plan_item(patient_client, plan):
    html = patient_client.get("/today/follow/").content.decode()
    items = {item.exercise.slug: item.pk for item in plan.items.select_related("exercise")}
    for entry in todays_session(plan).main:
        dose = entry.dose
        step = re.search(
            rf'<li class="follow-step card main"[^>]*data-name="{re.escape(entry.name)}"', html, flags=re.S
        ).group(0)
        assert f'data-timing="{dose.dose_kind}"' in step
        assert f'data-sets="{dose.sets or 1}"' in step
        assert f'data-item="{items[entry.slug]}"' in step
        if dose.dose_kind == "minutes":
            assert f'data-seconds="{round(dose.minutes * 60)}"' in step
        if dose.dose_kind == "sets_reps":
            assert f'data-reps="{dose.reps}"' in step
            assert 'data-rest="120"' in step  # rules_sessions.json: 2 minutes between sets
        if dose.dose_kind == "hold":
            assert f'data-seconds="{dose.hold_seconds}"' in step
    # Warm-up and cool-down are followed but never logged against a plan item.
    assert len(re.findall(r'data-item=""', html)) == len(todays_session(plan).warm_up) + len(
        todays_session(plan).cool_down
    )


def test_each_step_shows_its_drawing_with_words_for_a_screen_reader(patient_client, plan):
    html = patient_client.get("/today/follow/").content.decode()
    entry = todays_session(plan).main[0]
    # The figure marks the plan's protected regions (?protect=...): tests/frontend/test_figure_protection_pages.py.
    assert f'src="/api/v1/exercises/{entry.slug}/illustration.svg' in html
    alt = re.search(rf'src="/api/v1/exercises/{entry.slug}/illustration.svg[^"]*" alt="([^"]+)"', html).group(1)
    assert alt.startswith("Drawing of ")


def test_the_follow_page_shows_only_the_signed_in_patients_plan(client, world, frozen):
    make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    client.force_login(world.patient_user)  # Helen has no plan; Bob's never shows
    html = client.get("/today/follow/").content.decode()
    assert "You have no exercise plan yet" in html
    assert "follow-step" not in html


def test_staff_are_sent_to_their_own_start_page(client, world, plan):
    client.force_login(world.physio)
    response = client.get("/today/follow/")
    assert response.status_code == 302
    assert "/today/" not in response["Location"]


def test_on_a_rest_day_there_is_nothing_to_follow(patient_client, world, frozen):
    make_active_plan(world.patient, world.physio, start_date=date(2026, 10, 29))  # Thursday: today is day 7
    html = patient_client.get("/today/follow/").content.decode()
    assert "Rest day" in html
    assert "nothing to follow" in html
    assert "follow-step" not in html


def test_a_paused_plan_is_not_followed(patient_client, plan):
    type(plan).objects.filter(pk=plan.pk).update(status=PlanStatus.PAUSED, pause_reason="Dizziness reported")
    html = patient_client.get("/today/follow/").content.decode()
    assert "Your plan is paused" in html
    assert "Please do not do your exercises for now" in html
    assert "follow-step" not in html
    assert "Log this session" not in html


def test_today_lists_the_session_as_short_lines_in_order_and_offers_to_follow_it(patient_client, plan):
    html = patient_client.get("/today/").content.decode()
    session = todays_session(plan)
    section = html.split('id="session-title"')[1].split("</section>")[0]
    names = re.findall(r'<span class="step-name">([^<]+)</span>', section)
    assert names == ["Warm-up", *(entry.name for entry in session.main), "Cool-down"]
    warm_up = section.split('<span class="step-name">Warm-up</span>')[1].split("</summary>")[0]
    assert all(entry.name.lower() in warm_up for entry in session.warm_up)
    assert f"about {session.estimated_minutes} min" in section
    assert 'href="/today/follow/"' in section
    assert "Start the session" in section


def _log_form(response) -> dict:
    html = response.content.decode()
    data = {
        "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1),
        "date": re.search(r'name="date" value="([^"]+)"', html).group(1),
    }
    for name in re.findall(r'<input type="checkbox" name="(item_\d+)"[^>]*checked', html):
        data[name] = "on"
    data.update({"session_rpe": "12", "pain_during": "2", "pain_after": "2"})
    return data


def test_the_log_form_stores_what_a_followed_session_counted(patient_client, plan):
    data = _log_form(patient_client.get("/today/log/"))
    ticked = sorted(int(name[5:]) for name in data if name.startswith("item_"))
    assert len(ticked) >= 2
    counted, skipped = ticked[0], ticked[1]
    del data[f"item_{skipped}"]  # not done: its amounts mean nothing and are not stored
    data.update(
        {
            f"sets_{counted}": "2",
            f"reps_{counted}": "8",
            f"minutes_{counted}": "12.5",
            f"sets_{skipped}": "3",
        }
    )
    response = patient_client.post("/today/log/", data)
    assert response.status_code == 302

    checkin = CheckIn.objects.get()
    rows = {row.plan_item_id: row for row in checkin.items.all()}
    assert (rows[counted].done, rows[counted].sets, rows[counted].reps) == (True, 2, 8)
    assert rows[counted].minutes == Decimal("12.5")
    assert (rows[skipped].done, rows[skipped].sets, rows[skipped].reps) == (False, None, None)


def test_amounts_beyond_what_a_check_in_can_hold_are_refused(patient_client, plan):
    data = _log_form(patient_client.get("/today/log/"))
    first = next(name[5:] for name in data if name.startswith("item_"))
    data[f"reps_{first}"] = "999"
    response = patient_client.post("/today/log/", data)
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_the_service_worker_keeps_the_follow_page_and_its_script_for_offline_use(client):
    body = client.get("/sw.js").content.decode()
    assert '"/today/follow/"' in body
    assert "follow.js" in body
    assert '"picturePrefix": "/api/v1/exercises/"' in body
