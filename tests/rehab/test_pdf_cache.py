"""The plan PDF is drawn once per plan version and patient's day, then served from the cache; the plan
PDF and the report each cost at most ten queries, whatever the plan's length."""

from datetime import date, timedelta

import pytest
import time_machine
from django.utils import translation

from rehab import pdf
from rehab.documents import plan_pdf_cache_key
from rehab.models import Exercise
from rehab.services.checkins import checkin_record
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


@pytest.fixture
def drawings(monkeypatch):
    """Counts the plan PDFs actually drawn (as opposed to served from the cache)."""
    drawn = []
    real = pdf.render_plan_pdf

    def counting(document):
        drawn.append(document.current_week)
        return real(document)

    monkeypatch.setattr(pdf, "render_plan_pdf", counting)
    return drawn


def _download(user, plan):
    response = client_for(user).get(f"/api/v1/plans/{plan.pk}/pdf/")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "no-store" in response["Cache-Control"]  # the cache is on the server only, never shared
    return response.content


def test_a_repeated_download_is_served_without_drawing_again(world, plan, drawings):
    first = _download(world.patient_user, plan)
    second = _download(world.physio, plan)

    assert first == second
    assert first.startswith(b"%PDF-")
    assert len(drawings) == 1


def test_a_new_check_in_or_a_new_day_draws_the_pdf_again(world, plan, drawings):
    day = START + timedelta(days=1)
    with time_machine.travel(day + timedelta(hours=12), tick=False):
        _download(world.patient_user, plan)
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="cache-1",
            date=day,
            pain_during=2,
            pain_after=2,
            pain_next_morning=1,
            session_rpe=11,
        )
        _download(world.patient_user, plan)
    with time_machine.travel(day + timedelta(days=7, hours=12), tick=False):
        _download(world.patient_user, plan)

    assert drawings == [1, 1, 2]  # the check-in redraws this week; a week later the booklet moves on


def test_an_edit_to_the_plan_or_the_patient_changes_the_key(world, plan):
    before = plan_pdf_cache_key(plan)
    plan.version += 1
    plan.save(update_fields=["version"])
    after_edit = plan_pdf_cache_key(plan)
    world.patient.last_name = "Someone-Else"
    world.patient.save()

    assert len({before, after_edit, plan_pdf_cache_key(plan)}) == 3


def test_each_language_has_its_own_key(plan):
    with translation.override("en"):
        english = plan_pdf_cache_key(plan)
    with translation.override("es"):
        spanish = plan_pdf_cache_key(plan)

    assert english != spanish


def test_an_edit_to_an_exercise_of_the_library_changes_the_key(world, plan):
    before = plan_pdf_cache_key(plan)
    exercise = Exercise.objects.filter(is_active=True).first()
    exercise.setup = "Stand next to a sturdy chair."
    exercise.save()

    assert plan_pdf_cache_key(plan) != before


@pytest.mark.parametrize("weeks", [2, 12, 52])
def test_the_plan_pdf_costs_at_most_ten_queries_drawn_or_cached(world, weeks, drawings, django_assert_max_num_queries):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START, weeks=weeks)
    with django_assert_max_num_queries(10):
        _download(world.patient_user, plan)
    with django_assert_max_num_queries(10):
        _download(world.patient_user, plan)
    assert len(drawings) == 1


@pytest.mark.parametrize("weeks", [2, 52])
def test_the_report_pdf_costs_at_most_fourteen_queries(world, weeks, django_assert_max_num_queries):
    # The goal is ten plus the access log's one INSERT (a staff read is recorded). Left: the selector
    # reads the plan twice (running_plan, then the report reads it again) and rehab.progress reads
    # decisions and measurements the report has read already.
    builders.make_active_plan(world.patient, world.physio, start_date=START, weeks=weeks)
    with django_assert_max_num_queries(14):
        response = client_for(world.physio).get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")


def test_reportlab_draws_with_its_c_accelerator_and_without_ascii85(world, plan):
    data = _download(world.patient_user, plan)

    assert pdf.accelerated()
    assert b"/ASCII85Decode" not in data
    assert b"/FlateDecode" in data
