"""The patient's pages through the Django test client: today, logging, next morning, red flags, history."""

import re
from datetime import date

import pytest
import time_machine

from planner.documents.wording import dose_words
from planner.sessions import week_sessions
from planner.vocabulary import RED_FLAGS
from rehab.models import CheckIn, CheckInItem, PlanStatus
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan
from tests.builders import make_active_plan

NOW = "2026-11-04 10:00"  # a Wednesday, day 3 of a plan that starts on Monday 2 November
START = date(2026, 11, 2)
TODAY = date(2026, 11, 4)
ADVICE = {code: advice for code, _label, advice in RED_FLAGS}


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


def html_of(response) -> str:
    return response.content.decode()


def due_today(plan):
    """(item, dose, due) for the plan's exercises: due on Wednesday (day 3 of week 1) by the plan's sessions."""
    engine = engine_plan(plan)
    week = week_sessions(engine, 1, START)
    return [
        (item, engine.weeks[0].dose_for(item.slug).dose, TODAY in week.days_for(item.slug)) for item in engine.items
    ]


def log_form_data(response, **overrides) -> dict:
    """What the page's log form would post: hidden fields and ticked items as rendered, plus answers."""
    html = html_of(response)
    data = {
        "idempotency_key": re.search(r'name="idempotency_key" value="([^"]+)"', html).group(1),
        "date": re.search(r'name="date" value="([^"]+)"', html).group(1),
    }
    for name in re.findall(r'<input type="checkbox" name="(item_\d+)"[^>]*checked', html):
        data[name] = "on"
    data.update({"session_rpe": "11", "pain_during": "2", "pain_after": "3", "notes": ""})
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- today -------------------------------------------------------------------------------------


def test_today_lists_the_exercises_due_today_with_dose_effort_words_and_heart_rate_zone(patient_client, plan):
    html = html_of(patient_client.get("/today/"))
    today_part = html.split("Other exercises this week")[0]
    engine = engine_plan(plan)
    walking = next(item for item in engine.items if item.component == "aerobic")
    dose = engine.weeks[0].dose_for(walking.slug).dose
    assert walking.exercise.name in today_part
    assert dose_words(dose) in today_part
    assert "Very light to light, 9 to 11" in today_part
    hr = dose.intensity_in("hr_bpm")
    if hr is not None:
        assert f"below {hr.high} beats per minute (go by how it feels)" in today_part
    assert "How to do it" in today_part
    assert walking.exercise.instructions.setup in today_part
    # Strength work is never on consecutive days; on Wednesday only what the sessions put there.
    due_part = today_part.split("Today's session")[1]
    for item, _dose, due in due_today(plan):
        if item.component == "resistance":
            assert (item.exercise.name in due_part) == due
    assert "Log today's session" in html


def test_today_shows_todays_session_in_order_with_its_estimated_time(patient_client, plan):
    html = html_of(patient_client.get("/today/"))
    engine = engine_plan(plan)
    session = week_sessions(engine, 1, START).session_on(TODAY)
    assert session is not None
    section = html.split('id="session-title"')[1].split("</section>")[0]

    assert f"about {session.estimated_minutes} min" in section
    # Warm-up, one line per exercise in session order (each with its dose in the details), cool-down.
    names = re.findall(r'<span class="step-name">([^<]+)</span>', section)
    assert names == ["Warm-up", *(entry.name for entry in session.main), "Cool-down"]
    for entry in session.main:
        assert dose_words(entry.dose) in section


def test_today_shows_what_changed_this_week_after_a_decision(patient_client, world):
    from rehab.documents import change_note_for_week
    from rehab.services.progression import plan_progress

    start = date(2026, 10, 26)  # today (Wednesday 4 November) is in week 2
    plan = make_active_plan(world.patient, world.physio, start_date=start)
    with time_machine.travel("2026-11-03 08:00", tick=False):
        plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 3))
    with time_machine.travel(NOW, tick=False):
        html = html_of(patient_client.get("/today/"))
    lines = change_note_for_week(plan, engine_plan(plan), 2)

    assert "What changed this week" in html
    assert lines
    for line in lines:
        assert line.replace("'", "&#x27;") in html


