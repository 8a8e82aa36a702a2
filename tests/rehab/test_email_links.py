"""Every link in every email the product sends leads to the page it means.

Each email is rendered for real (through the service that sends it, into mail.outbox) with the
site's address set to one that is not the default, and every http(s) link in it is checked: it starts
with SITE_URL, and its path resolves (django.urls.resolve) to the intended view with the intended
arguments. The text message of a sign-in link is checked the same way. A last test reads the code
by AST, so an email added later without a case here fails it.
"""

import ast
import re
from datetime import date, timedelta
from pathlib import Path

import pytest
import time_machine
from django.core import mail
from django.urls import resolve

from rehab import sms
from rehab.models import ActivationLink, Alert, AlertKind, ReminderChannel, ReminderKind
from rehab.services.alerts import alert_email
from rehab.services.checkins import checkin_record
from rehab.services.notifications import plan_pdf_send
from rehab.services.progression import plan_progress
from rehab.services.reminders import reminder_send
from tests import builders
from tests.conftest import client_for

SITE = "https://rehab.example.org"
URL = re.compile(r"https?://[^\s<>\"']+")
REPO_ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def _site(settings):
    settings.SITE_URL = SITE
    settings.SMS_BACKEND = "rehab.sms.LocMemBackend"
    sms.outbox.clear()
    mail.outbox.clear()
    yield
    sms.outbox.clear()


def links(text: str) -> list[str]:
    return [url.rstrip(".,;:)") for url in URL.findall(text)]


def destinations(text: str) -> list[tuple[str, dict]]:
    """(view name, arguments) of every link in the text; each must be on the site's own address."""
    found = []
    for url in links(text):
        assert url.startswith(SITE + "/"), f"{url} is not built on SITE_URL"
        match = resolve(url.removeprefix(SITE).split("#", 1)[0].split("?", 1)[0])
        found.append((match.view_name, match.kwargs))
    return found


def only_message(subject: str):
    messages = [m for m in mail.outbox if m.subject == subject]
    assert len(messages) == 1, [m.subject for m in mail.outbox]
    return messages[0]


def test_the_link_reader_finds_every_link_and_a_wrong_address_fails():
    text = f"Open {SITE}/login/.\nOr {SITE}/patients/7/, then http://127.0.0.1:8000/login/"

    assert links(text) == [f"{SITE}/login/", f"{SITE}/patients/7/", "http://127.0.0.1:8000/login/"]
    with pytest.raises(AssertionError, match="not built on SITE_URL"):
        destinations(text)


def test_a_link_to_a_page_that_does_not_exist_fails_to_resolve():
    from django.urls import Resolver404

    with pytest.raises(Resolver404):
        destinations(f"{SITE}/clinician/patients/7/")


def test_the_care_team_alert_email_leads_to_the_patients_staff_page(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=date.today() - timedelta(days=3))
    alert = Alert.objects.create(
        patient=world.patient, plan=plan, kind=AlertKind.RED_FLAG, urgent=True, message="Chest pain"
    )

    assert alert_email(alert_id=alert.pk) is True

    (message,) = mail.outbox
    assert destinations(message.body) == [("frontend:patient", {"patient_id": world.patient.pk})]


@pytest.mark.parametrize("channel", ["email", "sms"])
def test_the_sign_in_link_leads_to_the_activation_page_with_its_token(
    world, django_capture_on_commit_callbacks, channel
):
    contact = {"email": "ann@example.org"} if channel == "email" else {"phone": "+447700900123"}
    patient = builders.make_patient(world.clinic, care_team=[world.physio], **contact)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(world.physio).post(f"/api/v1/patients/{patient.pk}/activation/", {}, format="json")
    assert response.status_code == 201, response.content

    texts = [m.body for m in mail.outbox] + [m.body for m in sms.outbox]
    assert len(texts) == 1
    ((view_name, kwargs),) = destinations(texts[0])
    assert view_name == "frontend:activate"
    assert kwargs["token"]
    assert ActivationLink.objects.get(patient=patient).delivered_at is not None


@pytest.mark.parametrize("kind", [ReminderKind.SESSION_DUE, ReminderKind.NEXT_MORNING, ReminderKind.NO_CHECKINS])
def test_a_reminder_email_leads_to_the_patients_reminders_page(world, kind):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], email="ann@example.org")

    # Thursday 10:00 where the patient is (UTC): a reminder day, outside the default quiet hours.
    with time_machine.travel("2026-11-05T10:00:00Z", tick=False):
        channel = reminder_send(patient_id=patient.pk, kind=kind)

    assert channel == ReminderChannel.EMAIL
    assert destinations(only_message("Your exercise plan").body) == [("frontend:reminders", {})]


def test_the_plan_pdf_email_has_no_link(world):
    world.patient.email = "pat@example.org"
    world.patient.save()
    plan = builders.make_active_plan(world.patient, world.physio)

    assert plan_pdf_send(plan_id=plan.pk) is True

    assert destinations(only_message("Your exercise plan").body) == []


def test_the_weekly_plan_change_email_has_no_link(world, django_capture_on_commit_callbacks):
    start = date(2026, 11, 2)
    world.patient.email = "pat@example.org"
    world.patient.save()
    plan = builders.make_active_plan(world.patient, world.physio, start_date=start)
    for n in range(6):
        day = start + timedelta(days=n)
        with time_machine.travel(day + timedelta(hours=12), tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"w1-{n}",
                date=day,
                pain_during=1,
                pain_after=1,
                pain_next_morning=1,
                session_rpe=11,
                items=[{"plan_item": item, "done": True} for item in plan.items.all()],
            )
    mail.outbox.clear()

    with time_machine.travel(date(2026, 11, 10), tick=False), django_capture_on_commit_callbacks(execute=True):
        plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 10))

    assert destinations(only_message("Your exercise plan this week").body) == []


# The functions that send email, and the test above that renders each one. A new email fails the
# test below until it has a case here (and a test of its links).
EMAILS_RENDERED = {
    ("rehab/services/notifications.py", "activation_link_send"): "the sign-in link",
    ("rehab/services/notifications.py", "care_team_alert_send"): "the care team alert",
    ("rehab/services/notifications.py", "plan_pdf_send"): "the plan PDF",
    ("rehab/services/notifications.py", "plan_change_send"): "the weekly plan change",
    ("rehab/services/reminders.py", "_deliver"): "the reminder",
}
MAIL_SENDERS = {"send_mail", "send_mass_mail", "mail_admins", "mail_managers", "EmailMessage", "EmailMultiAlternatives"}


def functions_that_send_email() -> set[tuple[str, str]]:
    found = set()
    for package in ("rehab", "frontend"):
        for path in (REPO_ROOT / package).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            tree = ast.parse(path.read_text(encoding="utf-8"))
            for function in ast.walk(tree):
                if not isinstance(function, ast.FunctionDef | ast.AsyncFunctionDef):
                    continue
                for node in ast.walk(function):
                    if isinstance(node, ast.Call) and _called_name(node) in MAIL_SENDERS:
                        found.add((str(path.relative_to(REPO_ROOT)), function.name))
    return found


def _called_name(call: ast.Call) -> str:
    function = call.func
    return function.attr if isinstance(function, ast.Attribute) else getattr(function, "id", "")


def test_every_function_that_sends_email_has_its_links_checked_here():
    assert functions_that_send_email() == set(EMAILS_RENDERED)
