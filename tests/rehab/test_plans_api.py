"""The plans API: generate a draft, read it, edit doses within the limits (or override them), tighten
limits, activate, and read the audit trail. Each test asserts what is stored, not only the status."""

import math
from datetime import date

import pytest
import time_machine

from planner.limits import check_dose
from planner.types import Intensity
from rehab.models import Alert, AlertKind, CheckIn, Exercise, LimitOverride, Plan, PlanItem, PlanStatus
from rehab.services.plans import engine_plan
from tests import builders
from tests.conftest import client_for

PLANS = "/api/v1/plans/"
START = date(2026, 11, 2)  # a Monday; the motivating assessment is dated 2026-11-01


@pytest.fixture(autouse=True)
def _first_week_of_the_plan():
    # "Today" decides the plan week an edit starts from; tick so that history rows are ordered.
    with time_machine.travel("2026-11-03 09:00", tick=True):
        yield


def _generate(user, patient, *, start=START, weeks=12):
    return client_for(user).post(
        PLANS, {"patient": patient.pk, "start_date": start.isoformat(), "weeks": weeks}, format="json"
    )


def _draft(world, patient=None, **assessment) -> Plan:
    patient = patient or world.patient
    builders.make_assessment(patient, by=world.physio, **assessment)
    response = _generate(world.physio, patient)
    assert response.status_code == 201, response.content
    return Plan.objects.get(pk=response.json()["id"])