def test_a_rest_day_says_so_and_names_the_next_exercise_day(patient_client, world, frozen):
    make_active_plan(world.patient, world.physio, start_date=date(2026, 10, 29))  # Thursday: today is day 7
    html = html_of(patient_client.get("/today/"))
    assert "Rest day" in html
    assert "Thursday 5 November" in html


def test_a_paused_plan_says_it_is_paused_why_and_to_wait_for_the_care_team(patient_client, plan, world):
    type(plan).objects.filter(pk=plan.pk).update(status=PlanStatus.PAUSED, pause_reason="Dizziness reported")
    html = html_of(patient_client.get("/today/"))
    assert "Your plan is paused" in html
    assert "Dizziness reported" in html
    assert "Wait until your care team has talked to you" in html
    assert world.clinic.phone in html
    assert "Log today" not in html
    assert patient_client.get("/today/log/").status_code == 302


def test_the_plan_pdf_is_linked(patient_client, plan):
    assert f"/api/v1/plans/{plan.pk}/pdf/" in html_of(patient_client.get("/today/"))


def test_the_page_uses_the_patients_time_zone(patient_client, plan, world):
    world.patient.time_zone = "Pacific/Kiritimati"  # UTC+14: 10:00 UTC is already Thursday there
    world.patient.save()
    assert "Thursday 5 November" in html_of(patient_client.get("/today/"))


# --- logging -----------------------------------------------------------------------------------


def test_logging_stores_one_check_in_and_a_double_submit_stores_no_second(patient_client, plan, world):
    form = patient_client.get("/today/log/")
    data = log_form_data(form)
    first = patient_client.post("/today/log/", data)
    second = patient_client.post("/today/log/", data)
    assert first.status_code == second.status_code == 302
    assert first["Location"] == second["Location"]
    checkin = CheckIn.objects.get()
    assert (checkin.date, checkin.pain_during, checkin.pain_after, checkin.session_rpe) == (TODAY, 2, 3, 11)
    assert checkin.idempotency_key == data["idempotency_key"]
    due = sum(1 for _item, _dose, is_due in due_today(plan) if is_due)
    assert CheckInItem.objects.filter(checkin=checkin, done=True).count() == due
    done_page = html_of(patient_client.get(first["Location"]))
    assert "your session is saved" in done_page


def test_an_exercise_untapped_is_stored_as_not_done(patient_client, plan):
    form = patient_client.get("/today/log/")
    data = log_form_data(form)
    skipped = next(name for name in data if name.startswith("item_"))
    del data[skipped]
    patient_client.post("/today/log/", data)
    assert CheckInItem.objects.get(plan_item_id=int(skipped[5:])).done is False


def test_bad_input_keeps_what_was_chosen_and_shows_the_errors_next_to_the_questions(patient_client, plan):
    form = patient_client.get("/today/log/")
    data = log_form_data(form, pain_after=None, session_rpe=None, notes="Knee a bit stiff")
    skipped = next(name for name in data if name.startswith("item_"))
    del data[skipped]
    response = patient_client.post("/today/log/", data)
    html = html_of(response)
    assert response.status_code == 400
    assert not CheckIn.objects.exists()
    assert 'id="e-pain_after">Choose how much pain you had after the exercises' in html
    assert 'id="e-session_rpe">Choose how hard the exercises felt' in html
    assert re.search(r'name="pain_during" value="2"[^>]*checked', html)
    assert "Knee a bit stiff</textarea>" in html
    assert not re.search(rf'name="{skipped}"[^>]*checked', html)
    assert f'value="{data["idempotency_key"]}"' in html  # the same key: a retry cannot duplicate


