"""The "something is wrong" decision as a service: red flags join the day's check-in, become a symptom
report when nothing is logged, or give advice only when there is no running plan to record them on."""

from datetime import date, timedelta

import pytest
import time_machine

from planner.vocabulary import RED_FLAGS
from rehab.models import Alert, AlertKind, CheckIn, CheckInKind
from rehab.services.checkins import checkin_record
from rehab.services.errors import InvalidInput
from rehab.services.red_flags import (
    SYMPTOMS_NOTE,
    RedFlagOutcome,
    red_flag_route,
    red_flags_report,
    report_day,
)
from tests.builders import make_active_plan

START = date(2026, 11, 2)  # a Monday
TODAY = date(2026, 11, 4)
ADVICE = {code: advice for code, _label, advice in RED_FLAGS}


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-04 10:00", tick=False):
        yield


@pytest.fixture
def plan(world):
    return make_active_plan(world.patient, world.physio, start_date=START)


def route_for(world, made_on=None):
    return red_flag_route(user=world.patient_user, patient=world.patient, made_on=made_on)


def test_with_a_session_logged_today_the_flags_join_it_and_the_care_team_is_alerted(
    world, plan, django_capture_on_commit_callbacks
):
    session, _ = checkin_record(
        actor=world.patient_user, plan=plan, idempotency_key="s", date=TODAY, pain_during=2, pain_after=2
    )
    route = route_for(world)
    assert (route.outcome, route.checkin, route.needs_pain_now) == (RedFlagOutcome.JOIN_SESSION, session, False)

    with django_capture_on_commit_callbacks(execute=True):
        report = red_flags_report(actor=world.patient_user, route=route, red_flags=["fever"], idempotency_key="k")

    assert report.checkin.pk == session.pk
    assert CheckIn.objects.get().red_flags == ["fever"]
    assert Alert.objects.filter(kind=AlertKind.RED_FLAG, plan=plan).exists()


def test_without_a_session_the_flags_become_a_symptom_report_with_the_pain_now(world, plan):
    route = route_for(world)
    assert (route.outcome, route.needs_pain_now) == (RedFlagOutcome.SYMPTOM_REPORT, True)

    report = red_flags_report(
        actor=world.patient_user,
        route=route,
        red_flags=["dizziness"],
        idempotency_key="k",
        pain_now=4,
        notes="  after the stairs ",
    )

    checkin = CheckIn.objects.get()
    assert report.checkin == checkin
    assert (checkin.kind, checkin.date, checkin.pain_during, checkin.pain_after) == (CheckInKind.SYMPTOMS, TODAY, 4, 4)
    assert checkin.notes == f"{SYMPTOMS_NOTE} after the stairs"
    assert report.advice == ()


def test_a_symptom_report_needs_the_pain_now_and_stores_nothing_without_it(world, plan):
    with pytest.raises(InvalidInput) as refused:
        red_flags_report(actor=world.patient_user, route=route_for(world), red_flags=["fever"], idempotency_key="k")
    assert "pain_now" in refused.value.errors
    assert not CheckIn.objects.exists()


def test_without_a_running_plan_nothing_is_recorded_and_each_flags_advice_is_given(world):
    route = route_for(world)
    assert (route.outcome, route.plan, route.needs_pain_now) == (RedFlagOutcome.ADVICE_ONLY, None, False)

    report = red_flags_report(
        actor=world.patient_user, route=route, red_flags=["fever", "chest_pain"], idempotency_key="k"
    )

    assert report.checkin is None
    assert set(report.advice) == {ADVICE["fever"], ADVICE["chest_pain"]}
    assert not CheckIn.objects.exists()


def test_a_report_kept_offline_belongs_to_its_day_if_recent_and_in_the_plan(world, plan):
    yesterday = TODAY - timedelta(days=1)
    assert route_for(world, made_on=yesterday).day == yesterday
    assert report_day(plan, TODAY, TODAY + timedelta(days=1)) == TODAY  # the future
    assert report_day(plan, TODAY, START - timedelta(days=1)) == TODAY  # before the plan
    assert report_day(plan, TODAY, TODAY - timedelta(days=7)) == TODAY  # too long ago
    assert report_day(None, TODAY, yesterday) == TODAY  # no plan
