"""The compact plan answer is kept as the bytes sent (rehab.api.plan_cache): a warm read costs the scope
check's one query, every write that changes what the answer shows gives the answer a fresh render
would, the ETag makes a 304 of an unchanged answer, and a reader who may not see the plan gets a 404
however warm the cache."""

import json
from datetime import date

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from rest_framework.renderers import JSONRenderer

from rehab.api.plan_cache import forget_kept_answers, to_json
from rehab.api.plan_representation import INCLUDES, plan_representation
from rehab.models import AccessKind, Plan, PlanItem, RecordAccess
from rehab.services.checkins import checkin_record
from rehab.services.progression import plan_progress
from tests import builders
from tests.conftest import client_for

PLANS = "/api/v1/plans/"
START = date(2026, 11, 2)  # a Monday
# A warm read (force-authenticated, so no token query): the scope check with the plan's markers, and
# for a staff reader the read audit's INSERT. A patient reading their own plan is not audited.
WARM_STAFF_QUERIES = 2
WARM_PATIENT_QUERIES = 1
# A cold read adds the plan's items and blueprint (rehab.services.plan_store), the items' ids and,
# for a plan whose rules ask for medical clearance, its clearances; the supervised sessions come with
# the scope check.
COLD_EXTRA_QUERIES = 4


@pytest.fixture(autouse=True)
def _in_week_three():
    with time_machine.travel("2026-11-18 09:00", tick=True):
        yield


@pytest.fixture
def plan(world) -> Plan:
    # The motivating case: fragile bones, ossified gluteal masses, a supervised start and clearance.
    return builders.make_active_plan(world.patient, world.physio, start_date=START)


def _get(user, plan, **headers):
    return client_for(user).get(f"{PLANS}{plan.pk}/", **headers)


def _fresh(plan: Plan) -> dict:
    """The compact answer as a fresh render makes it, through DRF's own renderer, past any cache."""
    row = Plan.objects.select_related("patient", "author").get(pk=plan.pk)
    return json.loads(JSONRenderer().render(plan_representation(row)))


def _queries(user, plan) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert _get(user, plan).status_code == 200
    return len(captured.captured_queries)


# ---------------------------------------------------------------------------------------------
# Queries
# ---------------------------------------------------------------------------------------------


def test_a_warm_read_takes_the_scope_check_and_the_audit_row_only(world, plan):
    cold = _queries(world.physio, plan)
    warm = _queries(world.physio, plan)

    assert warm == WARM_STAFF_QUERIES
    assert cold <= WARM_STAFF_QUERIES + COLD_EXTRA_QUERIES
    assert _queries(world.patient_user, plan) == WARM_PATIENT_QUERIES


def test_another_process_serves_the_shared_cache_without_building_the_answer(world, plan):
    first = _get(world.physio, plan)
    forget_kept_answers()  # as a process that has not served this plan yet

    with CaptureQueriesContext(connection) as captured:
        second = _get(world.physio, plan)

    assert len(captured.captured_queries) == WARM_STAFF_QUERIES
    assert (second.content, second["ETag"]) == (first.content, first["ETag"])


def test_a_warm_read_is_still_audited_for_staff(world, plan):
    _get(world.physio, plan)
    _get(world.clinician, plan)

    reads = RecordAccess.objects.filter(kind=AccessKind.PLAN, object_id=plan.pk).order_by("pk")
    assert [row.actor for row in reads] == [world.physio, world.clinician]


# ---------------------------------------------------------------------------------------------
# Every write that changes the answer changes the cached answer
# ---------------------------------------------------------------------------------------------


def test_the_cached_answer_is_byte_for_byte_the_fresh_render_as_json(world, plan):
    first, second = _get(world.physio, plan), _get(world.physio, plan)

    assert first.content == second.content
    assert first.json() == _fresh(plan)
    assert first["Content-Type"] == "application/json"


def test_a_dose_edit_shows_at_once(world, plan):
    before = _get(world.physio, plan).json()
    walking = PlanItem.objects.get(plan=plan, exercise__slug="flat-walking")

    edited = client_for(world.physio).patch(
        f"{PLANS}{plan.pk}/items/{walking.pk}/", {"version": plan.version, "minutes": 9}, format="json"
    )
    after = _get(world.physio, plan).json()

    assert edited.status_code == 200, edited.content
    assert after == _fresh(plan) != before
    assert next(item for item in after["items"] if item["id"] == walking.pk)["dose"]["minutes"] == 9


def test_a_limits_change_shows_at_once(world, plan):
    before = _get(world.physio, plan).json()

    changed = client_for(world.clinician).patch(
        f"{PLANS}{plan.pk}/limits/",
        {"version": plan.version, "adjustments": [{"field": "aerobic.max_rpe", "value": 11}]},
        format="json",
    )
    after = _get(world.physio, plan).json()

    assert changed.status_code == 200, changed.content
    assert after == _fresh(plan) != before
    assert after["limits"]["aerobic"]["max_rpe"] == 11


def test_a_weekly_decision_shows_at_once(world, plan):
    for n, day in enumerate(date(2026, 11, d) for d in (2, 4, 6)):
        with time_machine.travel(f"{day} 12:00", tick=False):
            checkin_record(
                actor=world.patient_user,
                plan=plan,
                idempotency_key=f"w1-{n}",
                date=day,
                pain_during=1,
                pain_after=1,
                pain_next_morning=1,
                session_rpe=11,
            )
    before = _get(world.physio, plan).json()

    decided = plan_progress(plan_id=plan.pk, as_of=date(2026, 11, 18))
    after = _get(world.physio, plan).json()

    assert decided
    assert after == _fresh(plan) != before
    assert after["version"] > before["version"]


