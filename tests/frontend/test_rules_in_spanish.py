"""A physiotherapist who reads Spanish reads the rules in Spanish: the plan page's limits, rationale and
targets, the clearance panel, the weekly decisions' rules and the clinician's report. A rule whose
stored words are not the English its translation was made from shows those stored words."""

import html
import io
from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from pypdf import PdfReader

from rehab import rule_words
from rehab.models import ProgressionDecision, User
from rehab.rule_words import rule_table
from rehab.services.checkins import checkin_record
from rehab.services.plans import engine_plan, plan_generate
from rehab.services.progression import plan_progress
from tests import builders

START = date(2026, 11, 2)
TODAY = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@pytest.fixture
def spanish_physio(world, client):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)
    return client


@pytest.fixture
def plan(world):
    builders.make_assessment(world.patient, by=world.physio)
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def _page(client, path: str) -> str:
    with time_machine.travel(TODAY, tick=False):
        response = client.get(path)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def _spanish(rule_id: str) -> tuple[str, str]:
    return rule_table("es")[rule_id]


def test_the_plan_page_shows_the_limits_rationale_and_targets_rules_in_spanish(spanish_physio, plan):
    page = _page(spanish_physio, f"/plans/{plan.pk}/")
    engine = engine_plan(plan)
    cited = {rule.id for rule in engine.limits.rules} | {target.target_id for target in engine.targets}
    # No rule the plan cites is left in English, and those on the page read in Spanish.
    assert [rule_id for rule_id in sorted(cited) if _spanish(rule_id)[0] in page] == []
    shown = [rule_id for rule_id in sorted(cited) if _spanish(rule_id)[1] in page]
    assert len(shown) > 10
    for rule_id in (
        "inflammation.active_light_aerobic",  # the limits table
        "dose.resistance.gentle",  # an item's rationale
        "guidance.flexibility.near_ossification",  # the intensity of an exercise dosed by feel
        "target.aerobic.150_minutes",  # the targets
    ):
        assert _spanish(rule_id)[1] in page, rule_id
        assert _spanish(rule_id)[0] not in page, rule_id


def test_a_rule_stored_in_other_words_than_the_translated_english_shows_its_stored_words(
    spanish_physio, plan, monkeypatch
):
    english, spanish = _spanish("inflammation.active_light_aerobic")
    reworded = {**rule_table("es"), "inflammation.active_light_aerobic": ("An older wording of the rule.", spanish)}
    monkeypatch.setattr(rule_words, "rule_table", lambda language: reworded)
    page = _page(spanish_physio, f"/plans/{plan.pk}/")
    assert english in page
    assert spanish not in page
    assert _spanish("inflammation.active_light_resistance")[1] in page  # the others still read in Spanish


def test_the_clearance_panel_says_why_in_spanish(spanish_physio, world):
    builders.make_assessment(world.patient, by=world.physio, cardiopulmonary_status="restricted")
    draft = plan_generate(actor=world.physio, patient=world.patient, start_date=START)
    page = _page(spanish_physio, f"/plans/{draft.pk}/")
    english, spanish = _spanish("clearance.cardiopulmonary_restricted")
    assert "Por qué hace falta:" in page or "autorización médica" in page
    assert spanish in page
    assert english not in page


def _decide_first_weeks(world, plan) -> ProgressionDecision:
    for n in range(6):
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
    plan_progress(plan_id=plan.pk, as_of=START + timedelta(days=15))
    return ProgressionDecision.objects.filter(plan=plan).latest("week")


def test_the_weekly_decisions_rules_read_in_spanish_on_the_patient_page(spanish_physio, world, plan):
    decision = _decide_first_weeks(world, plan)
    page = _page(spanish_physio, f"/patients/{world.patient.pk}/")
    cited = {reason["rule_id"] for reason in decision.reasons}
    assert cited
    for rule_id in sorted(cited):
        english, spanish = _spanish(rule_id)
        assert spanish in page, rule_id
        assert english not in page, rule_id


def test_the_clinicians_report_prints_the_rules_in_spanish(spanish_physio, world, plan):
    response = spanish_physio.get(f"/api/v1/patients/{world.patient.pk}/report/pdf/")
    assert response.status_code == 200
    text = " ".join(" ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages).split())
    for rule_id in ("inflammation.active_light_aerobic", "spine.no_loaded_flexion", "target.aerobic.150_minutes"):
        english, spanish = _spanish(rule_id)
        assert spanish in text, rule_id
        assert english not in text, rule_id
