"""After each weekly decision the patient is told what changed and why: once per (plan, week)."""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail

from rehab import tasks
from rehab.documents import change_note_for_week, plan_pdf_document
from rehab.models import OutboxMessage, ProgressionDecision
from rehab.services.checkins import checkin_record
from rehab.services.notifications import PLAN_CHANGE_CLAIM
from rehab.services.plans import engine_plan
from rehab.services.progression import plan_progress
from tests import builders

START = date(2026, 11, 2)


def _log_green_week(world, plan, week=1):
    first = START + timedelta(days=7 * (week - 1))
    for n in range(6):
        day = first + timedelta(days=n)
        with time_machine.travel(day + timedelta(hours=12), tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"w{week}-{n}",
                date=day,
                pain_during=1,
                pain_after=1,
                pain_next_morning=1,
                session_rpe=11,
                items=[{"plan_item": item, "done": True} for item in plan.items.all()],
            )


@pytest.fixture
def plan(world):
    world.patient.email = "pat@example.org"
    world.patient.save()
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def _decide(plan, as_of, capture):
    with time_machine.travel(as_of, tick=False), capture(execute=True):
        return plan_progress(plan_id=plan.pk, as_of=as_of)


def test_a_decision_emails_the_patient_once_with_the_words_of_the_change_and_the_new_sheet(
    world, plan, django_capture_on_commit_callbacks
):
    _log_green_week(world, plan)
    mail.outbox.clear()

    (decision,) = _decide(plan, date(2026, 11, 10), django_capture_on_commit_callbacks)

    messages = [m for m in mail.outbox if m.subject == "Your exercise plan this week"]
    assert len(messages) == 1
    body = messages[0].body
    lines = change_note_for_week(plan, engine_plan(plan), 2)
    assert lines
    for line in lines:
        assert line in body
    assert "because" in body
    assert messages[0].attachments[0][2] == "application/pdf"
    assert PLAN_CHANGE_CLAIM in ProgressionDecision.objects.get(pk=decision.pk).carry


def test_running_the_task_again_sends_nothing_more(world, plan, django_capture_on_commit_callbacks):
    _log_green_week(world, plan)
    (decision,) = _decide(plan, date(2026, 11, 10), django_capture_on_commit_callbacks)
    sent = len(mail.outbox)

    assert tasks.email_plan_change(decision.pk) is False
    assert tasks.email_plan_change(decision.pk) is False
    assert len(mail.outbox) == sent
    assert OutboxMessage.objects.filter(task_name="rehab.tasks.email_plan_change").count() == 1


def test_a_held_week_says_why(world, plan, django_capture_on_commit_callbacks):
    mail.outbox.clear()

    _decide(plan, date(2026, 11, 10), django_capture_on_commit_callbacks)  # no check-ins: held

    (message,) = [m for m in mail.outbox if m.subject == "Your exercise plan this week"]
    assert "stays the same because no session was logged last week" in message.body


def test_a_patient_without_email_gets_no_message_but_the_today_words_exist(world, django_capture_on_commit_callbacks):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    _log_green_week(world, plan)
    mail.outbox.clear()

    _decide(plan, date(2026, 11, 10), django_capture_on_commit_callbacks)

    assert not [m for m in mail.outbox if m.subject == "Your exercise plan this week"]
    assert not OutboxMessage.objects.filter(task_name="rehab.tasks.email_plan_change").exists()
    assert change_note_for_week(plan, engine_plan(plan), 2)


def test_the_sheet_after_a_decision_shows_the_new_week_and_what_changed(
    world, plan, django_capture_on_commit_callbacks
):
    _log_green_week(world, plan)
    _decide(plan, date(2026, 11, 10), django_capture_on_commit_callbacks)
    plan.refresh_from_db()

    with time_machine.travel(date(2026, 11, 10), tick=False):
        document = plan_pdf_document(plan)

    assert [week.number for week in document.weeks] == [2, 3]
    assert document.changes == change_note_for_week(plan, engine_plan(plan), 2)
    engine = engine_plan(plan)
    decided = ProgressionDecision.objects.get(plan=plan, week=1).doses_after
    first = engine.items[0].slug
    assert engine.weeks[1].dose_for(first).dose.frequency_per_week == decided[first]["frequency_per_week"]
