"""Reminders the patient controls: the rules as values, who the beat picks at their local time, quiet
hours, and one reminder per (patient, day, kind) however often the task runs."""

from datetime import UTC, date, datetime, time, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.mail.backends.locmem import EmailBackend
from hypothesis import given
from hypothesis import strategies as st

from rehab import tasks
from rehab.models import Patient, ReminderDelivery, ReminderPreferences
from rehab.models.reminders import days_to_mask
from rehab.services import reminders
from rehab.services.checkins import checkin_record
from rehab.services.reminders import DEFAULT_PREFERENCES, Preferences, in_quiet_hours, kinds_due
from tests import builders

START = date(2026, 11, 2)  # a Monday
EVERY_DAY = frozenset(range(7))


def prefs(**changes) -> Preferences:
    values = {
        "days": EVERY_DAY,
        "time_of_day": time(9, 0),
        "quiet_start": time(21, 0),
        "quiet_end": time(8, 0),
        "next_morning": True,
    }
    values.update(changes)
    return Preferences(**values)


# --------------------------------------------------------------------------------------------
# The rules, no database
# --------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("clock", "start", "end", "quiet"),
    [
        (time(22, 0), time(21, 0), time(8, 0), True),
        (time(7, 59), time(21, 0), time(8, 0), True),
        (time(8, 0), time(21, 0), time(8, 0), False),
        (time(20, 59), time(21, 0), time(8, 0), False),
        (time(13, 30), time(13, 0), time(14, 0), True),
        (time(14, 0), time(13, 0), time(14, 0), False),
        (time(3, 0), None, None, False),
    ],
)
def test_quiet_hours_run_from_their_start_to_their_end_across_midnight(clock, start, end, quiet):
    assert in_quiet_hours(clock, start, end) is quiet


clocks = st.times().map(lambda t: t.replace(second=0, microsecond=0))


@given(clock=clocks, start=clocks, end=clocks)
def test_an_overnight_quiet_period_is_the_day_period_turned_inside_out(clock, start, end):
    if start == end:
        assert not in_quiet_hours(clock, start, end)
    else:
        # [start, end) and [end, start) cover the day exactly once between them.
        assert in_quiet_hours(clock, start, end) != in_quiet_hours(clock, end, start)


def test_nothing_is_due_before_the_patients_time_or_on_a_day_they_did_not_choose():
    weekdays = prefs(days=frozenset(range(5)))
    due = {"morning_open": False, "logged_recently": False}
    assert kinds_due(weekdays, weekday=0, clock=time(8, 59), **due) == []
    assert kinds_due(weekdays, weekday=0, clock=time(9, 0), **due) == ["session_due"]
    assert kinds_due(weekdays, weekday=5, clock=time(9, 0), **due) == []


def test_a_late_reminder_waits_out_the_quiet_hours():
    late = prefs(time_of_day=time(20, 0))
    assert kinds_due(late, weekday=2, clock=time(21, 5), morning_open=False, logged_recently=False) == []


def test_the_next_morning_reminder_can_be_turned_off_alone():
    assert kinds_due(prefs(), weekday=1, clock=time(9, 0), morning_open=True, logged_recently=True) == ["next_morning"]
    quiet_mornings = prefs(next_morning=False)
    assert kinds_due(quiet_mornings, weekday=1, clock=time(9, 0), morning_open=True, logged_recently=True) == []


def test_a_time_inside_the_quiet_hours_is_refused_naming_the_field():
    errors = reminders.preference_errors(
        reminders_on=True, days=[0], time_of_day=time(22, 30), quiet_start=time(21, 0), quiet_end=time(8, 0)
    )
    assert list(errors) == ["time_of_day"]
    assert reminders.preference_errors(
        reminders_on=True, days=[], time_of_day=time(9, 0), quiet_start=time(21, 0), quiet_end=None
    ).keys() == {"days", "quiet_end"}


# --------------------------------------------------------------------------------------------
# Who the beat picks
# --------------------------------------------------------------------------------------------


def _patient_with_plan(world, zone: str, **prefs_fields) -> Patient:
    patient = builders.make_patient(world.clinic, care_team=[world.physio], time_zone=zone, email="p@example.org")
    builders.make_active_plan(patient, world.physio, start_date=START)
    if prefs_fields:
        ReminderPreferences.objects.create(patient=patient, **prefs_fields)
    return patient