def _active(world, **assessment) -> Plan:
    plan = _draft(world, **assessment)
    response = client_for(world.physio).post(f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json")
    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    return plan


# A profile with no restricting condition: its plan has weighted exercises, dosed in %1RM.
FIT = {
    "bone_fragility": "none",
    "inflammation_activity": "inactive",
    "heterotopic_ossification_regions": [],
    "cardiopulmonary_status": "cleared",
    "pain_at_rest": 1,
}


def _weighted(plan: Plan) -> str:
    """The first resistance exercise dosed by weight (%1RM) and repetitions."""
    return next(
        item.slug
        for item in engine_plan(plan).items
        if item.component == "resistance" and item.dose.dose_kind == "sets_reps" and item.dose.intensity_in("pct_1rm")
    )


def _item(plan: Plan, slug: str) -> PlanItem:
    return plan.items.get(exercise__slug=slug)


def _dose(plan: Plan, week: int, slug: str):
    return engine_plan(plan).weeks[week - 1].dose_for(slug).dose


def _edit(user, plan: Plan, slug: str, **body):
    body.setdefault("version", plan.version)
    return client_for(user).patch(f"{PLANS}{plan.pk}/items/{_item(plan, slug).pk}/", body, format="json")


def _adjust(user, plan: Plan, adjustments, reason="", version=None):
    body = {"version": version or plan.version, "adjustments": adjustments, "reason": reason}
    return client_for(user).patch(f"{PLANS}{plan.pk}/limits/", body, format="json")


def _violations_from(plan: Plan, week: int = 1) -> list:
    engine = engine_plan(plan)
    return [
        (week_plan.number, scheduled.exercise_slug, violation.limit)
        for week_plan in engine.weeks[week - 1 :]
        for scheduled in week_plan.doses
        for violation in check_dose(scheduled, engine.limits)
    ]


def _snapshot(plan: Plan) -> tuple:
    plan.refresh_from_db()
    return plan.version, engine_plan(plan), plan.status


def _plan_reasons(world, plan) -> list[str]:
    """The reasons of the plan's own history rows, newest first, as the API lists them."""
    history = client_for(world.physio).get(f"{PLANS}{plan.pk}/history/").json()
    return [entry["reason"] for entry in history if entry["object"] == "plan"]


def _active_for_other_patient(world) -> Plan:
    return builders.make_active_plan(world.other_patient, world.outsider_physio)


# ---------------------------------------------------------------------------------------------
# Generating a draft
# ---------------------------------------------------------------------------------------------


def test_the_motivating_case_gets_a_twelve_week_draft_within_every_limit(world):
    # The builder's defaults are the motivating case; the patient was born 1969-03-14 (57 on the day).
    builders.make_assessment(world.patient, by=world.physio)

    response = _generate(world.physio, world.patient)

    assert response.status_code == 201, response.content
    body = response.json()
    plan = Plan.objects.get(pk=body["id"])
    assert (plan.status, plan.weeks, plan.author, plan.patient) == ("draft", 12, world.physio, world.patient)
    assert engine_plan(plan).profile.age == 57
    assert engine_plan(plan).profile.sex == "female"
    assert body["status"] == "draft"
    assert body["version"] == 1
    assert body["length_weeks"] == 12
    schedule = client_for(world.physio).get(f"{PLANS}{plan.pk}/schedule/").json()
    assert [week["number"] for week in schedule["weeks"]] == list(range(1, 13))
    assert body["this_week"]["number"] == 1  # a draft shows its first week
    assert body["items"]
    assert sorted(item["id"] for item in body["items"]) == sorted(plan.items.values_list("pk", flat=True))
    assert _violations_from(plan) == []

    limits = body["limits"]
    assert {"loaded_spinal_flexion", "loaded_spinal_twist", "running", "jumping"} <= set(limits["excluded_tags"])
    assert {"gluteal_left", "gluteal_right"} <= set(limits["avoid_regions"])
    exercises = Exercise.objects.in_bulk([item["exercise"]["slug"] for item in body["items"]], field_name="slug")
    for item in body["items"]:
        exercise = exercises[item["exercise"]["slug"]]
        assert not set(exercise.tags) & set(limits["excluded_tags"]), exercise.slug
        assert not set(exercise.pressure_regions) & set(limits["avoid_regions"]), exercise.slug
    assert limits["supervision_required"] is True


def test_the_heart_rate_zone_follows_tanaka_and_karvonen(world):
    builders.make_assessment(world.patient, by=world.physio, resting_hr=70, measured_hr_max=None)

    aerobic = _generate(world.physio, world.patient).json()["limits"]["aerobic"]

    hr_max = 208 - 0.7 * 57  # Tanaka, age 57
    reserve = hr_max - 70
    assert aerobic["hr_max_bpm"] == pytest.approx(hr_max)
    low, high = aerobic["hr_zone_bpm"]
    assert high == math.floor(70 + aerobic["max_hrr_pct"] / 100 * reserve + 1e-9)
    assert low == round(70 + aerobic["zone_floor_hrr_pct"] / 100 * reserve)
    assert (low, high) == (99, 108)  # 30-39 %HRR with moderate inflammation


def test_every_prescribed_value_names_the_rules_behind_it(world):
    builders.make_assessment(world.patient, by=world.physio)

    plan_id = _generate(world.physio, world.patient).json()["id"]
    body = client_for(world.physio).get(f"{PLANS}{plan_id}/", {"include": "rationale,rules"}).json()

    index = body["rules"]
    for item in body["items"]:
        rationale = item["dose"]["rationale"]
        assert {"frequency_per_week", "intensity", "time"} <= set(rationale), item["exercise"]["slug"]
        for field, ids in rationale.items():
            assert ids, (item["exercise"]["slug"], field)
            assert set(ids) <= set(index), (item["exercise"]["slug"], field)
        # The compact form's rule ids are exactly those behind the dose's values.
        assert set(item["rules"]) == {rule_id for ids in rationale.values() for rule_id in ids}
    assert body["limits"]["rules"]
    for rule_id in body["limits"]["rules"]:
        assert index[rule_id]["text"]
    assert all(entry["text"] and entry["source"] for entry in index.values())


def test_a_patient_without_an_assessment_gets_no_plan(world):
    response = _generate(world.physio, world.patient)

    assert response.status_code == 400
    assert "patient" in response.json()
    assert not Plan.objects.exists()


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"weeks": 0}, "weeks"),
        ({"weeks": 99}, "weeks"),
        ({"start_date": "2026-13-01"}, "start_date"),
        ({"start_date": "next monday"}, "start_date"),
        ({"patient": "Helen"}, "patient"),
    ],
)
def test_bad_input_is_refused_per_field_and_nothing_is_saved(world, payload, field):
    builders.make_assessment(world.patient, by=world.physio)
    body = {"patient": world.patient.pk, "start_date": "2026-11-02", "weeks": 12, **payload}

    response = client_for(world.physio).post(PLANS, body, format="json")

    assert response.status_code == 400
    assert field in response.json()
    assert not Plan.objects.exists()


