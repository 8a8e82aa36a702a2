"""The progress charts are built once: the staff pages and the PDF report draw the same series, points
and labels (planner.documents.charts), whatever each drawing decides about looks."""

from datetime import UTC, date, datetime

import pytest
import time_machine

from rehab.documents import report_pdf_document
from rehab.models import Measurement
from rehab.progress import plan_progress_series, progress_charts
from rehab.services.checkins import checkin_record
from tests import builders

START = date(2026, 11, 2)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel(datetime(2026, 11, 20, 12, 0, tzinfo=UTC), tick=False):
        yield


@pytest.fixture
def plan(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    for n, (day, pain, rpe) in enumerate(
        [
            (date(2026, 11, 3), (1, 2, None), 11),
            (date(2026, 11, 5), (3, 4, 2), 13),
            (date(2026, 11, 10), (2, 2, 1), None),
        ]
    ):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key=f"k{n}",
            date=day,
            pain_during=pain[0],
            pain_after=pain[1],
            pain_next_morning=pain[2],
            session_rpe=rpe,
        )
    Measurement.objects.create(
        patient=world.patient, kind="grip_left_kg", value=21.5, measured_on=date(2026, 11, 4), recorded_by=world.physio
    )
    return plan


def test_the_pages_and_the_report_chart_the_same_series_points_and_labels(plan):
    page = progress_charts(plan_progress_series(plan), plan.start_date)
    report = report_pdf_document(plan)

    assert page.pain.series == report.pain_chart.series
    assert [s.label for s in page.pain.series] == ["During", "After", "Next morning"]
    assert page.pain.series[2].points == ((date(2026, 11, 5), 2.0), (date(2026, 11, 10), 1.0))
    assert page.effort.series == report.rpe_chart.series
    assert page.effort.series[0].points == ((date(2026, 11, 3), 11.0), (date(2026, 11, 5), 13.0))
    assert page.adherence.categories == report.adherence_chart.categories == ("W1", "W2", "W3")
    assert page.adherence.series == report.adherence_chart.series
    assert [(kind, chart) for kind, chart in page.measures] == [("grip_left_kg", report.measure_charts[0])]
    assert page.week_starts == (date(2026, 11, 2), date(2026, 11, 9), date(2026, 11, 16))
