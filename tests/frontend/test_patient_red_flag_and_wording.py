"""Red flags that survive being offline, the emergency button, effort on 0-10, and the wording slips
of the patient pages (rest day, paused card, call buttons, sign-in page without htmx)."""

import html as html_lib
import json
import re
from datetime import date, timedelta

import pytest
import time_machine

from frontend.patient.plan_days import exercise_cards
from planner.documents.wording import date_words
from planner.vocabulary import RED_FLAGS
from rehab.models import Alert, AlertKind, CheckIn, PlanStatus
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


def page_of(client, url) -> str:
    return client.get(url).content.decode()


def key_of(page: str) -> str:
    return re.search(r'name="idempotency_key" value="([^"]+)"', page).group(1)


def text_of(fragment: str) -> str:
    return html_lib.unescape(re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", fragment))).strip()


# --- a red flag kept offline, sent later ----------------------------------------------------------


def test_a_kept_red_flag_sent_twice_is_one_report_and_one_alert(
    patient_client, plan, django_capture_on_commit_callbacks
):
    key = key_of(page_of(patient_client, "/something-wrong/"))
    form = {"idempotency_key": key, "red_flags": ["dizziness"], "pain_now": "4", "reported_on": TODAY.isoformat()}
    with django_capture_on_commit_callbacks(execute=True):
        first = patient_client.post("/something-wrong/", form)
    with django_capture_on_commit_callbacks(execute=True):
        again = patient_client.post("/something-wrong/", form)  # the phone retried: same key

    assert first.status_code == again.status_code == 302
    assert first["Location"] == again["Location"]
    assert CheckIn.objects.count() == 1
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG).count() == 1


def test_a_kept_red_flag_belongs_to_the_day_it_was_reported(patient_client, plan):
    yesterday = TODAY - timedelta(days=1)
    key = key_of(page_of(patient_client, "/something-wrong/"))
    patient_client.post(
        "/something-wrong/",
        {"idempotency_key": key, "red_flags": ["fever"], "pain_now": "2", "reported_on": yesterday.isoformat()},
    )

    assert CheckIn.objects.get().date == yesterday


@pytest.mark.parametrize("reported_on", ["2026-11-05", "2026-10-20", "not a day", ""])
def test_a_report_day_in_the_future_outside_the_plan_or_garbled_is_today(patient_client, plan, reported_on):
    key = key_of(page_of(patient_client, "/something-wrong/"))
    patient_client.post(
        "/something-wrong/",
        {"idempotency_key": key, "red_flags": ["fever"], "pain_now": "2", "reported_on": reported_on},
    )

    assert CheckIn.objects.get().date == TODAY


def test_every_patient_page_carries_the_red_flag_advice_and_the_not_sent_banner(patient_client, plan):
    for url in ("/today/", "/today/log/", "/history/", "/something-wrong/", "/offline/"):
        page = page_of(patient_client, url)
        assert 'id="red-flag-pending"' in page, url
        assert "Send now" in page
        config = json.loads(re.search(r'id="patient-config" type="application/json">(.*?)</script>', page).group(1))
        assert config["redFlagAdvice"] == ADVICE
        assert config["somethingWrongUrl"] == "/something-wrong/"


def test_the_service_worker_keeps_a_red_flag_the_network_lost(client):
    body = client.get("/sw.js").content.decode()
    config = json.loads(re.search(r"const CONFIG = (\{.*?\});", body).group(1))
    assert "/something-wrong/" in config["queueForms"]
    assert config["redFlagForm"] == "/something-wrong/"


# --- the emergency button ---------------------------------------------------------------------------


def test_the_red_flag_pages_have_the_emergency_button_of_the_clinics_country(patient_client, plan, world):
    page = page_of(patient_client, "/something-wrong/")
    assert 'href="tel:999"' in page  # the clinic's phone is +44: the United Kingdom's 999
    assert "Call an ambulance: 999" in text_of(page)

    world.clinic.emergency_number = "112"
    world.clinic.save()
    page = page_of(patient_client, "/something-wrong/")
    key = key_of(page)
    assert 'href="tel:112"' in page
    done = patient_client.post("/something-wrong/", {"idempotency_key": key, "red_flags": ["fever"], "pain_now": "1"})
    assert 'href="tel:112"' in page_of(patient_client, done["Location"])


# --- effort on 0-10 -------------------------------------------------------------------------------------


