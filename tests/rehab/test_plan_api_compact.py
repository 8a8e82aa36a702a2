"""The compact plan API: GET plans/{id}/ answers limits, items with this week's dose and rule ids and
this week, small; `?include=` and plans/{id}/rules/ and plans/{id}/schedule/ give the rest, scoped
like the plan itself; a constant number of queries."""

import io
from datetime import date

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from planner import serialize
from rehab.api.plan_representation import INCLUDES
from rehab.models import AccessKind, Plan, PlanItem, RecordAccess, User
from rehab.services.plans import engine_plan
from tests import builders
from tests.conftest import client_for

PLANS = "/api/v1/plans/"
START = date(2026, 11, 2)  # a Monday
COMPACT_LIMIT = 20_000  # bytes (issue 13: < 20 KB by default)
# A signed-in user's GET (authentication aside): the plan with its patient and author; the engine
# plan's blueprint and its items' stored form, read together at one moment (rehab.services.plan_store;
# the shared parts are cached per process after the first read); the items' ids; the supervised
# sessions done (the motivating case asks for a supervised start); the read audit's INSERT.
# Whatever `?include=` asks for and however many items, building the answer queries nothing more.
PLAN_GET_QUERIES = 6


def _get(user, plan, suffix="", **params):
    return client_for(user).get(f"{PLANS}{plan.pk}/{suffix}", params)


def _active(world, start=START) -> Plan:
    return builders.make_active_plan(world.patient, world.physio, start_date=start)


def _mentioned_rule_ids(body: dict) -> set[str]:
    """Every rule id the answer mentions, wherever it sits."""
    ids = set(body["limits"]["rules"])
    ids.update(rule_id for rule_ids in body["limits"]["provenance"].values() for rule_id in rule_ids)
    for item in body["items"]:
        ids.update(item["rules"])
        for rule_ids in (*item["dose"].get("rationale", {}).values(), *item.get("rationale", {}).values()):
            ids.update(rule_ids)
        for step in item.get("progression", {}).get("steps", []):
            ids.update(step["rules"])
    for week in body.get("weeks", []):
        for scheduled in week["doses"]:
            for rule_ids in scheduled["dose"].get("rationale", {}).values():
                ids.update(rule_ids)
    for target in body.get("targets", []):
        ids.update(target["rules"])
    return ids


# ---------------------------------------------------------------------------------------------
# The default answer
# ---------------------------------------------------------------------------------------------


def test_the_demo_plan_answers_under_20_kb_by_default(db):
    call_command("seed_demo", stdout=io.StringIO())
    plan = Plan.objects.get(patient__user__username="patient", status="active")
    physio = User.objects.get(username="physio")

    response = _get(physio, plan)
    everything = _get(physio, plan, include=",".join(INCLUDES))

    assert response.status_code == 200, response.content
    assert len(response.content) < COMPACT_LIMIT, len(response.content)
    assert len(engine_plan(plan).items) == len(response.json()["items"]) >= 10
    # What was left out is still one parameter away, and is most of the plan.
    assert len(everything.content) > 5 * len(response.content)


def test_the_default_answer_is_the_limits_the_items_with_this_weeks_dose_and_this_week(world):
    plan = _active(world)
    engine = engine_plan(plan)

    with time_machine.travel("2026-11-18 09:00"):  # week 3 of the plan
        body = _get(world.physio, plan).json()

    assert not {"weeks", "targets", "rules", "rule_index"} & set(body)
    assert body["this_week"]["number"] == body["current_week"] == 3
    assert (body["this_week"]["first_day"], body["this_week"]["last_day"]) == ("2026-11-16", "2026-11-22")
    week = engine.weeks[2]
    assert [item["exercise"]["slug"] for item in body["items"]] == [item.slug for item in engine.items]
    rows = {row.exercise.slug: row for row in PlanItem.objects.filter(plan=plan).select_related("exercise")}
    for item, prescribed in zip(body["items"], engine.items, strict=True):
        dose = week.dose_for(prescribed.slug).dose
        assert item["id"] == rows[prescribed.slug].pk
        assert item["exercise"] == {"slug": prescribed.slug, "name": prescribed.exercise.name}
        assert item["component"] == prescribed.component
        assert item["dose"]["frequency_per_week"] == dose.frequency_per_week
        assert item["dose"]["intensity"] == [{"unit": t.unit, "low": t.low, "high": t.high} for t in dose.intensity]
        for name in ("minutes", "sets", "reps", "hold_seconds"):
            assert item["dose"].get(name) == getattr(dose, name), (prescribed.slug, name)
        assert item["dose"]["volume_per_week"] == dose.volume_per_week
        assert "rationale" not in item["dose"]
        assert set(item["rules"]) == {rule.id for entry in dose.rationale for rule in entry.rules}
        assert len(item["rules"]) == len(set(item["rules"]))
    assert [(d["item"], d["exercise_slug"], d["changed"], d["growth_pct"]) for d in body["this_week"]["doses"]] == [
        (rows[d.exercise_slug].pk, d.exercise_slug, d.changed, d.growth_pct) for d in week.doses
    ]
    limits = body["limits"]
    assert limits["aerobic"]["max_hrr_pct"] == engine.limits.aerobic.max_hrr_pct
    assert limits["excluded_tags"] == list(engine.limits.excluded_tags)
    assert limits["provenance"] == {path: list(ids) for path, ids in engine.limits.provenance}
    assert limits["rules"] == [rule.id for rule in engine.limits.rules]


