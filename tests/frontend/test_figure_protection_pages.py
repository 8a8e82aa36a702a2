"""The patient's session pages show every figure with the plan's protected regions marked (never loaded)."""

import re
from datetime import date
from html import unescape
from urllib.parse import parse_qs, urlparse

import pytest
import time_machine

from rehab.services.plans import engine_plan
from tests.builders import make_active_plan

START = date(2026, 11, 2)


@pytest.fixture
def plan(world):
    with time_machine.travel("2026-11-04 10:00", tick=False):
        yield make_active_plan(
            world.patient, world.physio, start_date=START, heterotopic_ossification_regions=["gluteal_left"]
        )


def _figure_urls(html: str) -> list[str]:
    return [unescape(url) for url in re.findall(r'"(/api/v1/exercises/[^"]+/illustration\.svg[^"]*)"', html)]


@pytest.mark.parametrize("page", ["/today/", "/today/follow/"])
def test_every_figure_on_the_session_pages_marks_the_plans_protected_regions(client, world, plan, page):
    protected = engine_plan(plan).limits.protected_regions
    assert "gluteal_left" in protected
    client.force_login(world.patient_user)
    with time_machine.travel("2026-11-04 10:00", tick=False):
        html = client.get(page).content.decode()
    urls = _figure_urls(html)
    assert urls, "the page shows exercise figures"
    for url in urls:
        marked = parse_qs(urlparse(url).query).get("protect", [""])[0].split(",")
        assert sorted(marked) == sorted(protected), url