def test_a_missed_day_can_be_logged_and_lists_that_days_exercises(patient_client, plan):
    form = patient_client.get("/today/log/?day=2026-11-03")
    assert "yesterday, Tue 3 Nov" in html_of(form)
    response = patient_client.post("/today/log/", log_form_data(form))
    assert response.status_code == 302
    assert CheckIn.objects.get().date == date(2026, 11, 3)


def test_a_day_outside_the_window_is_refused(patient_client, plan):
    form = patient_client.get("/today/log/")
    response = patient_client.post("/today/log/", log_form_data(form, date="2026-11-05"))
    assert response.status_code == 400
    assert not CheckIn.objects.exists()


def test_a_second_session_on_the_same_day_is_refused_with_a_message(patient_client, plan):
    patient_client.post("/today/log/", log_form_data(patient_client.get("/today/log/")))
    response = patient_client.post("/today/log/", log_form_data(patient_client.get("/today/log/")))
    assert response.status_code == 400
    assert "already logged for this day" in html_of(response)
    assert CheckIn.objects.count() == 1


def test_high_pain_shows_what_to_do_now(patient_client, plan, world):
    response = patient_client.post(
        "/today/log/", log_form_data(patient_client.get("/today/log/"), pain_during="9", pain_after="9")
    )
    html = html_of(patient_client.get(response["Location"]))
    assert "Your pain was high" in html
    assert world.clinic.phone in html


# --- next morning ------------------------------------------------------------------------------


def test_the_next_morning_question_comes_first_and_stores_the_answer(patient_client, plan, world):
    yesterday, _ = checkin_record(
        actor=world.patient_user, plan=plan, idempotency_key="k1", date=date(2026, 11, 3), pain_during=2, pain_after=2
    )
    html = html_of(patient_client.get("/today/"))
    assert html.index("How is your pain this morning?") < html.index("Today's session")
    response = patient_client.post("/today/next-morning/", {"checkin": yesterday.pk, "pain_next_morning": "4"})
    assert response.status_code == 302
    yesterday.refresh_from_db()
    assert yesterday.pain_next_morning == 4
    assert "How is your pain this morning?" not in html_of(patient_client.get("/today/"))


def test_next_morning_pain_of_another_patient_is_not_found(patient_client, world, frozen):
    other_plan = make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    theirs, _ = checkin_record(
        actor=world.other_patient_user,
        plan=other_plan,
        idempotency_key="k",
        date=date(2026, 11, 3),
        pain_during=1,
        pain_after=1,
    )
    response = patient_client.post("/today/next-morning/", {"checkin": theirs.pk, "pain_next_morning": "4"})
    assert response.status_code == 404
    theirs.refresh_from_db()
    assert theirs.pain_next_morning is None


# --- something is wrong ------------------------------------------------------------------------


def test_every_patient_page_has_the_something_is_wrong_button(patient_client, plan):
    for url in ("/today/", "/today/log/", "/history/"):
        assert 'href="/something-wrong/"' in html_of(patient_client.get(url))


def test_red_flags_with_no_session_today_are_stored_and_the_advice_and_phone_shown(
    patient_client, plan, world, django_capture_on_commit_callbacks
):
    page = html_of(patient_client.get("/something-wrong/"))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    with django_capture_on_commit_callbacks(execute=True):
        response = patient_client.post(
            "/something-wrong/", {"idempotency_key": key, "red_flags": ["dizziness", "fever"], "pain_now": "3"}
        )
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert (checkin.date, checkin.red_flags, checkin.pain_during) == (TODAY, ["dizziness", "fever"], 3)
    html = html_of(patient_client.get(response["Location"]))
    assert ADVICE["dizziness"] in html
    assert ADVICE["fever"] in html
    assert world.clinic.phone in html
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED  # the existing follow-up ran and alerted the care team
    assert world.patient.alerts.filter(kind="red_flag").exists()