@pytest.mark.parametrize(("today", "week"), [("2026-10-20 09:00", 1), ("2027-06-01 09:00", 12)])
def test_before_the_start_it_shows_week_one_and_after_the_end_the_last_week(world, today, week):
    plan = _active(world)
    engine = engine_plan(plan)

    with time_machine.travel(today):
        body = _get(world.physio, plan).json()

    assert body["this_week"]["number"] == week
    first = body["items"][0]
    assert (
        first["dose"]["volume_per_week"] == engine.weeks[week - 1].dose_for(engine.items[0].slug).dose.volume_per_week
    )


def test_a_draft_shows_the_week_its_edits_start_from(world):
    builders.make_assessment(world.patient, by=world.physio)
    with time_machine.travel("2026-11-25 09:00"):  # week 4 of the draft's dates
        created = client_for(world.physio).post(
            PLANS, {"patient": world.patient.pk, "start_date": START.isoformat()}, format="json"
        )
        body = created.json()

    assert created.status_code == 201
    assert body["this_week"]["number"] == body["current_week"] == 1
    assert not {"weeks", "rules"} & set(body)


def test_answers_after_a_change_are_compact_too(world):
    builders.make_assessment(world.patient, by=world.physio)
    draft = client_for(world.physio).post(
        PLANS, {"patient": world.patient.pk, "start_date": "2026-11-02"}, format="json"
    )
    plan = Plan.objects.get(pk=draft.json()["id"])
    item = plan.items.get(exercise__slug="flat-walking")

    edited = client_for(world.physio).patch(
        f"{PLANS}{plan.pk}/items/{item.pk}/", {"version": 1, "minutes": 12}, format="json"
    )
    activated = client_for(world.physio).post(f"{PLANS}{plan.pk}/activate/", {"version": 2}, format="json")

    for response in (draft, edited, activated):
        assert response.status_code in (200, 201), response.content
        assert "this_week" in response.json()
        assert not {"weeks", "rules", "rule_index", "targets"} & set(response.json())
    walking = next(i for i in edited.json()["items"] if i["id"] == item.pk)
    assert walking["dose"]["minutes"] == 12
    assert activated.json()["status"] == "active"


# ---------------------------------------------------------------------------------------------
# ?include=
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("query", ["rules,bogus", "Rules", "weeks", "rule_index"])
def test_an_unknown_include_is_a_400_naming_the_parameter(world, query):
    plan = _active(world)

    response = _get(world.physio, plan, include=query)

    assert response.status_code == 400
    assert list(response.json()) == ["include"]
    assert "Choose from rules, rationale, schedule, exercises, targets" in response.json()["include"][0]
    assert not RecordAccess.objects.filter(kind=AccessKind.PLAN).exists()


def test_include_rules_gives_the_text_of_exactly_the_rules_the_answer_mentions(world):
    plan = _active(world)

    for query in ("rules", "rules,rationale", ",".join(INCLUDES)):
        body = _get(world.physio, plan, include=query).json()
        assert set(body["rules"]) == _mentioned_rule_ids(body), query
        assert all(rule["text"] and rule["evidence"] and rule["source"] for rule in body["rules"].values())


def test_include_rationale_names_the_rules_behind_each_value_and_each_choice(world):
    plan = _active(world)
    engine = engine_plan(plan)

    body = _get(world.physio, plan, include="rationale").json()

    week = engine.weeks[body["this_week"]["number"] - 1]
    for item, prescribed in zip(body["items"], engine.items, strict=True):
        dose = week.dose_for(prescribed.slug).dose
        assert item["dose"]["rationale"] == {entry.field: [r.id for r in entry.rules] for entry in dose.rationale}
        assert item["rationale"] == {entry.field: [r.id for r in entry.rules] for entry in prescribed.rationale}
        assert item["rationale"]["exercise"]


