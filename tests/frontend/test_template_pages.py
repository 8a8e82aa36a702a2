"""Staff pages for clinic plan templates: browse, preview against a patient, make a draft, save a plan."""

from datetime import date

import pytest

from rehab.models import PlanFromTemplate, PlanTemplate
from rehab.services import templates as template_services
from rehab.services.plans import plan_generate
from tests import builders

STRICTER = {"inflammation_activity": "high", "vertebral_fracture": True, "beta_blocker": True}


@pytest.fixture
def template(world):
    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 2))
    return template_services.template_create_from_plan(actor=world.physio, plan=plan, name="Myositis start")


@pytest.mark.django_db
def test_a_plan_is_saved_as_a_template_from_its_page(client, world):
    builders.make_assessment(world.patient, by=world.physio)
    plan = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 2))
    client.force_login(world.physio)

    page = client.get(f"/plans/{plan.pk}/")
    saved = client.post(
        f"/plans/{plan.pk}/save-as-template/", {"name": "Knee start", "conditions": ["vertebral_fracture"]}
    )
    refused = client.post(f"/plans/{plan.pk}/save-as-template/", {"name": ""})

    assert f"/plans/{plan.pk}/save-as-template/" in page.content.decode()
    template = PlanTemplate.objects.get(name="Knee start")
    assert saved.status_code == 302
    assert saved["Location"] == f"/templates/{template.pk}/"
    assert template.versions.get().conditions == ["vertebral_fracture"]
    assert refused.status_code == 400


@pytest.mark.django_db
def test_the_preview_shows_each_change_with_its_reason_and_the_draft_shows_them_too(client, world, template):
    stricter = builders.make_patient(world.clinic, care_team=[world.physio], first_name="Stella")
    builders.make_assessment(stricter, by=world.physio, **STRICTER)
    client.force_login(world.physio)

    listed = client.get("/templates/")
    preview = client.get(f"/templates/{template.pk}/", {"patient": stricter.pk, "start_date": "2026-11-02"})
    made = client.post(f"/templates/{template.pk}/", {"patient": stricter.pk, "start_date": "2026-11-02"})

    assert "Myositis start" in listed.content.decode()
    text = preview.content.decode()
    assert "what changes" in text
    assert "minimum of 15" in text  # high inflammation: lighter loads, more repetitions
    assert made.status_code == 302
    origin = PlanFromTemplate.objects.get(template_version__template=template)
    plan_page = client.get(made["Location"]).content.decode()
    assert "Made from the template" in plan_page
    assert origin.changes[0]["text"].split(" (")[0] in plan_page


@pytest.mark.django_db
def test_another_clinics_template_page_is_a_404(client, world, template):
    client.force_login(world.foreign_physio)
    assert client.get(f"/templates/{template.pk}/").status_code == 404
    assert "Myositis start" not in client.get("/templates/").content.decode()


@pytest.mark.django_db
def test_archiving_takes_it_off_the_list(client, world, template):
    client.force_login(world.physio)
    link = f'href="/templates/{template.pk}/"'
    assert link in client.get("/templates/").content.decode()
    client.post(f"/templates/{template.pk}/archive/")
    assert link not in client.get("/templates/").content.decode()
    assert link in client.get("/templates/?archived=1").content.decode()


@pytest.mark.django_db
def test_the_template_list_costs_the_same_queries_for_more_templates(
    client, world, template, django_assert_max_num_queries
):
    client.force_login(world.physio)
    with django_assert_max_num_queries(20) as one:
        client.get("/templates/")
    plan = template.versions.get().source_plan
    for name in ("Hips", "Shoulders"):
        template_services.template_create_from_plan(
            actor=world.physio, plan=plan, name=name, conditions=["vertebral_fracture"]
        )

    with django_assert_max_num_queries(len(one.captured_queries)) as three:
        page = client.get("/templates/").content.decode()

    assert len(three.captured_queries) == len(one.captured_queries)
    assert page.count("Vertebral fracture") >= 2
