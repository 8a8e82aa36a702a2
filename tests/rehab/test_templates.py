"""Clinic plan templates through the services and the API: clinic scope, versions, archive, refit."""

from datetime import date

import pytest
from django.core.management import call_command

from planner.limits import check_dose
from rehab.models import Patient, PlanFromTemplate, PlanStatus, PlanTemplate, Role, User
from rehab.services import templates as template_services
from rehab.services.errors import Conflict, NotAllowed
from rehab.services.plans import engine_plan, plan_generate
from tests import builders
from tests.conftest import client_for

START = date(2026, 11, 2)
STRICTER = {
    "bone_fragility": "osteoporosis",
    "vertebral_fracture": True,
    "heterotopic_ossification_regions": ["gluteal_left", "gluteal_right"],
    "inflammation_activity": "high",
    "cardiopulmonary_status": "monitor",
    "beta_blocker": True,
}


def _plan(world):
    builders.make_assessment(world.patient, by=world.physio)
    return plan_generate(actor=world.physio, patient=world.patient, start_date=START)


def _stricter_patient(world):
    patient = builders.make_patient(world.clinic, care_team=[world.physio], first_name="Stella")
    builders.make_assessment(patient, by=world.physio, **STRICTER)
    return patient


@pytest.mark.django_db
def test_done_when_a_template_from_the_demo_plan_refits_for_a_patient_with_stricter_limits():
    call_command("seed_demo", "--force")
    physio = User.objects.get(username="physio")
    demo_plan = Patient.objects.get(user__username="patient").plans.get()
    template = PlanTemplate.objects.get(clinic=physio.clinic)  # seed_demo saves the demo plan as a template
    assert template.versions.get().source_plan == demo_plan
    stricter = builders.make_patient(physio.clinic, care_team=[physio], first_name="Stella")
    builders.make_assessment(stricter, by=physio, **STRICTER)

    plan = template_services.plan_create_from_template(
        actor=physio, template=template, patient=stricter, start_date=START
    )

    engine = engine_plan(plan)
    demo_limits = engine_plan(demo_plan).limits
    assert engine.limits.resistance.max_pct_1rm <= demo_limits.resistance.max_pct_1rm
    assert engine.limits.aerobic.hr_zone_bpm is None  # beta blockade: effort governs
    for item in engine.items:
        assert check_dose(item, engine.limits, engine.profile) == [], item.slug
    for week in engine.weeks:
        for entry in week.doses:
            assert check_dose(entry, engine.limits) == [], (week.number, entry.exercise_slug)
    origin = PlanFromTemplate.objects.get(plan=plan)
    assert origin.template_version.template == template
    assert origin.changes, "stricter limits change the template"
    for change in origin.changes:
        assert change["reason"]
        assert change["rule_ids"], change["text"]
    assert plan.status == PlanStatus.DRAFT


@pytest.mark.django_db
def test_another_clinics_template_is_a_404_and_patients_see_none(world):
    template = template_services.template_create_from_plan(actor=world.physio, plan=_plan(world), name="Knees")

    assert client_for(world.foreign_physio).get(f"/api/v1/templates/{template.pk}/").status_code == 404
    assert client_for(world.foreign_physio).get("/api/v1/templates/").json()["results"] == []
    assert client_for(world.patient_user).get(f"/api/v1/templates/{template.pk}/").status_code == 404
    assert client_for(world.clinician).get(f"/api/v1/templates/{template.pk}/").status_code == 200
    answer = client_for(world.foreign_physio).post(
        "/api/v1/plans/",
        {"patient": world.foreign_patient.pk, "start_date": "2026-11-02", "template": template.pk},
        format="json",
    )
    assert answer.status_code == 404


@pytest.mark.django_db
def test_editing_a_template_adds_a_version_and_never_changes_a_plan_made_from_it(world):
    template = template_services.template_create_from_plan(actor=world.physio, plan=_plan(world), name="Start")
    patient = _stricter_patient(world)
    plan = template_services.plan_create_from_template(
        actor=world.physio, template=template, patient=patient, start_date=START
    )
    before = [(item.slug, item.dose) for item in engine_plan(plan).items]
    version = template_services.template_revise(
        actor=world.physio,
        template=template,
        items=[{"exercise": "brisk-walking", "frequency_per_week": 2, "minutes": 10, "basis": "absolute"}],
        note="Walking only",
    )

    assert version.number == 2
    assert [(item.slug, item.dose) for item in engine_plan(plan).items] == before
    assert PlanFromTemplate.objects.get(plan=plan).template_version.number == 1
    second = template_services.plan_create_from_template(
        actor=world.physio, template=template, patient=patient, start_date=START
    )
    assert [item.slug for item in engine_plan(second).items] == ["brisk-walking"]
    # Stored once, as made: version 1, one history entry naming the template, only its own items.
    assert second.version == 1
    (entry,) = second.history.all()
    assert "template" in entry.history_change_reason
    assert list(second.items.values_list("exercise__slug", flat=True)) == ["brisk-walking"]
    assert PlanFromTemplate.objects.get(plan=second).template_version.number == 2