def _log_form(page: str, **answers) -> dict:
    data = {"idempotency_key": key_of(page), "date": re.search(r'name="date" value="([^"]+)"', page).group(1)}
    for name in re.findall(r'<input type="checkbox" name="(item_\d+)"[^>]*checked', page):
        data[name] = "on"
    hidden = re.search(r'name="effort_scale" value="([^"]+)"', page)
    if hidden:
        data["effort_scale"] = hidden.group(1)
    data.update(answers)
    return data


def test_a_patient_on_the_0_to_10_scale_logs_effort_in_its_words_and_both_values_are_kept(patient_client, plan, world):
    world.patient.effort_scale = "cr10"
    world.patient.save()
    page = page_of(patient_client, "/today/log/")
    assert "0 is rest, no effort at all" in page
    assert 'name="session_rpe"' not in page
    assert re.search(r'name="effort_value" value="5"', page)

    response = patient_client.post("/today/log/", _log_form(page, effort_value="5", pain_during="1", pain_after="1"))

    assert response.status_code == 302, response.content.decode()[:2000]
    row = CheckIn.objects.get()
    assert (row.effort_scale, row.effort_value, row.session_rpe) == ("cr10", 5, 12)
    assert "5 out of 10, moderate" in page_of(patient_client, response["Location"])


def test_the_clinic_sets_the_scale_and_a_patient_may_keep_6_to_20(patient_client, plan, world):
    world.clinic.effort_scale = "cr10"
    world.clinic.save()
    assert 'name="effort_value"' in page_of(patient_client, "/today/log/")

    world.patient.effort_scale = "borg_6_20"
    world.patient.save()
    page = page_of(patient_client, "/today/log/")
    assert 'name="session_rpe"' in page
    assert 'name="effort_value"' not in page


def test_a_missing_0_to_10_answer_is_asked_for_again(patient_client, plan, world):
    world.patient.effort_scale = "cr10"
    world.patient.save()
    page = page_of(patient_client, "/today/log/")
    response = patient_client.post("/today/log/", _log_form(page, pain_during="1", pain_after="1"))

    assert response.status_code == 400
    assert "Choose how hard the exercises felt, from 0 to 10." in response.content.decode()
    assert not CheckIn.objects.exists()


# --- wording slips ----------------------------------------------------------------------------------------


def test_logging_an_earlier_rest_day_does_not_call_it_today(patient_client, world, frozen):
    plan = make_active_plan(world.patient, world.physio, start_date=date(2026, 10, 26))
    days = [TODAY - timedelta(days=n) for n in range(1, 7)]
    rest = [day for day in days if not any(card.due for card in exercise_cards(plan, day))]
    assert rest, "the plan has no rest day in the last week"
    for day in rest:
        text = text_of(page_of(patient_client, f"/today/log/?day={day.isoformat()}"))
        name = "Yesterday" if day == TODAY - timedelta(days=1) else date_words(day)
        assert "Today is a rest day" not in text
        assert "Today was a rest day" not in text
        assert f"{name} was a rest day in your plan" in text


def test_the_paused_card_speaks_to_the_patient_with_a_day_in_words(
    patient_client, plan, world, django_capture_on_commit_callbacks
):
    key = key_of(page_of(patient_client, "/something-wrong/"))
    with django_capture_on_commit_callbacks(execute=True):
        patient_client.post("/something-wrong/", {"idempotency_key": key, "red_flags": ["dizziness"], "pain_now": "2"})
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    assert world.patient.full_name in plan.pause_reason  # the care team's words name the patient

    page = page_of(patient_client, "/today/")
    card = re.search(r'<section class="card paused".*?</section>', page, re.S).group(0)
    text = text_of(card)
    assert "You reported dizziness" in text
    assert "Wed 4 Nov" in text
    assert world.patient.full_name not in text
    assert "2026-11-04" not in text


def test_call_buttons_read_call_the_clinic_with_the_number_spaced(patient_client, plan, world):
    for url in ("/something-wrong/", "/offline/"):
        page = page_of(patient_client, url)
        button = re.search(r'<a class="button call"[^>]*>(.*?)</a>', page, re.S)
        # One child inside the flex button, so the space before the number survives layout.
        assert button.group(1).startswith("<span>")
        assert button.group(1).endswith("</span>")
        assert text_of(button.group(1)) == f"Call the clinic: {world.clinic.phone}"


def test_the_sign_in_page_loads_no_htmx_but_staff_pages_still_do(client, world):
    signin = client.get("/login/").content.decode()
    assert not re.search(r"<script[^>]*htmx", signin)

    client.force_login(world.physio)
    staff = client.get("/", follow=True).content.decode()
    assert re.search(r"<script[^>]*htmx", staff)
