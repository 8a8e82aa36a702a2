"""Effort answered on 0-10 or on 6-20: the service and the API keep the scale and the answer with its
6-20 equivalent (planner.effort, clinical-reference 1a), refuse a bad value per field, and the weekly
decision reads the 6-20 equivalent."""

import pytest
import time_machine

from planner.effort import load_effort_scales
from rehab.models import CheckIn
from rehab.services.checkins import checkin_record, effort_fields
from rehab.services.errors import InvalidInput
from rehab.services.progression import checkin_signals
from tests import builders
from tests.conftest import client_for

TODAY = "2026-11-10 10:00"


@pytest.fixture
def plan(world):
    return builders.make_active_plan(world.patient, world.physio)


def _payload(plan, **overrides):
    item = plan.items.first()
    payload = {"date": "2026-11-09", "items": [{"plan_item": item.pk, "done": True}], "pain_during": 2, "pain_after": 2}
    payload.update(overrides)
    return payload


def _post(user, payload, key="key-1"):
    return client_for(user).post("/api/v1/checkins/", payload, format="json", HTTP_IDEMPOTENCY_KEY=key)


@time_machine.travel(TODAY, tick=False)
def test_an_answer_on_0_to_10_is_stored_as_asked_with_its_6_to_20_equivalent(world, plan):
    response = _post(world.patient_user, _payload(plan, effort_scale="cr10", effort_value=5))

    assert response.status_code == 201, response.content
    body = response.json()
    assert (body["effort_scale"], body["effort_value"], body["session_rpe"]) == ("cr10", 5, 12)
    row = CheckIn.objects.get()
    assert (row.effort_scale, row.effort_value, row.session_rpe) == ("cr10", 5, 12)


@time_machine.travel(TODAY, tick=False)
def test_a_bare_6_to_20_answer_is_kept_as_an_answer_on_that_scale(world, plan):
    body = _post(world.patient_user, _payload(plan, session_rpe=13)).json()

    assert (body["effort_scale"], body["effort_value"], body["session_rpe"]) == ("borg_6_20", 13, 13)


@pytest.mark.parametrize(
    ("fields", "bad_field"),
    [
        ({"effort_scale": "cr10", "effort_value": 11}, "effort_value"),
        ({"effort_scale": "borg_6_20", "effort_value": 5}, "effort_value"),
        ({"effort_value": 5}, "effort_scale"),
        ({"effort_scale": "likert", "effort_value": 3}, "effort_scale"),
        ({"effort_scale": "cr10", "effort_value": 5, "session_rpe": 15}, "session_rpe"),
        ({"effort_scale": "cr10", "effort_value": "hard"}, "effort_value"),
        ({"effort_scale": "cr10", "session_rpe": 12}, "effort_value"),
    ],
)
@time_machine.travel(TODAY, tick=False)
def test_a_bad_effort_is_a_400_naming_the_field_and_nothing_is_saved(world, plan, fields, bad_field):
    response = _post(world.patient_user, _payload(plan, **fields))

    assert response.status_code == 400
    assert bad_field in response.json(), response.json()
    assert CheckIn.objects.count() == 0


@time_machine.travel(TODAY, tick=False)
def test_the_service_stores_a_page_answer_the_same_way(world, plan):
    checkin, created = checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key="page-1",
        date=plan.start_date,
        pain_during=1,
        pain_after=1,
        effort_scale="cr10",
        effort_value=8,
    )

    assert created
    assert (checkin.effort_scale, checkin.effort_value, checkin.session_rpe) == ("cr10", 8, 17)


def test_every_0_to_10_answer_gets_the_table_equivalent():
    table = load_effort_scales().cr10_to_borg
    for answer, equivalent in table.items():
        assert effort_fields(session_rpe=None, effort_scale="cr10", effort_value=answer)["session_rpe"] == equivalent
    with pytest.raises(InvalidInput) as refused:
        effort_fields(session_rpe=None, effort_scale="cr10", effort_value=12)
    assert list(refused.value.errors) == ["effort_value"]


@time_machine.travel(TODAY, tick=False)
def test_the_weekly_decision_reads_the_6_to_20_equivalent(world, plan):
    checkin, _ = checkin_record(
        actor=world.patient_user,
        plan=plan,
        idempotency_key="page-2",
        date=plan.start_date,
        pain_during=1,
        pain_after=1,
        items=[{"plan_item": plan.items.first(), "done": True}],
        effort_scale="cr10",
        effort_value=7,
    )
    rows = list(CheckIn.objects.filter(pk=checkin.pk))
    items = list(checkin.items.all())
    signals = checkin_signals(rows, items, {plan.items.first().pk: plan.items.first().exercise.slug})

    assert [s.session_rpe for s in signals] == [15]


def test_the_schema_documents_both_ways_of_giving_effort(world):
    response = client_for(world.physio).get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json")
    assert response.status_code == 200
    schemas = response.json()["components"]["schemas"]
    fields = {name: spec for key in ("CheckIn", "CheckInRequest") for name, spec in schemas[key]["properties"].items()}
    assert "cr10" in fields["effort_scale"]["description"]
    assert "effort_scale" in fields["effort_value"]["description"]
    assert "6-20 equivalent" in fields["session_rpe"]["description"]
