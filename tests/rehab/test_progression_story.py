"""A worked story over seven weeks, with the clock moved by time-machine.

Three good weeks advance; a pain flare holds, then a red week regresses; a red flag pauses at
once and alerts the care team; a resume continues from the held dose.
"""

from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.core.management import call_command

from planner.limits import check_dose
from rehab.models import Alert, AlertKind, PlanStatus, ProgressionDecision
from rehab.services import plans as plan_services
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan
from rehab.services.progression import plan_progress
from tests import builders

START = date(2026, 11, 2)  # a Monday


def _week_days(week: int, count: int) -> list[date]:
    first = START + timedelta(days=7 * (week - 1))
    return [first + timedelta(days=n) for n in range(count)]


def _log_week(world, plan, week, *, during=1, after=2, morning=3, rpe=11, count=None, red_flags=()):
    engine = engine_plan(plan)
    sessions = count or max(d.dose.frequency_per_week for d in engine.weeks[week - 1].doses)
    items = list(plan.items.all())
    for n, day in enumerate(_week_days(week, sessions)):
        with time_machine.travel(day + timedelta(hours=30), tick=False):  # logged the next morning
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"w{week}-{n}",
                date=day,
                pain_during=during,
                pain_after=after,
                pain_next_morning=morning,
                session_rpe=rpe,
                items=[{"plan_item": item, "done": True} for item in items],
                red_flags=list(red_flags) if n == 0 else [],
            )


def _decide(plan, week):
    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=7 * week + 1))  # the day after the grace day
    return ProgressionDecision.objects.get(plan=plan, week=week)


def _doses(plan, week):
    plan.refresh_from_db()
    return {d.exercise_slug: d.dose for d in engine_plan(plan).weeks[week - 1].doses}


def _volume(doses):
    return sum(dose.volume_per_week for dose in doses.values())


@pytest.fixture
def plan(world):
    with time_machine.travel(START, tick=False):
        return builders.make_active_plan(world.patient, world.physio, start_date=START, pain_at_rest=3)


def _assert_within_limits(plan):
    plan.refresh_from_db()
    engine = engine_plan(plan)
    for week in engine.weeks:
        for scheduled in week.doses:
            assert check_dose(scheduled.dose, engine.limits) == []


def test_the_whole_story(world, plan, django_capture_on_commit_callbacks):
    # Three good weeks: green light, full adherence, effort on target -> advance each time.
    for week in (1, 2, 3):
        _log_week(world, plan, week)
        decision = _decide(plan, week)
        assert decision.action == "advance", decision.reasons
        assert decision.light == "green"
        assert any(change["variable"] for change in decision.changes.values())
        assert decision.reasons
        assert all(reason["rule_id"] for reason in decision.reasons)
    _assert_within_limits(plan)

    # A pain flare: amber (pain 4-5 during exercise) -> hold: next week's doses equal this week's.
    before = _doses(plan, 4)
    _log_week(world, plan, 4, during=4, after=4, morning=2)
    decision = _decide(plan, 4)
    assert decision.action == "hold"
    assert decision.light == "amber"
    assert _doses(plan, 5) == before

    # Next-morning pain not settled (2 above the pain at rest) -> red -> regress.
    _log_week(world, plan, 5, during=2, after=3, morning=5)
    decision = _decide(plan, 5)
    assert decision.action == "regress"
    assert decision.light == "red"
    assert _volume(_doses(plan, 6)) < _volume(_doses(plan, 5))
    assert plan.status == PlanStatus.ACTIVE
    _assert_within_limits(plan)

    # A red flag pauses at once and alerts the care team (before any weekly decision).
    held = _doses(plan, 6)
    with django_capture_on_commit_callbacks(execute=True):
        _log_week(world, plan, 6, count=1, red_flags=["chest_pain"])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.PAUSED
    alert = Alert.objects.get(kind=AlertKind.RED_FLAG)
    assert alert.urgent
    assert any("Chest pain" in message.body for message in mail.outbox)

    # The weekly decision of a paused plan records the pause and changes no dose.
    decision = _decide(plan, 6)
    assert decision.action == "pause_for_review"
    assert _doses(plan, 7) == held

    # The clinician resumes with a reason; the plan continues from the held dose.
    plan.refresh_from_db()
    with time_machine.travel(START + timedelta(days=44), tick=False):
        plan_services.plan_resume(
            actor=world.clinician, plan=plan, version=plan.version, reason="Chest pain was reflux; ECG normal"
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    assert _doses(plan, 7) == held
    reasons = [row.history_change_reason for row in plan.history.all()]
    assert any(reason.startswith("Resumed: Chest pain was reflux") for reason in reasons)


def test_a_week_without_checkins_holds_and_reminds_the_patient(world, plan, django_capture_on_commit_callbacks):
    before = _doses(plan, 1)
    with django_capture_on_commit_callbacks(execute=True), time_machine.travel(START + timedelta(days=8)):
        decision = _decide(plan, 1)
    assert decision.action == "hold"
    assert decision.remind_patient
    assert _doses(plan, 2) == before
    assert Alert.objects.filter(kind=AlertKind.NO_CHECKINS).count() == 1


def test_running_the_sweep_twice_gives_one_decision_per_plan_week(world, plan):
    _log_week(world, plan, 1)
    _log_week(world, plan, 2)
    call_command("progress_plans", "--as-of=2026-11-17", verbosity=0)
    version = plan.__class__.objects.get(pk=plan.pk).version
    call_command("progress_plans", "--as-of=2026-11-17", verbosity=0)
    call_command("progress_plans", "--as-of=2026-11-17", f"--plan={plan.pk}", verbosity=0)
    assert list(ProgressionDecision.objects.filter(plan=plan).values_list("week", flat=True)) == [1, 2]
    assert plan.__class__.objects.get(pk=plan.pk).version == version


def test_a_week_that_has_not_ended_is_not_decided(world, plan):
    _log_week(world, plan, 1)
    assert plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=7)) == []  # Sunday's morning pain is due
    assert not ProgressionDecision.objects.exists()


def test_an_overridden_dose_survives_a_good_week_and_a_regress_brings_it_back_within_limits(world, plan):
    from planner.limits import check_dose

    item = plan.items.get(exercise__slug=engine_plan(plan).items[0].slug)
    plan.refresh_from_db()
    governing = engine_plan(plan).weeks[0].dose_for(item.exercise.slug).dose.intensity[0]
    with time_machine.travel(START, tick=False):
        plan_services.plan_item_update(
            actor=world.physio,
            plan=plan,
            item=item,
            version=plan.version,
            changes={"intensity_high": governing.high + 6},
            override_reason="Supervised sessions in the gym",
        )
    slug = item.exercise.slug
    overridden = _doses(plan, 1)[slug]
    assert check_dose(overridden, engine_plan(plan).limits)  # above a limit, on purpose

    _log_week(world, plan, 1)
    assert _decide(plan, 1).action == "advance"
    assert _doses(plan, 2)[slug] == overridden  # held where the physiotherapist put it

    _log_week(world, plan, 2, during=2, after=3, morning=6)
    assert _decide(plan, 2).action == "regress"
    assert check_dose(_doses(plan, 3)[slug], engine_plan(plan).limits) == []
