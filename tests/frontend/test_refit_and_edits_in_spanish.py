"""A template refit's changes and a dose edit's refusals in the reader's language: each sentence is kept in
English with its catalogue template beside it (planner.violations, RefitChange.said), so the preview, the
plan page's build notes and an edit above a limit read in Spanish; a change stored before reads as stored."""

import html
from datetime import date

import pytest

from rehab.models import PlanFromTemplate, User
from rehab.services.plans import plan_generate
from tests import builders
from tests.frontend.test_template_pages import STRICTER
from tests.frontend.test_template_pages import template as template  # a fixture, used by name


def _spanish(client, world):
    User.objects.filter(pk=world.physio.pk).update(language="es")
    client.force_login(world.physio)


@pytest.mark.django_db
def test_the_refits_changes_read_in_spanish_on_the_preview_and_the_plan(client, world, template):
    stricter = builders.make_patient(world.clinic, care_team=[world.physio], first_name="Stella")
    builders.make_assessment(stricter, by=world.physio, **STRICTER)
    _spanish(client, world)

    preview = html.unescape(
        client.get(f"/templates/{template.pk}/", {"patient": stricter.pk, "start_date": "2026-11-02"}).content.decode()
    )
    made = client.post(f"/templates/{template.pk}/", {"patient": stricter.pk, "start_date": "2026-11-02"})
    plan_page = html.unescape(client.get(made["Location"]).content.decode())

    origin = PlanFromTemplate.objects.get(template_version__template=template)
    assert any("minimum of 15" in change["text"] for change in origin.changes)  # the record keeps its English
    for page in (preview, plan_page):
        assert "por debajo del mínimo de 15 (cargas más ligeras, más repeticiones)" in page
        assert "minimum of 15" not in page
        assert "límite: " in page
        assert "limit: " not in page
    assert all(change["said"] for change in origin.changes)  # each line's template, kept beside its English


@pytest.mark.django_db
def test_a_change_stored_before_templates_were_kept_reads_as_stored(client, world, template):
    stricter = builders.make_patient(world.clinic, care_team=[world.physio], first_name="Stella")
    builders.make_assessment(stricter, by=world.physio, **STRICTER)
    client.force_login(world.physio)
    made = client.post(f"/templates/{template.pk}/", {"patient": stricter.pk, "start_date": "2026-11-02"})
    origin = PlanFromTemplate.objects.get(template_version__template=template)
    origin.changes = [{**change, "said": None, "text": "An old English line."} for change in origin.changes[:1]]
    origin.save()
    _spanish(client, world)

    assert "An old English line." in client.get(made["Location"]).content.decode()


@pytest.mark.django_db
def test_a_dose_edit_above_a_limit_is_refused_in_spanish(world, client):
    builders.make_assessment(world.patient, by=world.physio)
    draft = plan_generate(actor=world.physio, patient=world.patient, start_date=date(2026, 11, 2), weeks=12)
    item = draft.items.get(exercise__slug="flat-walking")
    _spanish(client, world)

    refused = client.post(
        f"/plans/{draft.pk}/items/{item.pk}/edit/",
        {
            "version": draft.version,
            "frequency_per_week": "3",
            "minutes": "10",
            "intensity_low": "30",
            "intensity_high": "60",
        },
    )

    page = html.unescape(refused.content.decode())
    assert "Intensidad (Aeróbico) de hasta 60 %HRR: supera el límite de 39 %HRR." in page
    assert "above the limit" not in page
