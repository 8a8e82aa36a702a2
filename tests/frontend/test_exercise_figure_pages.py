"""The exercise figure on the patient's exercise card and the staff plan page: an <img> of the
figure endpoint with alt text that says the movement, marking the plan's protected regions."""

import re
from dataclasses import replace
from datetime import date
from html import unescape

import pytest
import time_machine

from frontend.templatetags.exercise_figures import exercise_figure
from planner.catalogue import load_default_catalogue
from rehab.services.plans import engine_plan
from tests.builders import make_active_plan

IMG = re.compile(r'<img class="exercise-figure" src="([^"]+)" alt="([^"]+)"')


@pytest.fixture
def plan(world):
    with time_machine.travel("2026-11-04 10:00", tick=False):
        yield make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2))


def test_every_exercise_card_shows_its_figure_with_the_movement_in_words(client, world, plan):
    client.force_login(world.patient_user)
    with time_machine.travel("2026-11-04 10:00", tick=False):
        page = client.get("/today/").content.decode()
    figures = IMG.findall(page)
    assert figures
    assert len(figures) == page.count('<li class="exercise">')
    for src, alt in figures:
        slug = src.split("/")[4]
        response = client.get(src)
        assert response.status_code == 200, src
        assert response["Content-Type"].startswith("image/svg+xml")
        spec = next(spec for spec in load_default_catalogue() if spec.slug == slug)
        assert unescape(alt).startswith(spec.name + ": a figure")


def test_the_staff_plan_page_shows_each_exercise_figure(client, world, plan):
    client.force_login(world.physio)
    with time_machine.travel("2026-11-04 10:00", tick=False):
        page = client.get(f"/plans/{plan.pk}/").content.decode()
    slugs = {src.split("/")[4] for src, _ in IMG.findall(page)}
    assert slugs == {item.slug for item in engine_plan(plan).items}


def test_a_protected_region_goes_into_the_address_and_the_alt_text(plan):
    engine = engine_plan(plan)
    limits = replace(engine.limits, avoid_regions=("knee_left",), no_loading_regions=("wrist_hand_right",))
    spec = next(spec for spec in load_default_catalogue() if spec.slug == "dumbbell-biceps-curl")
    html = str(exercise_figure(spec, replace(engine, limits=limits)))
    src, alt = IMG.search(html).groups()
    assert unescape(src).endswith("?protect=knee_left%2Cwrist_hand_right")
    assert "Marked in orange: your left knee and your right wrist and hand" in unescape(alt)
    assert "?protect" not in str(exercise_figure(spec))