def test_include_schedule_and_exercises_give_every_week_and_whole_definitions(world):
    plan = _active(world)
    engine = engine_plan(plan)

    # The parameter may be repeated as well as comma-separated.
    body = client_for(world.physio).get(f"{PLANS}{plan.pk}/?include=schedule&include=exercises").json()

    assert [week["number"] for week in body["weeks"]] == list(range(1, 13))
    for week, engine_week in zip(body["weeks"], engine.weeks, strict=True):
        assert [d["exercise_slug"] for d in week["doses"]] == [d.exercise_slug for d in engine_week.doses]
        for scheduled, engine_dose in zip(week["doses"], engine_week.doses, strict=True):
            assert scheduled["dose"]["volume_per_week"] == engine_dose.dose.volume_per_week
            assert scheduled["changed"] == engine_dose.changed
    for item, prescribed in zip(body["items"], engine.items, strict=True):
        assert item["exercise"] == serialize.to_dict(prescribed.exercise)
        assert item["muscle_targets"] == list(prescribed.targets)
        assert [step["variable"] for step in item["progression"]["steps"]] == [
            step.variable for step in prescribed.progression.steps
        ]
    assert not {"targets", "rules"} & set(body)


def test_include_targets_gives_each_target_with_its_rule_ids(world):
    plan = _active(world)

    body = _get(world.physio, plan, include="targets").json()

    assert [t["target_id"] for t in body["targets"]] == [t.target_id for t in engine_plan(plan).targets]
    assert all(t["rules"] and all(isinstance(r, str) for r in t["rules"]) for t in body["targets"])


# ---------------------------------------------------------------------------------------------
# plans/{id}/rules/ and plans/{id}/schedule/
# ---------------------------------------------------------------------------------------------


def test_the_rules_endpoint_lists_every_rule_the_plan_cites(world):
    plan = _active(world)

    listed = _get(world.physio, plan, "rules/")
    everything = _get(world.physio, plan, include=",".join(INCLUDES)).json()

    assert listed.status_code == 200
    assert listed.json()["plan"] == plan.pk
    assert listed.json()["version"] == plan.version
    assert set(listed.json()["rules"]) >= _mentioned_rule_ids(everything)
    assert listed.json()["rules"] == {**listed.json()["rules"], **everything["rules"]}


def test_the_schedule_endpoint_gives_every_week_as_the_include_does(world):
    plan = _active(world)

    schedule = _get(world.physio, plan, "schedule/")
    included = _get(world.physio, plan, include="schedule").json()

    assert schedule.status_code == 200
    assert schedule.json()["weeks"] == included["weeks"]
    assert schedule.json()["current_week"] == included["current_week"]
    # A week spells out a dose's rationale only where it differs from the week before.
    first_week = schedule.json()["weeks"][0]["doses"]
    assert not any("rationale" in d["dose"] for d in first_week)


@pytest.mark.parametrize("suffix", ["", "rules/", "schedule/"])
def test_each_plan_read_is_scoped_like_the_plan_and_audited(world, suffix):
    plan = _active(world)
    other = builders.make_active_plan(world.other_patient, world.outsider_physio)

    for user in (world.outsider_physio, world.foreign_physio, world.other_patient_user):
        assert _get(user, plan, suffix).status_code == 404, user
    assert _get(world.patient_user, other, suffix).status_code == 404
    assert _get(world.patient_user, plan, suffix).status_code == 200
    assert _get(world.clinician, plan, suffix).status_code == 200

    reads = RecordAccess.objects.filter(kind=AccessKind.PLAN, object_id=plan.pk)
    assert [(row.actor, row.patient_id) for row in reads] == [(world.clinician, world.patient.pk)]


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("include", ["", ",".join(INCLUDES)])
def test_a_plan_get_takes_a_constant_number_of_queries(world, django_assert_max_num_queries, include):
    plan = _active(world)  # the motivating case: many items, a supervised start
    client = client_for(world.physio)
    client.get(f"{PLANS}{plan.pk}/")  # warm caches (content types, the rule book)

    with django_assert_max_num_queries(PLAN_GET_QUERIES):
        response = client.get(f"{PLANS}{plan.pk}/", {"include": include} if include else {})

    assert response.status_code == 200
    assert len(response.json()["items"]) >= 10


def _queries_of(client, url) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured.captured_queries)


def test_the_plan_list_takes_the_same_queries_for_one_plan_or_many(world):
    client = client_for(world.clinician)
    _active(world)
    client.get(PLANS)  # warm caches
    one_plan = _queries_of(client, PLANS)
    for start in (date(2027, 3, 1), date(2027, 6, 7)):
        builders.make_active_plan(world.patient, world.physio, start_date=start)

    assert _queries_of(client, PLANS) == one_plan
    assert len(client.get(PLANS).json()["results"]) == 3
