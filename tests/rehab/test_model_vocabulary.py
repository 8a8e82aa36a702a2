"""The small domain questions the models answer (which plan week a day is in, whether a plan runs,
the week edits apply from, the patient's zone and today, the care roles), asked of unsaved rows:
none of them touches the database unless it says it reads the patient."""

from datetime import date, timedelta
from zoneinfo import ZoneInfo

import time_machine
from hypothesis import given
from hypothesis import strategies as st

from rehab.models import RUNNING_STATUSES, Clinic, Patient, Plan, PlanStatus, Role, User

START = date(2026, 3, 2)


def _plan(**fields) -> Plan:
    return Plan(start_date=START, weeks=fields.pop("weeks", 12), **fields)


def test_the_first_day_is_week_one_and_the_eighth_day_week_two():
    plan = _plan()
    assert plan.week_of(START) == 1
    assert plan.week_of(START + timedelta(days=6)) == 1
    assert plan.week_of(START + timedelta(days=7)) == 2


def test_week_of_counts_past_either_end_and_covers_says_whether_the_day_is_in_the_plan():
    plan = _plan(weeks=4)
    assert plan.week_of(START - timedelta(days=1)) == 0
    assert plan.week_of(START + timedelta(days=28)) == 5
    assert not plan.covers(START - timedelta(days=1))
    assert plan.covers(START)
    assert plan.covers(plan.end_date)
    assert not plan.covers(plan.end_date + timedelta(days=1))


def test_the_end_date_is_the_last_day_of_the_last_week():
    assert _plan(weeks=12).end_date == date(2026, 5, 24)
    assert _plan(weeks=1).end_date == START + timedelta(days=6)


@given(weeks=st.integers(1, 52), offset=st.integers(-400, 400))
def test_a_day_is_covered_exactly_when_its_week_is_one_of_the_plans(weeks, offset):
    plan = _plan(weeks=weeks)
    day = START + timedelta(days=offset)
    assert plan.covers(day) == (1 <= plan.week_of(day) <= weeks)
    assert 1 <= plan.current_week(day) <= weeks
    if plan.covers(day):
        assert plan.current_week(day) == plan.week_of(day)


def test_the_current_week_stays_within_the_plan():
    plan = _plan(weeks=4)
    assert plan.current_week(START - timedelta(days=30)) == 1
    assert plan.current_week(START + timedelta(days=15)) == 3
    assert plan.current_week(START + timedelta(days=300)) == 4


def test_active_and_paused_plans_are_running_and_the_others_are_not():
    assert RUNNING_STATUSES == (PlanStatus.ACTIVE, PlanStatus.PAUSED)
    running = {status for status in PlanStatus if _plan(status=status).is_running}
    assert running == {PlanStatus.ACTIVE, PlanStatus.PAUSED}


def test_edits_apply_from_week_one_of_a_draft_and_from_this_week_of_a_running_plan():
    today = START + timedelta(days=20)
    assert _plan(status=PlanStatus.DRAFT).edit_week(today) == 1
    assert _plan(status=PlanStatus.ACTIVE).edit_week(today) == 3
    assert _plan(status=PlanStatus.PAUSED).edit_week(today) == 3


def test_without_a_day_the_week_is_read_by_the_patients_clock():
    # 23:30 UTC on the last day of week 1 is already the first day of week 2 in Auckland.
    patient = Patient(time_zone="Pacific/Auckland")
    plan = _plan(status=PlanStatus.ACTIVE, patient=patient)
    with time_machine.travel("2026-03-08 23:30Z", tick=False):
        assert patient.today() == date(2026, 3, 9)
        assert plan.current_week() == plan.edit_week() == 2
        assert Patient(time_zone="UTC").today() == date(2026, 3, 8)


def test_an_unknown_zone_name_reads_as_utc():
    assert Patient(time_zone="Atlantis/Lost").zone == ZoneInfo("UTC")
    assert Clinic(time_zone="").zone == ZoneInfo("UTC")
    assert Clinic(time_zone="Europe/London").zone == ZoneInfo("Europe/London")


def test_the_care_team_is_physiotherapists_and_clinicians_and_staff_adds_the_clinic_admin():
    assert set(Role.CARE) == {Role.PHYSIOTHERAPIST, Role.CLINICIAN}
    assert set(Role.STAFF) == {Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.CLINIC_ADMIN}
    assert {role for role in Role if User(role=role).is_care_staff} == {Role.PHYSIOTHERAPIST, Role.CLINICIAN}
    # The groups are not roles a login can have.
    assert "CARE" not in Role.names
    assert len(Role.choices) == 4
