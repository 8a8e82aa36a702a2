"""Alert messages and pause reasons are stored in English for the record, with their sentence as a
catalogue template beside it (rehab.stored_words): the staff pages, the dashboard, the clinician's
report and the alert email say them in the reader's language; a row written before reads as stored."""

from datetime import date

import pytest
import time_machine
from django.core import mail
from django.utils import translation

from rehab.models import Alert, AlertKind, Plan, PlanStatus, User
from rehab.services.alerts import alert_email
from rehab.services.checkins import checkin_record
from rehab.stored_words import alert_text, pause_reason_text
from tests import builders

START = date(2026, 11, 2)
DAY = date(2026, 11, 4)


@pytest.fixture(autouse=True)
def _frozen():
    with time_machine.travel("2026-11-04 10:00", tick=False):
        yield


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


@pytest.fixture
def red_session(world, plan, django_capture_on_commit_callbacks):
    """A session with chest pain and pain of 9 after it: two urgent alerts, the plan paused at once."""
    with django_capture_on_commit_callbacks(execute=True):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="red",
            date=DAY,
            pain_during=2,
            pain_after=9,
            red_flags=["chest_pain"],
        )
    plan.refresh_from_db()
    return plan


def _alert(kind) -> Alert:
    return Alert.objects.get(kind=kind)


def test_the_alerts_keep_their_english_and_read_in_spanish(world, red_session):
    name = world.patient.full_name
    red_flag, pain = _alert(AlertKind.RED_FLAG), _alert(AlertKind.PAIN_RED)

    assert red_flag.message == f"{name} reported: Chest pain or pressure (session of 2026-11-04)."
    assert pain.message == f"{name} reported pain 9/10 after (session of 2026-11-04)."
    with translation.override("es"):
        assert alert_text(red_flag) == f"{name} notificó: Dolor u opresión en el pecho (sesión del 2026-11-04)."
        assert alert_text(pain) == f"{name} notificó dolor 9/10 después (sesión del 2026-11-04)."
    assert alert_text(red_flag) == red_flag.message


def test_the_pause_reason_keeps_its_english_and_reads_in_spanish(world, red_session):
    name = world.patient.full_name

    assert red_session.status == PlanStatus.PAUSED
    assert red_session.pause_reason == (
        f"{name} reported: Chest pain or pressure (session of 2026-11-04).; "
        f"{name} reported pain 9/10 after (session of 2026-11-04)."
    )
    with translation.override("es"):
        assert pause_reason_text(red_session) == (
            f"{name} notificó: Dolor u opresión en el pecho (sesión del 2026-11-04).; "
            f"{name} notificó dolor 9/10 después (sesión del 2026-11-04)."
        )


def test_a_reason_written_before_or_rewritten_reads_as_stored(red_session):
    Plan.objects.filter(pk=red_session.pk).update(pause_reason="Waiting for the rheumatologist")
    red_session.refresh_from_db()
    old = Alert.objects.create(
        patient=red_session.patient, plan=red_session, kind=AlertKind.REVIEW, urgent=True, message="Old words"
    )

    with translation.override("es"):
        assert pause_reason_text(red_session) == "Waiting for the rheumatologist"
        assert alert_text(old) == "Old words"


def test_the_staff_patient_page_says_the_alerts_and_the_pause_in_spanish(world, red_session, client):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)

    html = client.get(f"/patients/{world.patient.pk}/").content.decode()

    assert "notificó: Dolor u opresión en el pecho (sesión del 2026-11-04)." in html
    assert "notificó dolor 9/10 después" in html
    assert "reported: Chest pain" not in html
    assert "reported pain" not in html


def test_the_alert_email_says_the_plan_was_paused_only_when_it_was(world, plan, django_capture_on_commit_callbacks):
    User.objects.filter(pk=world.physio.pk).update(language="es", email="physio@example.org")
    User.objects.filter(pk=world.clinician.pk).update(language="", email="clinician@example.org")
    with django_capture_on_commit_callbacks(execute=True):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="red",
            date=DAY,
            red_flags=["chest_pain"],
            pain_during=2,
            pain_after=2,
        )
    missed = Alert.objects.create(
        patient=world.patient,
        plan=plan,
        kind=AlertKind.NO_CHECKINS,
        urgent=False,
        message=f"{world.patient.full_name} logged no session in week 1; the dose is held and the patient reminded.",
    )
    alert_email(alert_id=missed.pk)

    bodies = {(m.to[0], m.subject.split("]")[1].split(":")[0].strip()): m.body for m in mail.outbox}
    spanish_red = bodies[("physio@example.org", "Señal de alarma notificada")]
    assert "Dolor u opresión en el pecho" in spanish_red
    assert "El plan está en pausa. Abra la página del paciente" in spanish_red
    assert "The plan has been paused." in bodies[("clinician@example.org", "Red flag reported")]
    # A missed week holds the dose: the plan is paused by the red flag, but not by this alert.
    english_missed = bodies[("clinician@example.org", "No check-ins this week")]
    assert "paused" not in english_missed
    assert "Open the patient's page to review and acknowledge" in english_missed
    assert "pausa" not in bodies[("physio@example.org", "Sin registros esta semana")]


def test_the_weekly_reviews_alert_reads_in_spanish_with_its_reasons(world, red_session):
    from rehab.services.progression import plan_progress

    with time_machine.travel("2026-11-10 10:00", tick=False):
        plan_progress(plan_id=red_session.pk, as_of=date(2026, 11, 10))
    review = _alert(AlertKind.REVIEW)

    assert review.message.startswith(f"{world.patient.full_name}: progression paused for review after week 1. ")
    with translation.override("es"):
        spanish = alert_text(review)
    assert spanish.startswith(f"{world.patient.full_name}: progresión en pausa para revisión tras la semana 1. ")
    reasons = spanish.split("semana 1. ", 1)[1]
    assert reasons
    assert reasons != review.message.split("week 1. ", 1)[1]  # the reasons are said in Spanish too
