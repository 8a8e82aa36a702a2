"""A manual edit is held to the weekly growth cap and the item's own ceilings, not only the limits."""

from datetime import date

import time_machine

from rehab.services.plans import engine_plan
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)


def _walking(plan):
    engine = engine_plan(plan)
    item = next(i for i in engine.items if i.dose.dose_kind == "minutes")
    return plan.items.get(exercise__slug=item.slug), item


def test_a_typo_of_240_minutes_is_refused_naming_the_ceiling(world):
    builders.make_assessment(world.patient, by=world.physio)
    body = (
        client_for(world.physio)
        .post("/api/v1/plans/", {"patient": world.patient.pk, "start_date": "2026-11-02", "weeks": 12}, format="json")
        .json()
    )
    from rehab.models import Plan

    plan = Plan.objects.get(pk=body["id"])
    row, _item = _walking(plan)
    response = client_for(world.physio).patch(
        f"/api/v1/plans/{plan.pk}/items/{row.pk}/", {"version": plan.version, "minutes": 240}, format="json"
    )
    assert response.status_code == 400
    assert "progression.minutes_ceiling" in response.json()
    plan.refresh_from_db()
    assert plan.version == body["version"]


@time_machine.travel("2026-11-18 10:00", tick=False)  # week 3 of an active plan
def test_an_edit_growing_faster_than_the_weekly_cap_is_refused_unless_overridden(world):
    plan = builders.make_active_plan(world.patient, world.physio, start_date=START)
    row, item = _walking(plan)
    previous = engine_plan(plan).weeks[1].dose_for(item.slug).dose
    jump = previous.minutes * 1.5  # +50 % in a week; the cap for this patient is 5 %
    url = f"/api/v1/plans/{plan.pk}/items/{row.pk}/"

    refused = client_for(world.physio).patch(url, {"version": plan.version, "minutes": jump}, format="json")
    assert refused.status_code == 400
    assert "weekly_progression_max_pct" in refused.json()

    accepted = client_for(world.physio).patch(
        url,
        {"version": plan.version, "minutes": jump, "override_reason": "Walks daily with her husband already"},
        format="json",
    )
    assert accepted.status_code == 200
    plan.refresh_from_db()
    assert engine_plan(plan).weeks[2].dose_for(item.slug).dose.minutes == jump
    assert plan.overrides.get().reason == "Walks daily with her husband already"