def test_an_unknown_or_unseen_patient_is_not_found(world):
    builders.make_assessment(world.other_patient, by=world.outsider_physio)
    builders.make_assessment(world.foreign_patient, by=world.foreign_physio)

    for patient_id in (999_999, world.other_patient.pk, world.foreign_patient.pk):
        response = client_for(world.physio).post(
            PLANS, {"patient": patient_id, "start_date": "2026-11-02"}, format="json"
        )
        assert response.status_code == 404, patient_id
    assert not Plan.objects.exists()


def test_only_a_physiotherapist_generates_a_plan(world):
    builders.make_assessment(world.patient, by=world.physio)

    assert _generate(world.clinician, world.patient).status_code == 403
    assert _generate(world.patient_user, world.patient).status_code == 403
    assert not Plan.objects.exists()


# ---------------------------------------------------------------------------------------------
# Editing a dose
# ---------------------------------------------------------------------------------------------


def test_an_edit_within_the_limits_is_stored_and_later_weeks_stay_within_them(world):
    plan = _draft(world)

    response = _edit(world.physio, plan, "flat-walking", minutes=12, intensity_high=35, reason="Tolerates more")

    assert response.status_code == 200, response.content
    assert response.json()["version"] == 2
    plan.refresh_from_db()
    assert plan.version == 2
    first = _dose(plan, 1, "flat-walking")
    assert first.minutes == 12
    assert first.intensity_in("pct_hrr").high == 35
    # The heart-rate equivalent is recomputed from the new %HRR (Karvonen), not left stale.
    assert first.intensity_in("hr_bpm").high == math.floor(70 + 0.35 * (168.1 - 70) + 1e-9)
    assert next(i for i in engine_plan(plan).items if i.slug == "flat-walking").dose == first
    assert _violations_from(plan) == []
    assert all(_dose(plan, week, "flat-walking").minutes >= 12 for week in range(2, 13))
    assert response.json()["items"][0]["dose"]["minutes"] == 12


def test_a_draft_is_edited_from_its_first_week_whatever_the_date(world):
    with time_machine.travel("2026-11-24 09:00", tick=True):  # week 4 of the plan's dates
        plan = _draft(world)
        response = _edit(world.physio, plan, "flat-walking", minutes=12)

    assert response.status_code == 200, response.content
    assert response.json()["current_week"] == 1
    plan.refresh_from_db()
    assert _dose(plan, 1, "flat-walking").minutes == 12


def test_an_edit_changes_no_other_exercise(world):
    plan = _draft(world)
    others = [item.slug for item in engine_plan(plan).items if item.slug != "flat-walking"]
    before = {slug: [_dose(plan, week, slug) for week in range(1, 13)] for slug in others}

    _edit(world.physio, plan, "flat-walking", minutes=12)

    plan.refresh_from_db()
    after = {slug: [_dose(plan, week, slug) for week in range(1, 13)] for slug in before}
    assert after == before


@pytest.mark.parametrize(
    ("slug", "change", "limit"),
    [
        ("flat-walking", {"intensity_high": 60}, "aerobic.max_hrr_pct"),
        ("WEIGHTED", {"reps": 6}, "resistance.min_reps"),
        ("WEIGHTED", {"intensity_high": 80}, "resistance.max_pct_1rm"),
        ("wrist-forearm-stretch", {"hold_seconds": 45}, "flexibility.max_hold_seconds"),
    ],
)
def test_a_dose_above_a_limit_is_refused_naming_the_limit_and_nothing_changes(world, slug, change, limit):
    plan = _draft(world, **FIT) if slug == "WEIGHTED" else _draft(world)
    slug = _weighted(plan) if slug == "WEIGHTED" else slug
    before = _snapshot(plan)

    response = _edit(world.physio, plan, slug, reason="Feels easy", **change)

    assert response.status_code == 400
    assert limit in response.json()
    assert response.json()[limit][0]
    assert _snapshot(plan) == before
    assert not LimitOverride.objects.exists()
    assert not Alert.objects.exists()