@pytest.mark.django_db
def test_an_archived_template_cannot_be_used_or_archived_again(world):
    template = template_services.template_create_from_plan(actor=world.physio, plan=_plan(world), name="Old")
    template_services.template_archive(actor=world.physio, template=template)

    with pytest.raises(Conflict):
        template_services.template_archive(actor=world.physio, template=template)
    with pytest.raises(Conflict):
        template_services.plan_create_from_template(
            actor=world.physio,
            template=PlanTemplate.objects.get(pk=template.pk),
            patient=world.patient,
            start_date=START,
        )
    listed = client_for(world.physio).get("/api/v1/templates/").json()["results"]
    assert listed == []
    with_archived = client_for(world.physio).get("/api/v1/templates/?archived=true").json()["results"]
    assert [entry["id"] for entry in with_archived] == [template.pk]


@pytest.mark.django_db
def test_only_a_physiotherapist_writes_templates(world):
    with pytest.raises(NotAllowed):
        template_services.template_create(
            actor=world.clinician,
            name="X",
            items=[{"exercise": "brisk-walking", "frequency_per_week": 2, "minutes": 10}],
        )
    assert world.clinician.role == Role.CLINICIAN


@pytest.mark.django_db
def test_the_api_creates_from_a_plan_or_items_and_says_what_is_wrong_per_field(world):
    plan = _plan(world)
    physio = client_for(world.physio)

    made = physio.post("/api/v1/templates/", {"plan": plan.pk, "name": "From a plan"}, format="json")
    hand = physio.post(
        "/api/v1/templates/",
        {
            "name": "Walking",
            "conditions": ["bone_fragility.osteoporosis"],
            "items": [{"exercise": "brisk-walking", "frequency_per_week": 3, "minutes": 15, "basis": "absolute"}],
        },
        format="json",
    )
    wrong = physio.post(
        "/api/v1/templates/",
        {"name": "", "conditions": ["nonsense"], "items": [{"exercise": "brisk-walking", "frequency_per_week": 3}]},
        format="json",
    )
    both = physio.post("/api/v1/templates/", {"name": "X"}, format="json")

    assert made.status_code == 201, made.json()
    assert made.json()["source_plan"] == plan.pk
    assert made.json()["items"][0]["exercise"] == engine_plan(plan).items[0].slug
    assert hand.status_code == 201, hand.json()
    assert hand.json()["conditions"] == ["bone_fragility.osteoporosis"]
    assert wrong.status_code == 400
    assert {"name", "conditions"} <= set(wrong.json())
    assert both.status_code == 400
    assert "plan" in both.json()
    missing_minutes = physio.post(
        "/api/v1/templates/",
        {"name": "W", "items": [{"exercise": "brisk-walking", "frequency_per_week": 3}]},
        format="json",
    )
    assert missing_minutes.status_code == 400
    assert "items.0.minutes" in missing_minutes.json()


@pytest.mark.django_db
def test_preview_shows_the_refit_and_post_plans_with_a_template_stores_the_changes(world):
    template = template_services.template_create_from_plan(actor=world.physio, plan=_plan(world), name="Start")
    patient = _stricter_patient(world)
    physio = client_for(world.physio)

    preview = physio.post(f"/api/v1/templates/{template.pk}/preview/", {"patient": patient.pk}, format="json")
    created = physio.post(
        "/api/v1/plans/",
        {"patient": patient.pk, "start_date": "2026-11-02", "template": template.pk},
        format="json",
    )

    assert preview.status_code == 200, preview.json()
    assert preview.json()["changes"]
    assert all(change["reason"] and change["text"] for change in preview.json()["changes"])
    assert created.status_code == 201, created.json()
    origin = physio.get(f"/api/v1/plans/{created.json()['id']}/template-origin/")
    assert origin.status_code == 200
    assert origin.json()["changes"] == preview.json()["changes"]
    assert origin.json()["version"] == 1
    archived = physio.post(f"/api/v1/templates/{template.pk}/archive/")
    assert archived.status_code == 200
    assert archived.json()["archived"] is True
    assert physio.post(f"/api/v1/templates/{template.pk}/archive/").status_code == 409
