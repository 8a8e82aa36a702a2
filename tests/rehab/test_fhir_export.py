"""FHIR R4 export: the demo's bundles and generated ones parse with fhir.resources (R4B models), every
reference resolves inside the bundle, every code comes from a known system; access and read audit as
for every read; the plan export costs the same queries whatever the number of check-ins."""

import io
import itertools
from datetime import timedelta

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from fhir.resources.R4B import get_fhir_model_class
from fhir.resources.R4B.bundle import Bundle
from fhir.resources.R4B.capabilitystatement import CapabilityStatement
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from planner.vocabulary import PAIN_SITE_CODES, RED_FLAG_CODES
from rehab.fhir import codes
from rehab.fhir.base import Canon
from rehab.fhir.bundle import PatientRows, build_bundle
from rehab.fhir.load import _plan_rows, canon
from rehab.models import Exercise, Measurement, Patient, Plan, PlanItem, RecordAccess, Role, User
from rehab.services.checkins import checkin_record
from rehab.services.plans import plan_generate
from tests import builders
from tests.conftest import client_for

FHIR_JSON = "application/fhir+json"


def _walk(node):
    if isinstance(node, dict):
        yield node
        for value in node.values():
            yield from _walk(value)
    elif isinstance(node, list):
        for value in node:
            yield from _walk(value)


def assert_valid_bundle(bundle: dict, base: str) -> dict:
    """Parses the bundle and each resource with the R4B models; references resolve; known systems only.
    Returns {resourceType: count}."""
    Bundle.model_validate(bundle)
    assert bundle["type"] == "collection"
    full_urls = [entry["fullUrl"] for entry in bundle["entry"]]
    assert len(full_urls) == len(set(full_urls))
    counts = {}
    for entry in bundle["entry"]:
        resource = entry["resource"]
        get_fhir_model_class(resource["resourceType"]).model_validate(resource)
        counts[resource["resourceType"]] = counts.get(resource["resourceType"], 0) + 1
    references = [node["reference"] for node in _walk(bundle) if isinstance(node.get("reference"), str)]
    assert references
    assert set(references) <= set(full_urls), set(references) - set(full_urls)
    systems = {node["system"] for node in _walk(bundle) if "system" in node and "code" in node}
    allowed = codes.STANDARD_SYSTEMS | Canon(base).local_systems()
    assert systems <= allowed, systems - allowed
    return counts


def _resources(bundle, resource_type):
    return [e["resource"] for e in bundle["entry"] if e["resource"]["resourceType"] == resource_type]


@pytest.fixture
def plan(world):
    plan = builders.make_active_plan(world.patient, world.physio)
    for n, (during, after) in enumerate([(2, 3), (7, 8)]):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key=f"fhir-{n}",
            date=plan.start_date + timedelta(days=n),
            pain_during=during,
            pain_after=after,
            pain_next_morning=3,
            session_rpe=12,
            heart_rate_avg=110,
            heart_rate_max=150,
            spo2_min=95,
            pain_regions=["muscles"],
        )
    for kind, value in (("six_minute_walk_m", 410), ("fi3_hip_flexion", 22), ("fi3_neck_flexion", 9)):
        Measurement.objects.create(
            patient=world.patient, kind=kind, value=value, measured_on=plan.start_date, recorded_by=world.physio
        )
    Measurement.objects.create(
        patient=world.patient,
        kind="ck_u_l",
        value=900,
        upper_limit_normal=170,
        measured_on=plan.start_date,
        recorded_by=world.physio,
    )
    return Plan.objects.get(pk=plan.pk)


