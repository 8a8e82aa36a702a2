"""What a reassessment stores and answers reads in each reader's language: the plan history's reason, the
flare's pause reason and alert, the looser-limits alert and the API's list of changes keep their English
for the record and say the same in Spanish to a Spanish reader (rehab.stored_words), on the audit trail
and the plan history pages too; an English reader reads the English."""

from datetime import date

import pytest
import time_machine
from django.utils import translation
from knox.models import AuthToken
from rest_framework.test import APIClient

from planner.reassessment import SWAP_RULE
from rehab.models import Alert, AlertKind, Plan, PlanChange, PlanStatus, User
from rehab.rule_words import rule_text
from rehab.stored_words import alert_text, pause_reason_text
from tests import builders

TODAY = date(2026, 11, 25)  # week 4 of a plan started on 2 November
MILD = {
    "inflammation_activity": "inactive",
    "bone_fragility": "none",
    "cardiopulmonary_status": "cleared",
    "heterotopic_ossification_regions": [],
}
FLARE_EN = "Flare at the reassessment of 2026-11-25: inflammation inactive → high. Progression paused for review."
FLARE_ES = (
    "Brote en la nueva valoración del 2026-11-25: nivel de inflamación: inactivo → alto. "
    "Progresión en pausa para revisión."
)

REASON_ES = "Nueva valoración del 2026-11-25: nivel de inflamación: inactivo → alto"


@pytest.fixture(autouse=True)
def _today():
    with time_machine.travel(TODAY, tick=False):
        yield


def speaking(user, language: str):
    User.objects.filter(pk=user.pk).update(language=language)
    user.refresh_from_db()
    return user