@pytest.fixture
def zones(world):
    """Three patients at 09:00 in their own zones, and one who chose weekends only."""
    return {
        "london": _patient_with_plan(world, "Europe/London"),
        "tokyo": _patient_with_plan(world, "Asia/Tokyo"),
        "new_york": _patient_with_plan(world, "America/New_York"),
        "weekends": _patient_with_plan(world, "Europe/London", days_mask=days_to_mask([5, 6])),
    }


def _picked(now: datetime) -> set[tuple[int, str, date]]:
    return set(reminders.reminders_due(now))


def test_the_beat_picks_each_patient_when_their_own_clock_reaches_their_time(zones):
    thursday = START + timedelta(days=3)
    # 09:00 UTC is 09:00 in London (GMT in November), 18:00 in Tokyo and 04:00 in New York.
    at_nine_london = datetime.combine(thursday, time(9, 0), tzinfo=UTC)
    assert _picked(at_nine_london) == {
        (zones["london"].pk, "session_due", thursday),
        (zones["tokyo"].pk, "session_due", thursday),
    }
    # 00:30 UTC is 09:30 in Tokyo on the same date, 00:30 in London (too early), and 19:30 on the
    # evening before in New York: that is Wednesday's reminder, on New York's own date.
    assert _picked(datetime.combine(thursday, time(0, 30), tzinfo=UTC)) == {
        (zones["tokyo"].pk, "session_due", thursday),
        (zones["new_york"].pk, "session_due", thursday - timedelta(days=1)),
    }
    # 14:00 UTC is 09:00 in New York (EST).
    assert (zones["new_york"].pk, "session_due", thursday) in _picked(
        datetime.combine(thursday, time(14, 0), tzinfo=UTC)
    )


def test_a_patient_who_chose_weekends_is_picked_on_saturday_only(zones):
    friday, saturday = START + timedelta(days=4), START + timedelta(days=5)
    ten = time(10, 0)
    assert zones["weekends"].pk not in {pk for pk, _, _ in _picked(datetime.combine(friday, ten, tzinfo=UTC))}
    assert zones["weekends"].pk in {pk for pk, _, _ in _picked(datetime.combine(saturday, ten, tzinfo=UTC))}


def test_nobody_is_picked_in_their_quiet_hours_or_with_reminders_off(zones):
    thursday = START + timedelta(days=3)
    Patient.objects.filter(pk=zones["tokyo"].pk).update(reminders_opt_out=True)
    # 22:00 UTC: 22:00 in London, inside the default quiet hours (21:00-08:00).
    late = _picked(datetime.combine(thursday, time(22, 0), tzinfo=UTC))
    assert {pk for pk, _, _ in late} == {zones["new_york"].pk}  # 17:00 in New York


def test_a_patient_who_logged_yesterday_is_asked_about_their_pain_this_morning(world):
    patient = world.patient
    plan = builders.make_active_plan(patient, world.physio, start_date=START)
    day = START + timedelta(days=2)
    with time_machine.travel(datetime.combine(day, time(18, 0), tzinfo=UTC), tick=False):
        checkin_record(actor=world.patient_user, plan=plan, idempotency_key="k", date=day, pain_during=1, pain_after=1)
    next_day = day + timedelta(days=1)
    assert _picked(datetime.combine(next_day, time(9, 0), tzinfo=UTC)) == {(patient.pk, "next_morning", next_day)}


def test_a_sent_reminder_is_not_picked_again_that_day(zones):
    thursday = START + timedelta(days=3)
    now = datetime.combine(thursday, time(9, 0), tzinfo=UTC)
    assert reminders.reminder_send(patient_id=zones["london"].pk, kind="session_due", day=thursday, now=now)
    later = _picked(now + timedelta(minutes=5))
    assert zones["london"].pk not in {pk for pk, _, _ in later}
    assert zones["tokyo"].pk in {pk for pk, _, _ in later}


def test_the_beat_task_queues_one_reminder_each_and_a_second_run_sends_nothing(zones):
    thursday = START + timedelta(days=3)
    with time_machine.travel(datetime.combine(thursday, time(9, 0), tzinfo=UTC), tick=False):
        assert tasks.send_daily_reminders() == 2  # London and Tokyo, run inline (eager)
        assert tasks.send_daily_reminders() == 0
    assert len(mail.outbox) == 2
    assert ReminderDelivery.objects.filter(day=thursday, channel="email").count() == 2


