"""Numbers the staff read outside the booklet (the dashboard's pain trend, a template's refit, a dose
edit held to an exercise's ceiling) are written as the reader's language writes them: 2.5 in English,
2,5 in Spanish (planner.translation.number, its separator installed by rehab.apps)."""

from dataclasses import replace
from datetime import date

from django.utils import translation

from planner.editing import edit_violations
from planner.limits import compute_limits
from planner.template_refit import settings_limits
from planner.templates import TemplateSettings
from planner.triage import CaseFacts, triage
from planner.violations import violation_text
from rehab.services.plans import engine_plan
from tests import builders
from tests.planner.conftest import build_profile


def test_the_rising_pain_flag_writes_its_means_with_the_languages_separator():
    facts = CaseFacts(weekly_mean_pain=((2, 1.0), (3, 14 / 3)), current_week=3)
    assert triage(facts)[0].detail == "mean 1.0 → 4.7 (weeks 2 → 3)"
    with translation.override("es"):
        (flag,) = triage(facts)
    assert "1,0 → 4,7" in flag.detail
    assert "4.7" not in flag.detail


def test_a_refused_growth_cap_says_its_percentages_as_the_reader_writes_them():
    limits = compute_limits(build_profile())
    wanted = limits.weekly_progression_max_pct + 2.5
    with translation.override("es"):
        _, (change,) = settings_limits(limits, TemplateSettings(weekly_progression_max_pct=wanted))
    assert change.before == f"{wanted:g} %".replace(".", ",")
    assert "." not in change.before
    _, (english,) = settings_limits(limits, TemplateSettings(weekly_progression_max_pct=wanted))
    assert english.before == f"{wanted:g} %"


def test_an_edit_above_an_exercises_ceiling_names_both_numbers_in_the_readers_way(world):
    plan = engine_plan(builders.make_active_plan(world.patient, world.physio, start_date=date(2026, 11, 2)))
    item = next(i for i in plan.items if i.dose.dose_kind == "minutes")
    typo = replace(plan.weeks[0].dose_for(item.slug).dose, minutes=240.5)
    found = [v for v in edit_violations(plan, item.slug, 1, typo) if v.limit.endswith("_ceiling")]
    with translation.override("es"):
        spanish = violation_text(found[0])
    # The message is the record's English; a reader reads it in their language (planner.violations).
    assert found[0].message.startswith("240.5 minutes per session is above")
    assert spanish.startswith("240,5 minutos por sesión supera el techo de este ejercicio")
