"""The two PDFs through the API: who may download them, what they say, and what they cost."""

import io
from datetime import date, timedelta

import pytest
import time_machine
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from rehab.models import PlanStatus
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)


def _text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    return "\n".join(page.extract_text() for page in reader.pages)


@pytest.fixture
def plan(world):
    world.patient.first_name, world.patient.last_name = "Zoë <O'Brien> &", "Łukasz"
    world.patient.save()
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def _log_weeks(world, plan, weeks):
    for n in range(weeks * 3):
        day = START + timedelta(days=n * 2)
        with time_machine.travel(day + timedelta(hours=12), tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"k{n}",
                date=day,
                pain_during=n % 4,
                pain_after=(n + 1) % 5,
                pain_next_morning=2,
                session_rpe=11,
            )


def test_the_patient_downloads_their_plan_and_it_says_what_the_limits_say(world, plan):
    response = client_for(world.patient_user).get(f"/api/v1/plans/{plan.pk}/pdf/")

    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.pdf"')
    # An exercise's name may wrap beside its figure: compare with single spaces.
    text = " ".join(_text(response).split())
    assert "Zoë <O'Brien> & Łukasz" in text
    assert world.clinic.phone in text
    engine = engine_plan(plan)
    _low, high = engine.limits.aerobic.hr_zone_bpm
    # An estimated HRmax: the zone's top as a ceiling, effort governs (no band narrower than its error).
    assert f"keep your heart rate below {high}" in " ".join(text.split())
    for item in engine.items:
        assert item.exercise.name in text
    assert "Chest pain" in text
    assert "does not replace" in text


def test_the_report_pdf_carries_decisions_and_rules(world, plan):
    _log_weeks(world, plan, 2)
    from rehab.services.progression import plan_progress

    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=15))
    response = client_for(world.clinician).get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    assert response.status_code == 200
    text = _text(response)
    assert "Zoë <O'Brien> & Łukasz" in text
    assert "Week 1" in text or "week 1" in text
    assert "inflammation" in text.lower()
    flat = " ".join(text.split())
    assert "Where twelve good weeks should get to" in flat
    assert "Aerobic work aims at 150 minutes a week" in flat


def test_the_report_pdf_shows_where_it_hurt_and_the_vital_signs(world, plan):
    day = START + timedelta(days=1)
    with time_machine.travel(day + timedelta(hours=12), tick=False):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="vitals",
            date=day,
            pain_during=3,
            pain_after=3,
            session_rpe=11,
            pain_regions=["calcified_area"],
            heart_rate_avg=101,
            heart_rate_max=118,
            spo2_min=95,
        )
    text = " ".join(_text(client_for(world.clinician).get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")).split())
    assert "Where it hurt, vital signs and supervised sessions" in text
    assert "The hard lump (calcified area)" in text
    assert "101 / 118" in text
    assert "95 %" in text


ACCESS = [
    # (who, plan pdf, report pdf)
    ("physio", 200, 200),
    ("clinician", 200, 200),
    ("patient_user", 200, 404),
    ("other_patient_user", 404, 404),
    ("outsider_physio", 404, 404),
    ("foreign_physio", 404, 404),
    ("admin", 404, 404),
]


@pytest.mark.parametrize(("who", "plan_status", "report_status"), ACCESS)
def test_each_role_gets_exactly_the_pdfs_it_may_see(world, plan, who, plan_status, report_status):
    client = client_for(getattr(world, who))
    assert client.get(f"/api/v1/plans/{plan.pk}/pdf/").status_code == plan_status
    assert client.get(f"/api/v1/patients/{world.patient.pk}/report/pdf/").status_code == report_status


def test_a_patient_cannot_download_a_draft(world):
    builders.make_assessment(world.patient, by=world.physio)
    from rehab.services.plans import plan_generate

    draft = plan_generate(actor=world.physio, patient=world.patient, start_date=START, weeks=4)
    assert draft.status == PlanStatus.DRAFT
    assert client_for(world.patient_user).get(f"/api/v1/plans/{draft.pk}/pdf/").status_code == 404


def test_the_pdfs_cost_the_same_number_of_queries_whatever_the_plans_length(world):
    short = builders.make_active_plan(world.other_patient, world.outsider_physio, start_date=START, weeks=2)
    long = builders.make_active_plan(world.patient, world.physio, start_date=START, weeks=12)
    _log_weeks(world, long, 4)

    def count(client, url):
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        return len(queries)

    assert count(client_for(world.physio), f"/api/v1/plans/{long.pk}/pdf/") == count(
        client_for(world.outsider_physio), f"/api/v1/plans/{short.pk}/pdf/"
    )
    report_long = count(client_for(world.physio), f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    report_short = count(client_for(world.outsider_physio), f"/api/v1/patients/{world.other_patient.pk}/report/pdf/")
    assert report_long == report_short
    assert report_long <= 20


def test_emailing_the_plan_sends_the_pdf_after_commit(world, plan, django_capture_on_commit_callbacks):
    world.patient.email = "helen@example.org"
    world.patient.save()
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.physio).post(f"/api/v1/plans/{plan.pk}/email/")
    assert response.status_code == 202
    assert len(mail.outbox) == 1
    _name, content, mimetype = mail.outbox[0].attachments[0]
    assert mimetype == "application/pdf"
    assert content.startswith(b"%PDF")
    assert mail.outbox[0].to == ["helen@example.org"]


def test_a_patient_cannot_email_plans(world, plan):
    assert client_for(world.patient_user).post(f"/api/v1/plans/{plan.pk}/email/").status_code == 403