def test_a_physiotherapist_overrides_a_limit_with_a_reason_and_the_clinician_is_told(world):
    plan = _draft(world)

    response = _edit(
        world.physio,
        plan,
        "flat-walking",
        intensity_high=50,
        reason="Cardiology cleared her",
        override_reason="Supervised in clinic with telemetry",
    )

    assert response.status_code == 200, response.content
    override = LimitOverride.objects.get()
    assert override.plan == plan
    assert override.item == _item(plan, "flat-walking")
    assert override.created_by == world.physio
    assert override.reason == "Supervised in clinic with telemetry"
    assert "aerobic.max_hrr_pct" in {entry["limit"] for entry in override.limits_exceeded}
    assert override.dose["intensity"][0] == {"unit": "pct_hrr", "low": 30, "high": 50}
    plan.refresh_from_db()
    # The accepted dose is stored as given (not clamped) and held there: growth would need its own override.
    assert {_dose(plan, week, "flat-walking").intensity_in("pct_hrr").high for week in range(1, 13)} == {50}
    alert = Alert.objects.get(kind=AlertKind.OVERRIDE)
    assert (alert.patient, alert.plan) == (world.patient, plan)
    assert "Supervised in clinic with telemetry" in alert.message
    history = client_for(world.physio).get(f"{PLANS}{plan.pk}/history/").json()
    overrides = [entry for entry in history if entry["object"] == "override"]
    assert overrides[0]["reason"] == "Supervised in clinic with telemetry"
    assert overrides[0]["by"] == world.physio.display_name
    assert "override" in history[0]["reason"]


def test_an_override_survives_edits_to_other_exercises(world):
    plan = _draft(world)
    _edit(world.physio, plan, "flat-walking", intensity_high=50, override_reason="Supervised with telemetry")
    plan.refresh_from_db()

    band = next(item.slug for item in engine_plan(plan).items if item.component == "resistance")
    response = _edit(world.physio, plan, band, reps=14, reason="Progress the calves")

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert {_dose(plan, week, "flat-walking").intensity_in("pct_hrr").high for week in range(1, 13)} == {50}
    assert _dose(plan, 1, band).reps == 14


def test_a_clinician_may_not_override_and_nothing_is_stored(world):
    plan = _draft(world)
    before = _snapshot(plan)

    response = _edit(world.clinician, plan, "flat-walking", intensity_high=50, override_reason="I think she can")

    assert response.status_code == 403
    assert _snapshot(plan) == before
    assert not LimitOverride.objects.exists()
    assert not Alert.objects.exists()


def test_an_override_needs_a_reason_that_is_not_blank(world):
    plan = _draft(world)
    before = _snapshot(plan)

    response = _edit(world.physio, plan, "flat-walking", intensity_high=50, override_reason="   ")

    assert response.status_code == 400
    assert "aerobic.max_hrr_pct" in response.json()
    assert _snapshot(plan) == before
    assert not LimitOverride.objects.exists()


def test_a_stale_version_gets_409_and_never_overwrites_the_newer_edit(world):
    plan = _draft(world)
    assert _edit(world.physio, plan, "flat-walking", minutes=12, version=1).status_code == 200
    after_first = _snapshot(plan)

    response = _edit(world.clinician, plan, "flat-walking", minutes=11, version=1)

    assert response.status_code == 409
    assert _snapshot(plan) == after_first
    assert _dose(plan, 1, "flat-walking").minutes == 12


def test_an_edit_without_a_version_is_refused(world):
    plan = _draft(world)
    item = _item(plan, "flat-walking")

    response = client_for(world.physio).patch(f"{PLANS}{plan.pk}/items/{item.pk}/", {"minutes": 12}, format="json")

    assert response.status_code == 400
    assert "version" in response.json()


@pytest.mark.parametrize(
    ("slug", "change", "field"),
    [
        ("WEIGHTED", {"minutes": 12}, "minutes"),
        ("flat-walking", {"intensity_low": 38, "intensity_high": 32}, "intensity_low"),
        ("flat-walking", {"frequency_per_week": 8}, "frequency_per_week"),
        ("flat-walking", {"intensity_high": 120, "override_reason": "Above 100 %HRR?"}, "intensity_high"),
        ("WEIGHTED", {"intensity_low": 150, "override_reason": "Above 100 %1RM?"}, "intensity_low"),
        ("wrist-forearm-stretch", {"intensity_high": 5}, "intensity_high"),  # dosed by feel
    ],
)
def test_an_impossible_dose_is_refused_per_field(world, slug, change, field):
    plan = _draft(world, **FIT) if slug == "WEIGHTED" else _draft(world)
    slug = _weighted(plan) if slug == "WEIGHTED" else slug
    before = _snapshot(plan)

    response = _edit(world.physio, plan, slug, **change)

    assert response.status_code == 400
    assert field in response.json()
    assert _snapshot(plan) == before