def test_a_new_week_in_the_patients_zone_shows_before_it_starts_in_utc(world, plan):
    # Kiritimati is 14 hours ahead: Sunday 22 November at 10:10 UTC is Monday 00:10 there, week 4
    # (twenty minutes apart: well within the entry's lifetime, so only the key can tell them apart).
    world.patient.time_zone = "Pacific/Kiritimati"
    world.patient.save(update_fields=["time_zone"])
    with time_machine.travel("2026-11-22 09:50", tick=False):  # Sunday 23:50 there: still week 3
        before = _get(world.physio, plan).json()
    with time_machine.travel("2026-11-22 10:10", tick=False):
        after = _get(world.physio, plan).json()
        fresh = _fresh(plan)

    assert (before["current_week"], after["current_week"]) == (3, 4)
    assert after == fresh
    assert after["this_week"]["first_day"] == "2026-11-23"


def test_a_day_within_the_same_week_serves_the_same_answer_a_fresh_render_gives(world, plan):
    with time_machine.travel("2026-11-16 09:00", tick=False):
        monday = _get(world.physio, plan)
    with time_machine.travel("2026-11-20 09:00", tick=False):
        friday = _get(world.physio, plan)
        fresh = _fresh(plan)

    assert friday.content == monday.content
    assert friday.json() == fresh


def test_a_supervised_session_shows_at_once(world, plan):
    before = _get(world.physio, plan).json()["supervision"]["sessions_done"]

    logged = client_for(world.physio).post(
        f"{PLANS}{plan.pk}/supervised-sessions/",
        {"date": "2026-11-17", "pain_during": 2, "pain_after": 2, "session_rpe": 11},
        format="json",
        HTTP_IDEMPOTENCY_KEY="sup-1",
    )
    after = _get(world.physio, plan).json()

    assert logged.status_code == 201, logged.content
    assert after["supervision"]["sessions_done"] == before + 1
    assert after == _fresh(plan)


def test_a_renamed_patient_shows_at_once(world, plan):
    _get(world.physio, plan)
    world.patient.last_name = "Okonkwo-Carter"
    world.patient.save(update_fields=["last_name"])

    after = _get(world.physio, plan).json()

    assert after["patient_name"] == "Helen Okonkwo-Carter"
    assert after == _fresh(plan)


def test_the_json_is_the_one_drfs_renderer_writes(world, plan):
    row = Plan.objects.select_related("patient", "author").get(pk=plan.pk)
    everything = plan_representation(row, include=frozenset(INCLUDES))

    assert json.loads(to_json(everything)) == json.loads(JSONRenderer().render(everything))


# ---------------------------------------------------------------------------------------------
# Conditional GET
# ---------------------------------------------------------------------------------------------


def test_an_unchanged_answer_is_a_304_without_a_body_and_a_changed_one_a_200_with_a_new_etag(world, plan):
    first = _get(world.physio, plan)
    etag = first["ETag"]

    again = _get(world.physio, plan, HTTP_IF_NONE_MATCH=etag)
    weak = _get(world.patient_user, plan, HTTP_IF_NONE_MATCH=f'"other", W/{etag}')
    walking = PlanItem.objects.get(plan=plan, exercise__slug="flat-walking")
    client_for(world.physio).patch(
        f"{PLANS}{plan.pk}/items/{walking.pk}/", {"version": plan.version, "minutes": 9}, format="json"
    )
    changed = _get(world.physio, plan, HTTP_IF_NONE_MATCH=etag)

    assert etag[0] == etag[-1] == '"'
    assert (again.status_code, again.content, again["ETag"]) == (304, b"", etag)
    assert weak.status_code == 304
    assert changed.status_code == 200
    assert changed["ETag"] != etag
    assert changed.json() == _fresh(plan)
    # The answer stays out of browser caches and proxies: the client keeps its copy itself.
    assert "no-store" in again["Cache-Control"]


def test_a_304_is_audited_as_a_read(world, plan):
    etag = _get(world.physio, plan)["ETag"]

    assert _get(world.physio, plan, HTTP_IF_NONE_MATCH=etag).status_code == 304
    assert RecordAccess.objects.filter(kind=AccessKind.PLAN, object_id=plan.pk, actor=world.physio).count() == 2


def test_an_answer_with_include_is_rendered_each_time_and_carries_no_etag(world, plan):
    response = client_for(world.physio).get(f"{PLANS}{plan.pk}/", {"include": "rules"})

    assert response.status_code == 200
    assert "ETag" not in response
    assert "rules" in response.json()


# ---------------------------------------------------------------------------------------------
# Scope before the cache
# ---------------------------------------------------------------------------------------------


def test_a_reader_who_may_not_see_the_plan_gets_a_404_however_warm_the_cache(world, plan):
    warm = _get(world.physio, plan)
    draft = Plan.objects.get(
        pk=client_for(world.physio)
        .post(PLANS, {"patient": world.patient.pk, "start_date": "2026-11-30"}, format="json")
        .json()["id"]
    )
    _get(world.physio, draft)

    for user in (world.outsider_physio, world.foreign_physio, world.other_patient_user):
        response = _get(user, plan, HTTP_IF_NONE_MATCH=warm["ETag"])
        assert response.status_code == 404, user
        assert b"Helen" not in response.content
    # A patient never sees a draft, even one a physiotherapist's read has cached.
    assert _get(world.patient_user, draft).status_code == 404
    assert client_for(world.physio).get(f"{PLANS}{plan.pk}/", {"patient": world.other_patient.pk}).status_code == 404
    assert not RecordAccess.objects.filter(actor__in=[world.outsider_physio, world.foreign_physio]).exists()
