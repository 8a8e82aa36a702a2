"""Sessions planned and done for every week that has started: the planned line does not stop at the
last decided week, the report's summary counts every ended week, and an overridden dose's progression
text does not name a ceiling the dose has passed."""

from datetime import date, timedelta

import time_machine

from frontend.templatetags.staff_plan import progression_text
from rehab.adherence import adherence_rows, sessions_planned_in, weeks_started
from rehab.documents import report_pdf_document
from rehab.progress import plan_progress_series
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan
from tests import builders

START = date(2026, 11, 2)
TODAY = "2026-11-18 10:00"  # day 17: weeks 1 and 2 have ended, week 3 is under way; nothing decided yet


def _log(world, plan, day):
    checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key=f"k-{day}",
        date=day,
        pain_during=1,
        pain_after=1,
        items=[{"plan_item": plan.items.first(), "done": True}],
        session_rpe=11,
    )


def test_weeks_started_counts_the_week_under_way_and_stops_at_the_plan_end():
    assert weeks_started(START, 12, START - timedelta(days=1)) == 0
    assert weeks_started(START, 12, START) == 1
    assert weeks_started(START, 12, START + timedelta(days=16)) == 3
    assert weeks_started(START, 4, START + timedelta(days=100)) == 4


@time_machine.travel(TODAY, tick=False)
def test_the_planned_line_covers_every_started_week_not_only_decided_ones(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    _log(world, plan, START + timedelta(days=8))
    engine = engine_plan(plan)

    rows = plan_progress_series(plan)["adherence"]

    assert [row["week"] for row in rows] == [1, 2, 3]
    assert [row["planned"] for row in rows] == [sessions_planned_in(engine.weeks[n]) for n in range(3)]
    assert all(row["planned"] > 0 for row in rows)
    assert [row["done"] for row in rows] == [0, 1, 0]


@time_machine.travel(TODAY, tick=False)
def test_a_decided_week_keeps_the_number_its_decision_judged(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    engine = engine_plan(plan)

    rows = adherence_rows(plan=plan, decided={1: 2}, logged={2: 3}, today=date(2026, 11, 18), engine=engine)

    assert rows[0] == {"week": 1, "planned": 2, "done": 0}
    assert rows[1] == {"week": 2, "planned": sessions_planned_in(engine.weeks[1]), "done": 3}


@time_machine.travel(TODAY, tick=False)
def test_the_reports_summary_counts_every_ended_week_and_says_the_week_under_way(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    for day in (START + timedelta(days=1), START + timedelta(days=9), START + timedelta(days=15)):
        _log(world, plan, day)
    engine = engine_plan(plan)
    planned = sessions_planned_in(engine.weeks[0]) + sessions_planned_in(engine.weeks[1])

    report = report_pdf_document(plan)
    summary = " ".join(report.summary)

    assert f"Sessions done: 2 of {planned} planned" in summary
    assert "in weeks 1-2" in summary
    assert f"Week 3, under way: 1 of {sessions_planned_in(engine.weeks[2])} planned sessions done so far." in summary
    assert report.adherence_chart.categories == ("W1", "W2", "W3")


def _item(ceiling=20):
    return {
        "component": "aerobic",
        "exercise": {"dose_kind": "duration"},
        "progression": {
            "steps": [{"variable": "minutes", "increment": 1, "every_weeks": 1, "ceiling": ceiling}],
            "max_weekly_growth_pct": 10,
            "growth_measure": "minutes a week",
        },
    }


def test_an_overridden_dose_is_said_held_not_growing_to_a_ceiling_it_passed():
    text = progression_text(_item(), {"minutes": 25})

    assert "held at 25" in text
    assert "up to 20" not in text


def test_a_dose_within_its_ceiling_still_reads_its_steps():
    assert "Minutes +1 a week up to 20" in progression_text(_item(), {"minutes": 12})
    assert "Minutes +1 a week up to 20" in progression_text(_item())