def test_a_load_of_zero_is_taken_as_asked_not_as_missing(world):
    plan = _draft(world, **FIT)
    weighted = _weighted(plan)

    response = _edit(world.physio, plan, weighted, intensity_high=0, intensity_low=30)

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert _dose(plan, 1, weighted).intensity_in("pct_1rm") == Intensity("pct_1rm", 0, 0)


def test_an_item_of_another_plan_is_not_found(world):
    plan = _draft(world)
    other = _draft(world)

    item = _item(other, "flat-walking")
    response = client_for(world.physio).patch(
        f"{PLANS}{plan.pk}/items/{item.pk}/", {"version": plan.version, "minutes": 12}, format="json"
    )

    assert response.status_code == 404
    assert _snapshot(plan)[0] == 1
    assert _snapshot(other)[0] == 1


# ---------------------------------------------------------------------------------------------
# Activating
# ---------------------------------------------------------------------------------------------


def test_activating_a_draft_makes_it_the_patients_plan(world):
    plan = _draft(world)

    response = client_for(world.physio).post(f"{PLANS}{plan.pk}/activate/", {"version": 1}, format="json")

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert (plan.status, plan.version) == (PlanStatus.ACTIVE, 2)
    assert plan.activated_at is not None
    assert response.json()["status"] == "active"


def test_activating_a_second_plan_completes_the_first(world):
    first = _active(world)
    second = _draft(world)

    response = client_for(world.physio).post(f"{PLANS}{second.pk}/activate/", {"version": 1}, format="json")

    assert response.status_code == 200, response.content
    first.refresh_from_db()
    second.refresh_from_db()
    assert (first.status, second.status) == (PlanStatus.COMPLETED, PlanStatus.ACTIVE)
    assert Plan.objects.filter(patient=world.patient, status=PlanStatus.ACTIVE).get() == second


