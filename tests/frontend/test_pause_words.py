"""Why a plan is paused, in words to the patient, for each way a plan is paused."""

import pytest

from frontend.patient.pause_words import pause_words
from rehab.models import Plan
from tests.builders import make_active_plan


@pytest.fixture
def plan(world):
    return make_active_plan(world.patient, world.physio)


@pytest.mark.parametrize(
    ("reason", "said"),
    [
        ("Week 3 review: Pain 6/10 in 2 sessions.", "At the end of week 3 of your plan, your care team asked"),
        (
            "Flare at the reassessment of 2026-11-20: MMT8 70 → 62. Progression paused for review.",
            "Your check-up on Fri 20 Nov showed your condition is more active",
        ),
        ("Waiting for the rheumatologist", "Your care team's note: “Waiting for the rheumatologist”"),
        ("", ""),
    ],
)
def test_each_kind_of_pause_is_said_to_the_patient(plan, reason, said):
    Plan.objects.filter(pk=plan.pk).update(pause_reason=reason)
    plan.refresh_from_db()

    words = pause_words(plan)

    assert words.startswith(said) if said else words == ""
    assert "2026-" not in words