def test_red_flags_join_todays_session_when_one_is_logged(patient_client, plan):
    patient_client.post("/today/log/", log_form_data(patient_client.get("/today/log/")))
    page = html_of(patient_client.get("/something-wrong/"))
    assert "How much pain do you have right now?" not in page
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = patient_client.post("/something-wrong/", {"idempotency_key": key, "red_flags": ["chest_pain"]})
    assert response.status_code == 302
    checkin = CheckIn.objects.get()
    assert checkin.red_flags == ["chest_pain"]
    assert checkin.pain_next_morning is None


def test_no_flag_ticked_asks_again_and_keeps_the_pain(patient_client, plan):
    page = html_of(patient_client.get("/something-wrong/"))
    key = re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)
    response = patient_client.post("/something-wrong/", {"idempotency_key": key, "pain_now": "5"})
    assert response.status_code == 400
    html = html_of(response)
    assert "Tick what is happening" in html
    assert re.search(r'name="pain_now" value="5"[^>]*checked', html)
    assert not CheckIn.objects.exists()


# --- history -----------------------------------------------------------------------------------


def test_history_lists_sessions_newest_first_with_a_pain_chart_and_its_table(patient_client, plan, world):
    for key, day, pain in (("a", date(2026, 11, 2), 2), ("b", date(2026, 11, 3), 5)):
        checkin_record(
            actor=world.patient_user, plan=plan, idempotency_key=key, date=day, pain_during=pain, pain_after=pain
        )
    html = html_of(patient_client.get("/history/"))
    assert html.index("Tue 3 Nov") < html.index("Mon 2 Nov")
    assert "<svg" in html
    assert "Your pain after each session" in html
    assert "<table" in html
    assert "<caption" in html


# --- access ------------------------------------------------------------------------------------


def test_another_patients_check_in_is_not_found(patient_client, world, frozen):
    other_plan = make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    theirs, _ = checkin_record(
        actor=world.other_patient_user, plan=other_plan, idempotency_key="k", date=TODAY, pain_during=1, pain_after=1
    )
    assert patient_client.get(f"/today/logged/{theirs.pk}/").status_code == 404
    assert patient_client.get(f"/something-wrong/{theirs.pk}/").status_code == 404


def test_another_patients_plan_never_shows(patient_client, world, frozen):
    other_plan = make_active_plan(world.other_patient, world.outsider_physio, start_date=START)
    checkin_record(
        actor=world.other_patient_user,
        plan=other_plan,
        idempotency_key="k",
        date=TODAY,
        pain_during=1,
        pain_after=1,
        notes="Bob's private note",
    )
    for url in ("/today/", "/history/"):
        html = html_of(patient_client.get(url))
        assert "no exercise plan yet" in html
        assert "Bob" not in html


def test_staff_are_sent_to_their_own_start_page(client, world, plan):
    client.force_login(world.physio)
    for url in ("/today/", "/today/log/", "/history/", "/something-wrong/"):
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"] == "/"


def test_signed_out_visitors_are_sent_to_sign_in(client, world):
    response = client.get("/today/")
    assert response.status_code == 302
    assert response["Location"].startswith("/login/")


def test_patient_pages_are_private_and_never_stored(patient_client, plan):
    # The offline copy lives in the service worker's Cache Storage, which no-store does not touch.
    cache_control = patient_client.get("/today/")["Cache-Control"]
    assert "no-store" in cache_control
    assert "private" in cache_control


# --- offline machinery -------------------------------------------------------------------------


def test_the_service_worker_is_served_from_the_root_with_its_scope_and_settings(client):
    response = client.get("/sw.js")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    body = response.content.decode()
    assert "self.__CONFIG__" not in body
    assert '"/today/"' in body
    assert "frontend/patient.js" in body


def test_the_manifest_makes_the_app_installable(client):
    import json
    from pathlib import Path

    manifest = json.loads(
        (Path(__file__).resolve().parents[2] / "frontend/static/frontend/manifest.webmanifest").read_text()
    )
    assert manifest["start_url"] == "/today/"
    assert manifest["display"] == "standalone"
    assert {"192x192", "512x512"} <= {icon["sizes"] for icon in manifest["icons"]}