# --------------------------------------------------------------------------------------------
# Sending one, once
# --------------------------------------------------------------------------------------------


@pytest.fixture
def helen(world):
    world.patient.email = "helen@example.org"
    world.patient.save()
    return world.patient


TEN_AM = datetime(2026, 11, 5, 10, 0, tzinfo=UTC)


def test_a_reminder_sent_twice_goes_once(helen):
    day = TEN_AM.date()
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=day, now=TEN_AM) == "email"
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=day, now=TEN_AM) is None
    # Another kind the same day is its own reminder.
    assert reminders.reminder_send(patient_id=helen.pk, kind="next_morning", day=day, now=TEN_AM) == "email"
    assert len(mail.outbox) == 2
    assert "Reminders page" in mail.outbox[0].body


def test_a_retried_task_sends_nothing_more(helen):
    with time_machine.travel(TEN_AM, tick=False):
        tasks.remind_patient.apply(args=[helen.pk, "session_due", "2026-11-05"], task_id="first")
        tasks.remind_patient.apply(args=[helen.pk, "session_due", "2026-11-05"], task_id="retry-with-new-id")
    assert len(mail.outbox) == 1


def test_a_failed_send_releases_its_claim_so_the_retry_sends_it(helen, monkeypatch):
    sent = EmailBackend.send_messages
    monkeypatch.setattr(EmailBackend, "send_messages", lambda self, messages: (_ for _ in ()).throw(OSError("smtp")))
    with pytest.raises(OSError):
        reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM)
    assert not ReminderDelivery.objects.exists()
    monkeypatch.setattr(EmailBackend, "send_messages", sent)
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM)
    assert len(mail.outbox) == 1


def test_a_claim_left_by_a_dead_worker_is_taken_over_once_stale(helen, settings):
    day = TEN_AM.date()
    ReminderDelivery.objects.create(patient=helen, day=day, kind="session_due", claimed_at=TEN_AM)
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=day, now=TEN_AM) is None
    later = TEN_AM + timedelta(seconds=settings.DELIVERY_CLAIM_TIMEOUT + 1)
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=day, now=later) == "email"
    assert len(mail.outbox) == 1


def test_a_task_that_runs_into_quiet_hours_sends_nothing_and_claims_nothing(helen):
    night = datetime(2026, 11, 5, 22, 30, tzinfo=UTC)
    with pytest.raises(reminders.QuietHours) as quiet:
        reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=night.date(), now=night)
    assert quiet.value.seconds == int(timedelta(hours=9, minutes=30).total_seconds())  # until 08:00
    assert not ReminderDelivery.objects.exists()
    assert mail.outbox == []


def test_the_beats_task_in_quiet_hours_leaves_it_to_the_next_beat(helen):
    with time_machine.travel(datetime(2026, 11, 5, 22, 30, tzinfo=UTC), tick=False):
        assert tasks.remind_patient.apply(args=[helen.pk, "session_due", "2026-11-05"]).get() is False
    assert mail.outbox == []


def test_the_weekly_no_session_reminder_comes_on_any_day_the_patient_did_not_choose(helen):
    ReminderPreferences.objects.create(patient=helen, days_mask=days_to_mask([0]))  # Mondays only
    thursday = TEN_AM.date()
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=thursday, now=TEN_AM) is None
    assert reminders.reminder_send(patient_id=helen.pk, kind="no_checkins", day=thursday, now=TEN_AM) == "email"
    assert "not seen a session from you this week" in mail.outbox[0].body


def test_yesterdays_reminder_retried_today_is_dropped(helen):
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=date(2026, 11, 4), now=TEN_AM) is None
    assert mail.outbox == []


def test_reminders_off_means_none_at_all(helen):
    Patient.objects.filter(pk=helen.pk).update(reminders_opt_out=True)
    assert reminders.reminder_send(patient_id=helen.pk, kind="session_due", day=TEN_AM.date(), now=TEN_AM) is None
    assert mail.outbox == []


def test_defaults_are_every_day_at_nine_quiet_at_night():
    assert prefs() == DEFAULT_PREFERENCES