def test_an_active_plan_cannot_be_activated_again_nor_with_a_stale_version(world):
    plan = _active(world)
    before = _snapshot(plan)

    again = client_for(world.physio).post(f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json")
    stale = client_for(world.physio).post(f"{PLANS}{plan.pk}/activate/", {"version": 1}, format="json")

    assert again.status_code == 409
    assert stale.status_code == 409
    assert _snapshot(plan) == before


# ---------------------------------------------------------------------------------------------
# Who may see and do what
# ---------------------------------------------------------------------------------------------


def test_a_patient_reads_their_active_plan_but_not_a_draft_nor_anyone_elses(world):
    active = _active(world)
    draft = _draft(world)
    others = _active_for_other_patient(world)
    client = client_for(world.patient_user)

    own = client.get(f"{PLANS}{active.pk}/")
    assert own.status_code == 200
    assert own.json()["id"] == active.pk
    assert client.get(f"{PLANS}{draft.pk}/").status_code == 404
    hidden = client.get(f"{PLANS}{others.pk}/")
    assert hidden.status_code == 404
    assert "Bob" not in hidden.content.decode()
    listed = client.get(PLANS).json()["results"]
    assert [row["id"] for row in listed] == [active.pk]


ENDPOINTS = {
    "retrieve": ("get", "{plan}/", None),
    "edit": ("patch", "{plan}/items/{item}/", {"minutes": 12, "reason": "more time"}),
    "limits": ("patch", "{plan}/limits/", {"adjustments": [{"field": "aerobic.max_rpe", "value": 10}]}),
    "activate": ("post", "{plan}/activate/", {}),
    "history": ("get", "{plan}/history/", None),
}
NOT_FOUND = dict.fromkeys(ENDPOINTS, 404)
# Against a draft of world.patient (the physiotherapist's and the clinician's patient).
ON_A_DRAFT = {
    "physio": dict.fromkeys(ENDPOINTS, 200),
    "clinician": {"retrieve": 200, "edit": 200, "limits": 200, "activate": 403, "history": 200},
    "outsider_physio": NOT_FOUND,
    "foreign_physio": NOT_FOUND,
    "admin": NOT_FOUND,  # the clinic admin manages records, never clinical data
    "patient_user": NOT_FOUND,  # a draft is not the patient's yet
    "other_patient_user": NOT_FOUND,
}
# Against world.patient's active plan.
ON_AN_ACTIVE_PLAN = {
    "physio": {"retrieve": 200, "edit": 200, "limits": 200, "activate": 409, "history": 200},
    "outsider_physio": NOT_FOUND,
    "foreign_physio": NOT_FOUND,
    "admin": NOT_FOUND,
    "patient_user": {"retrieve": 200, "edit": 403, "limits": 403, "activate": 403, "history": 200},
    "other_patient_user": NOT_FOUND,
}
CASES = [("draft", actor, endpoint) for actor, row in ON_A_DRAFT.items() for endpoint in row] + [
    ("active", actor, endpoint) for actor, row in ON_AN_ACTIVE_PLAN.items() for endpoint in row
]


@pytest.mark.parametrize(("status", "actor", "endpoint"), CASES)
def test_each_role_gets_exactly_what_the_access_rule_says(world, status, actor, endpoint):
    plan = _active(world) if status == "active" else _draft(world)
    before = _snapshot(plan)
    method, path, payload = ENDPOINTS[endpoint]
    url = PLANS + path.format(plan=plan.pk, item=_item(plan, "flat-walking").pk)
    if payload is not None:
        payload = {**payload, "version": plan.version}

    response = getattr(client_for(getattr(world, actor)), method)(url, payload, format="json")

    expected = (ON_A_DRAFT if status == "draft" else ON_AN_ACTIVE_PLAN)[actor][endpoint]
    assert response.status_code == expected, response.content
    if expected != 200 or method == "get":
        assert _snapshot(plan) == before
    if expected == 404:
        assert "Helen" not in response.content.decode()


def test_the_plan_list_for_a_patient_shows_only_the_plans_the_user_may_see(world):
    mine = _draft(world)
    others = _active_for_other_patient(world)

    def listed(user, patient):
        response = client_for(user).get(PLANS, {"patient": patient.pk})
        assert response.status_code == 200
        return [row["id"] for row in response.json()["results"]]

    assert listed(world.physio, world.patient) == [mine.pk]
    assert listed(world.physio, world.other_patient) == []
    assert listed(world.outsider_physio, world.other_patient) == [others.pk]
    assert listed(world.outsider_physio, world.patient) == []
    assert listed(world.admin, world.patient) == []
    assert listed(world.foreign_physio, world.patient) == []
    assert listed(world.patient_user, world.patient) == []  # a draft only


def test_a_patient_filter_that_is_not_a_number_is_refused(world):
    response = client_for(world.physio).get(PLANS, {"patient": "abc"})

    assert response.status_code == 400
    assert "patient" in response.json()


# ---------------------------------------------------------------------------------------------
# Changing the limits
# ---------------------------------------------------------------------------------------------


def test_tightening_a_limit_needs_no_reason_and_reclamps_every_dose(world):
    plan = _draft(world)

    response = _adjust(world.clinician, plan, [{"field": "aerobic.max_rpe", "value": 10}])

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    engine = engine_plan(plan)
    assert engine.limits.aerobic.max_rpe == 10
    assert plan.version == 2
    assert _violations_from(plan) == []
    assert all(_dose(plan, week, "flat-walking").intensity_in("rpe_6_20").high <= 10 for week in range(1, 13))
    assert response.json()["limits"]["aerobic"]["max_rpe"] == 10


def test_tightening_an_active_plan_changes_doses_from_the_current_week_only(world):
    plan = _active(world)
    past = [_dose(plan, week, "flat-walking") for week in (1, 2)]

    with time_machine.travel("2026-11-17 09:00", tick=True):  # week 3
        response = _adjust(world.clinician, plan, [{"field": "aerobic.max_hrr_pct", "value": 32}])

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert [_dose(plan, week, "flat-walking") for week in (1, 2)] == past
    assert _violations_from(plan, week=3) == []
    assert all(_dose(plan, week, "flat-walking").intensity_in("pct_hrr").high <= 32 for week in range(3, 13))


def test_tightening_drops_the_exercises_the_new_limits_forbid(world):
    # Without bone fragility or inflammation the draft includes a ballistic swing.
    plan = _draft(world, bone_fragility="none", inflammation_activity="inactive", heterotopic_ossification_regions=[])
    assert "dumbbell-swing" in {item.slug for item in engine_plan(plan).items}
    swing = _item(plan, "dumbbell-swing")
    excluded = [*engine_plan(plan).limits.excluded_tags, "ballistic"]

    response = _adjust(world.clinician, plan, [{"field": "excluded_tags", "value": excluded}])

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    engine = engine_plan(plan)
    assert "dumbbell-swing" not in {item.slug for item in engine.items}
    assert all(week.dose_for("dumbbell-swing") is None for week in engine.weeks)
    assert "dumbbell-swing" not in {item["exercise"]["slug"] for item in response.json()["items"]}
    assert "dumbbell-swing" in _plan_reasons(world, plan)[0]
    # The dropped exercise can no longer be edited.
    edit = client_for(world.physio).patch(
        f"{PLANS}{plan.pk}/items/{swing.pk}/", {"version": plan.version, "sets": 2}, format="json"
    )
    assert edit.status_code in (400, 404)


def test_dropping_an_exercise_keeps_its_override_record(world):
    plan = _draft(world)
    _edit(world.physio, plan, "flat-walking", intensity_high=50, override_reason="Supervised with telemetry")
    plan.refresh_from_db()

    # No impact at all: walking (brisk-walking level) leaves the plan.
    response = _adjust(world.clinician, plan, [{"field": "max_impact", "value": "none"}])

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert "flat-walking" not in {item.slug for item in engine_plan(plan).items}
    override = LimitOverride.objects.get()
    assert (override.reason, override.created_by) == ("Supervised with telemetry", world.physio)


def test_dropping_an_exercise_keeps_the_sessions_the_patient_logged_for_it(world):
    plan = _active(world)
    carry = _item(plan, "flat-walking")
    logged = client_for(world.patient_user).post(
        "/api/v1/checkins/",
        {"date": "2026-11-02", "items": [{"plan_item": carry.pk, "done": True}], "pain_during": 2, "pain_after": 2},
        format="json",
        HTTP_IDEMPOTENCY_KEY="monday",
    )
    assert logged.status_code == 201, logged.content

    response = _adjust(world.clinician, plan, [{"field": "max_impact", "value": "none"}])

    assert response.status_code == 200, response.content
    checkin = CheckIn.objects.get(pk=logged.json()["id"])
    assert list(checkin.items.values_list("plan_item", "done")) == [(carry.pk, True)]


def test_loosening_a_limit_without_a_reason_is_refused_naming_the_reason(world):
    plan = _draft(world)
    before = _snapshot(plan)

    response = _adjust(world.clinician, plan, [{"field": "aerobic.max_rpe", "value": 13}])

    assert response.status_code == 400
    assert "reason" in response.json()
    assert _snapshot(plan) == before


def test_loosening_a_limit_with_a_reason_is_recorded(world):
    plan = _draft(world)

    # An effort ceiling and its %HRR equivalent loosen together: the stricter of the two would govern.
    both = [{"field": "aerobic.max_rpe", "value": 13}, {"field": "aerobic.max_hrr_pct", "value": 59}]
    response = _adjust(world.clinician, plan, both, reason="Flare settled")

    assert response.status_code == 200, response.content
    plan.refresh_from_db()
    assert engine_plan(plan).limits.aerobic.max_rpe == 13
    assert "Flare settled" in _plan_reasons(world, plan)[0]


@pytest.mark.parametrize(
    ("adjustment", "key"),
    [
        ({"field": "aerobic.max_rpe", "value": 30}, "adjustments.aerobic.max_rpe"),
        ({"field": "excluded_tags", "value": ["somersaults"]}, "adjustments.excluded_tags"),
        ({"field": "profile.age", "value": 30}, "adjustments"),
    ],
)
def test_an_invalid_limit_change_is_refused_per_field(world, adjustment, key):
    plan = _draft(world)
    before = _snapshot(plan)

    response = _adjust(world.clinician, plan, [adjustment], reason="Because")

    assert response.status_code == 400
    assert key in response.json()
    assert _snapshot(plan) == before


def test_a_limit_change_with_a_stale_version_gets_409(world):
    plan = _draft(world)
    _edit(world.physio, plan, "flat-walking", minutes=12)
    after_edit = _snapshot(plan)

    response = _adjust(world.clinician, plan, [{"field": "aerobic.max_rpe", "value": 10}], version=1)

    assert response.status_code == 409
    assert _snapshot(plan) == after_edit


def test_a_completed_plan_cannot_be_changed(world):
    first = _active(world)
    _active(world)  # replaces the first
    first.refresh_from_db()
    before = _snapshot(first)

    edit = _edit(world.physio, first, "flat-walking", minutes=12)
    limits = _adjust(world.clinician, first, [{"field": "aerobic.max_rpe", "value": 10}])

    assert (edit.status_code, limits.status_code) == (409, 409)
    assert _snapshot(first) == before


# ---------------------------------------------------------------------------------------------
# The audit trail
# ---------------------------------------------------------------------------------------------


def test_the_history_lists_every_change_with_its_author_and_reason(world):
    plan = _draft(world)
    _edit(world.physio, plan, "flat-walking", minutes=12, reason="Walks to the shop daily")
    plan.refresh_from_db()
    _edit(world.physio, plan, "flat-walking", intensity_high=45, override_reason="Supervised in the gym")
    plan.refresh_from_db()
    _adjust(world.clinician, plan, [{"field": "resistance.max_rpe", "value": 12}], reason="Sore after sessions")
    plan.refresh_from_db()
    client_for(world.physio).post(f"{PLANS}{plan.pk}/activate/", {"version": plan.version}, format="json")

    response = client_for(world.clinician).get(f"{PLANS}{plan.pk}/history/")

    assert response.status_code == 200
    oldest_first = list(reversed(response.json()))
    plan_rows = [
        (entry["by"], entry["reason"], entry["version"]) for entry in oldest_first if entry["object"] == "plan"
    ]
    physio, clinician = world.physio.display_name, world.clinician.display_name
    assert [(by, version) for by, _reason, version in plan_rows] == [
        (physio, 1),
        (physio, 2),
        (physio, 3),
        (clinician, 4),
        (physio, 5),
    ]
    reasons = [reason for _by, reason, _version in plan_rows]
    assert reasons[0].startswith("Generated from the assessment of 2026-11-01")
    assert "Walks to the shop daily" in reasons[1]
    assert "override" in reasons[2]
    assert "Supervised in the gym" in reasons[2]
    assert "resistance.max_rpe" in reasons[3]
    assert "Sore after sessions" in reasons[3]
    assert reasons[4] == "Activated"
    overrides = [entry for entry in oldest_first if entry["object"] == "override"]
    assert [(entry["by"], entry["reason"], entry["exercise"]) for entry in overrides] == [
        (physio, "Supervised in the gym", "Walking on flat ground")
    ]
    assert all(entry["at"] for entry in oldest_first)


def test_changes_made_through_the_services_name_their_author(world):
    from rehab.services.plans import plan_activate, plan_generate, plan_item_update

    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=START)
    plan = plan_item_update(
        actor=world.clinician,
        plan=plan,
        item=_item(plan, "flat-walking"),
        version=plan.version,
        changes={"minutes": 12},
        reason="Service call",
    )
    plan_activate(actor=world.physio, plan=plan, version=plan.version)

    authors = [row.history_user for row in plan.history.order_by("history_date", "history_id")]
    assert authors == [world.physio, world.clinician, world.physio]


def test_the_plan_shows_its_targets_with_the_week_expected_or_why_lower(world):
    builders.make_assessment(world.patient, by=world.physio)
    response = client_for(world.physio).post(
        PLANS, {"patient": world.patient.pk, "start_date": "2026-11-02"}, format="json"
    )
    assert response.status_code == 201, response.content
    body = client_for(world.physio).get(f"{PLANS}{response.json()['id']}/", {"include": "targets,rules"}).json()
    targets = {(t["component"], t["measure"]): t for t in body["targets"]}

    aerobic = targets[("aerobic", "minutes_per_week")]
    assert aerobic["value"] == 150
    assert aerobic["expected_week"] is not None or aerobic["reason"]
    assert set(aerobic["rules"]) >= {"target.aerobic.150_minutes"}
    assert all(body["rules"][rule_id]["evidence"] for rule_id in aerobic["rules"])
    assert ("resistance", "sets") in targets