def test_the_demo_plan_and_patient_export_as_valid_bundles_with_the_pa_ig_profiles(db, settings):
    call_command("seed_demo", "--force", stdout=io.StringIO())
    physio = User.objects.get(username="physio")
    patient = Patient.objects.get(user__username="patient")
    plan = patient.plans.get()
    client = client_for(physio)

    answer = client.get(f"/api/v1/plans/{plan.pk}/fhir/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == FHIR_JSON
    assert "no-store" in answer["Cache-Control"]
    bundle = answer.json()
    counts = assert_valid_bundle(bundle, settings.FHIR_CANONICAL_BASE)
    assert counts["CarePlan"] == 1
    assert counts["Condition"] == 3
    assert counts["ServiceRequest"] == plan.items.count()
    assert counts["QuestionnaireResponse"] == plan.checkins.count() > 0
    assert counts["Provenance"] == plan.decisions.count() > 0
    assert counts["Practitioner"] == counts["PractitionerRole"] == 2
    assert counts["Questionnaire"] == 1
    systems = {node["system"] for node in _walk(bundle) if "system" in node and "code" in node}
    assert {codes.LOINC, codes.SNOMED, codes.DICOM, codes.UCUM, codes.PA_TEMPORARY_CODES} <= systems

    careplan = _resources(bundle, "CarePlan")[0]
    assert careplan["meta"]["profile"] == [codes.PA_PROFILES["CarePlan"]]
    assert (careplan["status"], careplan["intent"]) == ("active", "plan")
    assert len(careplan["activity"]) == counts["ServiceRequest"]
    assert len(careplan["addresses"]) == 3
    assert careplan["goal"]
    assert any(note["text"].startswith("Impact ceiling:") for note in careplan["note"])
    assert any(note["text"].startswith("Avoid:") for note in careplan["note"])
    request = _resources(bundle, "ServiceRequest")[0]
    assert request["code"]["coding"] == [codes.EXERCISE_THERAPY]
    assert request["occurrenceTiming"]["repeat"]["periodUnit"] == "wk"
    assert "sessions a week" in request["patientInstruction"]
    goals = _resources(bundle, "Goal")
    aerobic = [g for g in goals if g["target"][0]["measure"]["coding"][0] == codes.AEROBIC_MINUTES_A_WEEK]
    assert aerobic
    assert aerobic[0]["target"][0]["detailQuantity"]["code"] == "min/wk"
    assert aerobic[0]["target"][0]["dueDate"] == (plan.start_date + timedelta(days=83)).isoformat()
    pain = [o for o in _resources(bundle, "Observation") if o["code"]["coding"][0] == codes.PAIN_NRS]
    assert len(pain) >= 2 * plan.checkins.count()
    assert all(o["derivedFrom"][0]["type"] == "QuestionnaireResponse" and o["interpretation"] for o in pain)
    rpe = [o for o in _resources(bundle, "Observation") if o.get("method")]
    assert rpe
    assert rpe[0]["method"]["coding"] == [codes.BORG_RPE]

    answer = client.get(f"/api/v1/patients/{patient.pk}/fhir/")
    assert answer.status_code == 200
    assert answer["Content-Type"] == FHIR_JSON
    assert assert_valid_bundle(answer.json(), settings.FHIR_CANONICAL_BASE)["CarePlan"] == 1


def test_check_in_values_and_measures_become_observations_with_their_codes(world, plan, settings):
    bundle = client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/fhir/").json()
    assert_valid_bundle(bundle, settings.FHIR_CANONICAL_BASE)
    observations = _resources(bundle, "Observation")
    by_code = {}
    for observation in observations:
        by_code.setdefault(observation["code"]["coding"][0]["code"], []).append(observation)
    assert len(by_code["72514-3"]) == 6  # during, after, next morning for two check-ins
    lights = sorted(o["interpretation"][0]["coding"][0]["code"] for o in by_code["72514-3"] if "during" in o["id"])
    assert lights == ["AA", "N"]  # 2/10 green, 7/10 red (usual pain 3)
    assert by_code["8867-4"][0]["valueQuantity"] == {
        "value": 110,
        "unit": "beats/minute",
        "system": codes.UCUM,
        "code": "/min",
    }
    assert len(by_code["55422-0"]) == len(by_code["59408-5"]) == 2
    assert by_code["64098-7"][0]["valueQuantity"]["code"] == "m"
    fi3 = by_code["fi3"][0]
    assert [c["code"]["coding"][0]["code"] for c in fi3["component"]] == ["fi3_hip_flexion", "fi3_neck_flexion"]
    ck = by_code["ck_u_l"][0]
    assert ck["interpretation"][0]["coding"][0]["code"] == "H"
    assert ck["referenceRange"][0]["high"]["value"] == 170
    responses = _resources(bundle, "QuestionnaireResponse")
    assert len(responses) == 2
    questionnaire = _resources(bundle, "Questionnaire")[0]
    assert all(r["questionnaire"].startswith(questionnaire["url"]) for r in responses)
    assert questionnaire["url"] == f"{settings.FHIR_CANONICAL_BASE}Questionnaire/check-in"


def test_open_red_flags_are_flags_and_a_paused_plan_is_on_hold(
    world, plan, settings, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key="fhir-flag",
            date=plan.start_date + timedelta(days=3),
            pain_during=2,
            pain_after=2,
            red_flags=["chest_pain"],
        )
    plan.refresh_from_db()
    assert plan.status == "paused"
    bundle = client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/fhir/").json()
    assert_valid_bundle(bundle, settings.FHIR_CANONICAL_BASE)
    assert _resources(bundle, "CarePlan")[0]["status"] == "on-hold"
    flags = _resources(bundle, "Flag")
    assert len(flags) == 1
    assert flags[0]["code"]["coding"][0]["code"] == "chest_pain"
    assert {r["status"] for r in _resources(bundle, "ServiceRequest")} == {"on-hold"}


def test_a_draft_without_check_ins_and_a_dropped_item_still_give_a_valid_bundle(world, settings):
    builders.make_assessment(world.patient, by=world.physio)
    draft = plan_generate(actor=world.physio, patient=world.patient, start_date=builders.date(2026, 11, 2))
    outside = Exercise.objects.exclude(slug__in=draft.items.values("exercise__slug")).first()
    dropped = PlanItem.objects.create(plan=draft, position=99, exercise=outside, component=outside.component)
    world.patient.diagnoses = []
    world.patient.save()
    bundle = client_for(world.physio).get(f"/api/v1/plans/{draft.pk}/fhir/").json()
    counts = assert_valid_bundle(bundle, settings.FHIR_CANONICAL_BASE)
    assert "QuestionnaireResponse" not in counts
    assert "Condition" not in counts
    careplan = _resources(bundle, "CarePlan")[0]
    assert careplan["status"] == "draft"
    revoked = [r for r in _resources(bundle, "ServiceRequest") if r["status"] == "revoked"]
    assert [r["id"] for r in revoked] == [f"plan-{draft.pk}-item-{dropped.pk}"]
    assert revoked[0]["reasonCode"] == [{"text": "Exercise prescription"}]


def test_an_item_with_no_dose_this_week_has_a_timing_without_a_frequency(world, plan, settings):
    plan = Plan.objects.select_related("patient__clinic", "author", "assessment").get(pk=plan.pk)
    rows = _plan_rows([plan])[0]
    late = type(rows)(**{**rows.__dict__, "week": len(rows.engine.weeks) + 5})
    bundle = build_bundle(
        canon(),
        PatientRows(patient=plan.patient, care_team=[world.physio], plans=[late], measurements=[], alerts=[]),
        timestamp=plan.created_at,
    )
    assert_valid_bundle(bundle, settings.FHIR_CANONICAL_BASE)
    for request in _resources(bundle, "ServiceRequest"):
        assert "frequency" not in request["occurrenceTiming"]["repeat"]
        assert "no dose in week" in request["patientInstruction"]


def test_access_is_the_care_team_and_the_patient_and_staff_reads_are_recorded(world, plan):
    url, patient_url = f"/api/v1/plans/{plan.pk}/fhir/", f"/api/v1/patients/{world.patient.pk}/fhir/"
    for user in (world.admin, world.outsider_physio, world.foreign_physio, world.other_patient_user):
        assert client_for(user).get(url).status_code == 404
        assert client_for(user).get(patient_url).status_code == 404
    assert client_for(world.patient_user).get(url).status_code == 200
    assert client_for(world.patient_user).get(patient_url).status_code == 200
    assert not RecordAccess.objects.exists()
    assert client_for(world.clinician).get(url).status_code == 200
    assert client_for(world.clinician).get(patient_url).status_code == 200
    rows = list(RecordAccess.objects.order_by("id").values_list("actor_id", "kind", "object_id", "surface"))
    assert rows == [
        (world.clinician.pk, "plan", plan.pk, "api:plan-fhir"),
        (world.clinician.pk, "patient", None, "api:patient-fhir"),
    ]
    assert client_for(world.physio).get("/api/v1/plans/999999/fhir/").status_code == 404


def test_the_plan_export_costs_the_same_queries_whatever_the_number_of_check_ins(world, plan):
    client = client_for(world.physio)
    client.get(f"/api/v1/plans/{plan.pk}/fhir/")  # the process keeps the typed plan: count warm calls only
    with CaptureQueriesContext(connection) as few:
        assert client.get(f"/api/v1/plans/{plan.pk}/fhir/").status_code == 200
    for n in range(2, 7):
        checkin_record(
            actor=world.patient_user,
            plan=plan,
            idempotency_key=f"more-{n}",
            date=plan.start_date + timedelta(days=n),
            pain_during=1,
            pain_after=1,
            session_rpe=11,
            items=[{"plan_item": item, "done": True} for item in plan.items.all()[:2]],
        )
    with CaptureQueriesContext(connection) as many:
        assert client.get(f"/api/v1/plans/{plan.pk}/fhir/").status_code == 200
    assert len(many.captured_queries) == len(few.captured_queries)


def test_the_capability_statement_names_the_operations_and_profiles(api):
    answer = api.get("/api/v1/fhir/metadata")
    assert answer.status_code == 200
    assert answer["Content-Type"] == FHIR_JSON
    statement = CapabilityStatement.model_validate(answer.json())
    supported = {r.type: r.supportedProfile for r in statement.rest[0].resource}
    assert supported["CarePlan"] == [codes.PA_PROFILES["CarePlan"]]
    assert "/plans/{id}/fhir/" in statement.rest[0].documentation


def test_the_schema_documents_the_export_as_fhir_json(db):
    from drf_spectacular.generators import SchemaGenerator

    paths = SchemaGenerator().get_schema(request=None, public=True)["paths"]
    for path in ("/api/v1/plans/{id}/fhir/", "/api/v1/patients/{id}/fhir/", "/api/v1/fhir/metadata"):
        content = paths[path]["get"]["responses"]["200"]["content"]
        assert content[FHIR_JSON]["schema"]["type"] == "object"


PROFILES = (
    {"bone_fragility": "none", "inflammation_activity": "inactive", "pain_at_rest": 0, "resting_spo2": None},
    {"bone_fragility": "osteoporosis", "inflammation_activity": "moderate", "pain_at_rest": 4, "beta_blocker": True},
    {"bone_fragility": "fragility_fracture", "inflammation_activity": "low", "pain_at_rest": 2, "resting_spo2": 96},
)


@pytest.fixture
def generated_plans(world):
    """Three plans of different profiles, built once per test (the engine is the slow part); each
    example adds its check-ins to one of them, on days of its own."""
    plans = []
    for n, profile in enumerate(PROFILES):
        patient = builders.make_patient(world.clinic, care_team=[world.physio], diagnoses=[f"Diagnosis {n}"])
        plans.append(builders.make_active_plan(patient, world.physio, **profile))
    return plans, itertools.count(0)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    which=st.integers(0, len(PROFILES) - 1),
    status=st.sampled_from(["active", "paused", "completed", "archived"]),
    checkins=st.lists(
        st.fixed_dictionaries(
            {
                "pain_during": st.integers(0, 10),
                "pain_after": st.integers(0, 10),
                "pain_next_morning": st.none() | st.integers(0, 10),
                "session_rpe": st.none() | st.integers(6, 20),
                "heart": st.none() | st.tuples(st.integers(40, 190), st.integers(0, 30)),
                "spo2_min": st.none() | st.integers(80, 100),
                "pain_regions": st.lists(st.sampled_from(PAIN_SITE_CODES), unique=True, max_size=2),
                "red_flags": st.lists(st.sampled_from(RED_FLAG_CODES), unique=True, max_size=1),
            }
        ),
        max_size=2,
    ),
    # What the API accepts: DRF refuses NUL and lone surrogates (which PostgreSQL's JSON cannot store).
    diagnoses=st.lists(
        st.text(st.characters(exclude_categories=("Cs",), exclude_characters="\x00"), min_size=1, max_size=30),
        max_size=3,
    ),
)
def test_generated_plans_and_check_ins_give_only_valid_bundles(
    world, generated_plans, settings, which, status, checkins, diagnoses
):
    plans, days = generated_plans
    plan = plans[which]
    Plan.objects.filter(pk=plan.pk).update(status="active")
    plan.refresh_from_db()
    Patient.objects.filter(pk=plan.patient_id).update(diagnoses=diagnoses)
    for values in checkins:
        heart = values.pop("heart")
        n = next(days)
        # The plan's last day as "today", so every generated day is in the past and inside the plan
        # whatever the real date is (a check-in for a day to come is refused).
        with time_machine.travel(plan.start_date + timedelta(weeks=plan.weeks, hours=-12), tick=False):
            checkin_record(
                actor=world.physio,
                plan=plan,
                idempotency_key=f"gen-{n}",
                date=plan.start_date + timedelta(days=n),
                heart_rate_avg=heart[0] if heart else None,
                heart_rate_max=sum(heart) if heart else None,
                **values,
            )
    Plan.objects.filter(pk=plan.pk).update(status=status)
    bundle = client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/fhir/").json()
    counts = assert_valid_bundle(bundle, settings.FHIR_CANONICAL_BASE)
    assert counts.get("QuestionnaireResponse", 0) == plan.checkins.count()
    assert _resources(bundle, "CarePlan")[0]["status"] == codes.PLAN_STATUS[status]


def test_practitioner_roles_use_the_local_role_system(world, plan, settings):
    bundle = client_for(world.physio).get(f"/api/v1/plans/{plan.pk}/fhir/").json()
    roles = {r["code"][0]["coding"][0]["code"] for r in _resources(bundle, "PractitionerRole")}
    assert roles == {Role.PHYSIOTHERAPIST, Role.CLINICIAN}
    assert _resources(bundle, "PractitionerRole")[0]["code"][0]["coding"][0]["system"] == (
        f"{settings.FHIR_CANONICAL_BASE}CodeSystem/care-role"
    )
