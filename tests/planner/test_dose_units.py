"""Every library exercise is dosed in units its patient can follow with its equipment (clinical-reference 8d).

Weights by %1RM with their effort; elastic bands by colour level; bodyweight and supported exercises by
repetitions, sets and tempo (never %1RM); carries by time; walking in whole minutes; balance as practice
minutes with less hand support; stretches in 5-second holds.
"""

import pytest

from planner.catalogue import load_default_catalogue
from planner.dosing import dose_kind_for, progression_rule, start_dose
from planner.growth import default_growth_rules, is_supported_balance, ladder_unit, load_type
from planner.limits import compute_limits
from planner.rules import DoseParameters, default_rulebook
from tests.planner.conftest import build_profile, motivating_case_profile

LIBRARY = load_default_catalogue()
PROFILES = (build_profile(), motivating_case_profile())


def _dose(spec, profile):
    limits = compute_limits(profile)
    params = DoseParameters(profile, default_rulebook())
    dose = start_dose(spec, profile, params, limits, default_rulebook())
    return dose, progression_rule(spec, dose, params, limits)


@pytest.mark.parametrize("profile", PROFILES, ids=["fit adult", "motivating case"])
@pytest.mark.parametrize("spec", LIBRARY, ids=lambda spec: spec.slug)
def test_every_exercise_is_dosed_in_units_its_equipment_can_follow(spec, profile):
    dose, progression = _dose(spec, profile)
    units = {target.unit for target in dose.intensity}
    if spec.component == "resistance":
        kind = load_type(spec)
        if dose.dose_kind == "hold":
            assert units == {"rpe_6_20"}  # a carry: by time, at the effort of a set
        elif kind == "external":
            assert "pct_1rm" in units
        else:
            assert "pct_1rm" not in units, "a band or bodyweight exercise has no %1RM to follow"
            assert ladder_unit(spec) in units
        assert "rpe_6_20" in units  # effort always says how hard a set should feel
    if is_supported_balance(spec):
        assert "support_level" in units  # harder by less hand support
        if spec.dose_kind == "hold":
            assert dose.dose_kind == "minutes"  # practice time, not counted holds
    elif spec.component == "neuromotor":
        assert "support_level" not in units  # posture holds, breathing, tai chi: no support ladder
    if dose.dose_kind == "minutes":
        assert float(dose.minutes).is_integer()
    if dose.dose_kind == "hold":
        assert dose.hold_seconds % 5 == 0
        hold_steps = [step for step in progression.steps if step.variable == "hold_seconds"]
        assert all(step.increment % 5 == 0 for step in hold_steps)


@pytest.mark.parametrize(
    "spec", [spec for spec in LIBRARY if "carry" in spec.slug or "carry" in spec.name.lower()], ids=str
)
def test_a_carry_is_dosed_by_time_not_repetitions(spec):
    assert dose_kind_for(spec) in ("hold", "minutes"), "a carry is walked for a time or a distance"


def test_every_ladder_level_has_words_for_the_patient():
    rules = default_growth_rules()
    for unit in ("band_level", "tempo_level", "support_level"):
        ladder = rules.ladder(unit)
        assert ladder.levels
        assert all(words.strip() for words in ladder.levels)
        assert 1 <= ladder.start <= len(ladder.levels)