def token_client(user) -> APIClient:
    """A client that signs in with a token, as an app does: the API then answers in the login's language."""
    _row, token = AuthToken.objects.create(user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    return client


def post_assessment(user, patient, **changes):
    payload = builders.valid_assessment_payload(assessed_on=TODAY.isoformat(), **{**MILD, **changes})
    return token_client(user).post(f"/api/v1/patients/{patient.pk}/assessments/", payload, format="json")


@pytest.fixture
def flared(world, django_capture_on_commit_callbacks):
    """A mild plan, then an assessment with high inflammation posted by a Spanish-speaking physiotherapist."""
    plan = builders.make_active_plan(world.patient, world.physio, **MILD)
    with django_capture_on_commit_callbacks(execute=True):
        response = post_assessment(speaking(world.physio, "es"), world.patient, inflammation_activity="high")
    assert response.status_code == 201, response.content
    plan.refresh_from_db()
    return plan, response.json()["running_plan"]


def test_the_api_says_the_changes_in_the_callers_language(flared):
    _plan, outcome = flared
    texts = {change["kind"]: change["text"] for change in outcome["changes"]}

    assert texts["flare"] == "nivel de inflamación: inactivo → alto"
    tightened = [c["text"] for c in outcome["changes"] if c["kind"] == "limit_tightened"]
    assert "techo de impacto: alto → bajo" in tightened
    assert "inicio supervisado necesario: no → sí" in tightened
    assert any(t.startswith("techo de intensidad aeróbica: ") and t.endswith(" %HRR") for t in tightened)
    items = [c["text"] for c in outcome["changes"] if c["kind"] in ("swapped", "removed", "clamped")]
    assert items
    assert all(t.startswith(("se sustituye ", "se retira ", "se reduce la dosis de ")) for t in items)
    # The template travels with the text, so a client can keep it and say it in another language.
    assert outcome["changes"][0]["said"]["t"] == "%(what)s %(before)s → %(after)s"


def test_an_english_caller_reads_the_changes_in_english(world):
    builders.make_active_plan(world.patient, world.physio, **MILD)

    outcome = post_assessment(speaking(world.physio, "en"), world.patient, inflammation_activity="high").json()

    texts = [change["text"] for change in outcome["running_plan"]["changes"]]
    assert "inflammation inactive → high" in texts
    assert "impact ceiling high → low" in texts
    assert not any("nivel de inflamación" in text for text in texts)


def test_the_pause_reason_keeps_its_english_and_reads_in_spanish(flared):
    plan, _outcome = flared

    assert plan.status == PlanStatus.PAUSED
    assert plan.pause_reason == FLARE_EN
    with translation.override("es"):
        assert pause_reason_text(plan) == FLARE_ES
    with translation.override("en"):
        assert pause_reason_text(plan) == FLARE_EN


def test_the_flare_alert_keeps_its_english_and_reads_in_spanish(world, flared):
    alert = Alert.objects.get(kind=AlertKind.FLARE)
    name = world.patient.full_name

    assert alert.message.startswith(f"{name}: {FLARE_EN} Limits tightened at once: impact ceiling high → low;")
    assert "Exercises: " in alert.message
    with translation.override("es"):
        spanish = alert_text(alert)
    assert spanish.startswith(f"{name}: {FLARE_ES} Límites endurecidos de inmediato: techo de impacto: alto → bajo;")
    assert "Ejercicios: se sustituye " in spanish or "Ejercicios: se retira " in spanish
    assert "Limits tightened" not in spanish
    assert "replaced by" not in spanish


def test_the_looser_limits_alert_reads_in_spanish(world):
    builders.make_active_plan(world.patient, world.physio, **{**MILD, "inflammation_activity": "moderate"})

    post_assessment(world.physio, world.patient)

    alert = Alert.objects.get(kind=AlertKind.LIMITS_LOOSENED)
    name = world.patient.full_name
    assert alert.message.startswith(f"{name}: the reassessment of 2026-11-25 would allow looser limits;")
    assert "aerobic ceiling " in alert.message
    with translation.override("es"):
        spanish = alert_text(alert)
    assert spanish.startswith(f"{name}: la nueva valoración del 2026-11-25 permitiría límites más suaves;")
    assert "hasta que un clínico los aplique con un motivo (límites del plan): " in spanish
    assert "techo de intensidad aeróbica: " in spanish
    assert "aerobic ceiling" not in spanish


def test_the_history_reason_keeps_its_english_and_its_template(flared):
    plan, _outcome = flared
    row = plan.history.first()

    assert row.history_change_reason.startswith("Reassessment of 2026-11-25: inflammation inactive → high; ")
    assert row.history_change_reason.endswith("; flare: progression paused for review")
    assert row.history_change_said["t"] == "Reassessment of %(day)s: %(changes)s"
    # The dose and limit rows of the same change carry the same English reason.
    assert PlanChange.objects.filter(plan=plan, reason=row.history_change_reason).exists()


def test_a_later_save_does_not_reuse_the_reassessments_template(flared):
    plan, _outcome = flared
    plan = Plan.objects.get(pk=plan.pk)
    plan._change_reason = "Note added"
    plan.save()

    assert plan.history.first().history_change_said is None


def test_the_audit_trail_says_the_reassessment_in_the_readers_language(world, flared, client):
    client.force_login(world.physio)  # reads Spanish (the fixture set it)

    html = client.get(f"/patients/{world.patient.pk}/audit/").content.decode()

    assert "Nueva valoración del 2026-11-25: nivel de inflamación: inactivo → alto; techo de impacto: alto → bajo" in (
        html
    )
    assert "brote: progresión en pausa para revisión" in html
    assert FLARE_ES in html  # the flare alert's message
    assert "Reassessment of 2026-11-25" not in html
    assert "Flare at the reassessment" not in html


def test_the_audit_trail_says_it_in_english_to_an_english_reader(world, flared, client):
    client.force_login(speaking(world.physio, "en"))

    html = client.get(f"/patients/{world.patient.pk}/audit/").content.decode()

    assert "Reassessment of 2026-11-25: inflammation inactive → high; impact ceiling high → low" in html
    assert FLARE_EN in html
    assert "Nueva valoración del 2026-11-25" not in html


def test_the_plan_history_page_says_the_reassessment_in_spanish(world, flared, client):
    plan, _outcome = flared
    client.force_login(world.physio)

    html = client.get(f"/plans/{plan.pk}/history/").content.decode()

    assert REASON_ES in html
    assert "Reassessment of 2026-11-25" not in html


def test_a_reason_rewritten_since_reads_as_stored(world, flared, client):
    plan, _outcome = flared
    row = plan.history.first()
    type(row).objects.filter(pk=row.pk).update(history_change_reason="Reassessed by hand")
    PlanChange.objects.filter(plan=plan).update(reason="Reassessed by hand")
    client.force_login(world.physio)

    html = client.get(f"/patients/{world.patient.pk}/audit/").content.decode()

    assert "Reassessed by hand" in html
    assert "Nueva valoración del 2026-11-25: nivel" not in html


def test_the_swap_rule_reads_in_spanish():
    assert rule_text(SWAP_RULE.id, SWAP_RULE.text, "es").startswith("Este ejercicio sustituye a uno que ")
    assert rule_text(SWAP_RULE.id, SWAP_RULE.text, "en") == SWAP_RULE.text
