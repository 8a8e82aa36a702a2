"""What makes the plan PDF cheap must not change it: a figure replayed from its recorded canvas calls
draws the same bytes as the drawing itself; a plan with check-ins and a weekly decision (the demo's
shape) costs at most nine queries drawn and five from the cache, whatever its length; and a
next-morning pain added to a logged session draws the PDF again (its pain chart changed)."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from reportlab import rl_config
from reportlab.pdfgen.canvas import Canvas

from planner.figures.library import default_figures
from rehab.documents import plan_pdf_cache_key
from rehab.pdf import plan as plan_booklet
from rehab.pdf.figures import figure_drawing
from rehab.services.checkins import checkin_add_next_morning, checkin_record
from rehab.services.progression import plan_progress
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)
PROTECTED = [(), ("gluteal_left", "gluteal_right"), ("lumbar_spine", "shoulder_left")]


def _page(draw) -> bytes:
    """A one-page PDF with something drawn at (40, 300), with no date or random id in it."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer)
    canvas.setFillAlpha(0.5)  # a state the figure's own alpha changes must not depend on
    draw(canvas)
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


@pytest.mark.parametrize("protected", PROTECTED)
def test_a_replayed_figure_draws_the_same_bytes_as_the_drawing(monkeypatch, protected):
    monkeypatch.setattr(rl_config, "invariant", 1)
    slugs = sorted(default_figures())
    assert slugs
    for slug in slugs:
        drawing = figure_drawing(slug, protected, width=260)
        replayed = plan_booklet._figure(slug, protected, 260)
        assert replayed.wrap(500, 800) == drawing.wrap(500, 800)
        expected = _page(lambda canvas, flowable=drawing: flowable.drawOn(canvas, 40, 300))
        assert _page(lambda canvas, flowable=replayed: flowable.drawOn(canvas, 40, 300)) == expected, slug
        # Replayed again (the recording is kept per process), it still draws the same.
        again = plan_booklet._figure(slug, protected, 260)
        assert _page(lambda canvas, flowable=again: flowable.drawOn(canvas, 40, 300)) == expected


def test_an_exercise_without_a_figure_has_none():
    assert plan_booklet._figure("no-such-exercise", (), 260) is None


def _log_and_decide(world, plan, weeks: int) -> None:
    """Three sessions a week for `weeks` weeks, each week then decided, as the demo has."""
    for week in range(weeks):
        for n, offset in enumerate((0, 2, 4)):
            day = START + timedelta(days=7 * week + offset)
            with time_machine.travel(day + timedelta(hours=12), tick=False):
                checkin_record(
                    actor=world.patient_user,
                    plan=plan,
                    idempotency_key=f"speed-{week}-{n}",
                    date=day,
                    pain_during=2,
                    pain_after=2,
                    pain_next_morning=1,
                    session_rpe=11,
                )
    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=7 * weeks))


def _queries(user, plan, django_assert_max_num_queries, most: int):
    with django_assert_max_num_queries(most) as captured:
        response = client_for(user).get(f"/api/v1/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    return len(captured)


@pytest.mark.parametrize("weeks", [12, 52])
def test_a_plan_with_check_ins_and_decisions_costs_nine_queries_drawn_and_five_cached(
    world, weeks, django_assert_max_num_queries
):
    # Supervised sessions wanted (heart and lungs to monitor): their count comes with the plan's read.
    plan = builders.make_active_plan(
        world.patient, world.physio, start_date=START, weeks=weeks, cardiopulmonary_status="monitor"
    )
    _log_and_decide(world, plan, 2)
    assert plan.decisions.count() >= 1

    drawn = _queries(world.patient_user, plan, django_assert_max_num_queries, 9)
    cached = _queries(world.patient_user, plan, django_assert_max_num_queries, 5)

    assert cached < drawn


def test_a_next_morning_pain_changes_the_key(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    day = START + timedelta(days=1)
    with time_machine.travel(day + timedelta(hours=12), tick=False):
        checkin, _created = checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="morning-1",
            date=day,
            pain_during=2,
            pain_after=3,
            pain_next_morning=None,
            session_rpe=11,
        )
    with time_machine.travel(day + timedelta(days=1, hours=9), tick=False):
        logged = plan_pdf_cache_key(plan)
        assert plan_pdf_cache_key(plan) == logged
        checkin_add_next_morning(actor=world.patient_user, checkin=checkin, pain_next_morning=4)
        assert plan_pdf_cache_key(plan) != logged
        assert " " not in plan_pdf_cache_key(plan)  # a key Django's caches take without a warning
