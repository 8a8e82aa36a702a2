"""What the PDFs say, decided as data (planner.documents): pure, no database, no reportlab."""

import functools
from dataclasses import replace
from datetime import date, timedelta
from itertools import pairwise

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.catalogue import load_default_catalogue
from planner.documents.booklet import OUTLINE_COLUMNS, bad_day_variant, plan_document
from planner.documents.inputs import (
    AlertEntry,
    AssessmentEntry,
    ContactInfo,
    DecisionEntry,
    MeasureEntry,
    OverrideEntry,
    PainEntry,
    PatientInfo,
    ReasonEntry,
    WeekAdherence,
)
from planner.documents.report import progress_report
from planner.documents.safety import TAG_WORDS
from planner.documents.wording import borg_words, days_a_week, dose_words, region_words, suggested_days
from planner.limits import apply_adjustments
from planner.progression_rules import default_progression_config
from planner.rules import SAFETY_NOTICE
from planner.schedule import build_plan
from planner.sessions import plan_sessions, session_offsets
from planner.types import LimitAdjustment, Profile
from planner.vocabulary import MOVEMENT_TAGS, RED_FLAGS

MONDAY = date(2026, 11, 2)
PATIENT = PatientInfo("Zoë <O'Brien> & Łukasz 李", date(1969, 3, 14))
CONTACT = ContactInfo("Riverside Rehab", "+44 20 7946 0000", "team@riverside.example", "Anna Nowak")


def case_profile(**overrides) -> Profile:
    """The motivating case: 57-year-old woman, active dermatomyositis, osteoporosis, ossified gluteal masses."""
    fields = {
        "age": 57,
        "sex": "female",
        "bone_fragility": "osteoporosis",
        "heterotopic_ossification_regions": ("gluteal_left", "gluteal_right"),
        "inflammation_activity": "moderate",
        "pain_at_rest": 3,
        "resting_hr": 70,
        "cardiopulmonary_status": "monitor",
    }
    return Profile(**{**fields, **overrides})


@pytest.fixture(scope="module")
def library():
    return {spec.slug: spec for spec in load_default_catalogue()}


@functools.cache
def _case_plan():
    return build_plan(case_profile())


@pytest.fixture(scope="module")
def plan():
    return _case_plan()


def make_document(plan, **overrides):
    arguments = {
        "patient": PATIENT,
        "contact": CONTACT,
        "start_date": MONDAY,
        "generated_on": MONDAY - timedelta(days=1),
    }
    return plan_document(plan, **{**arguments, **overrides})


@pytest.fixture(scope="module")
def document(plan):
    return make_document(plan)


def avoid_text(document) -> list[str]:
    return [f"{line.what} {line.why}" for line in document.safety.avoid]


# --- Borg words and days ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rpe", "words"),
    [
        (6, "no exertion"),
        (7, "extremely light"),
        (8, "extremely light"),
        (9, "very light"),
        (11, "light"),
        (12, "light"),
        (13, "somewhat hard"),
        (14, "somewhat hard"),
        (15, "hard"),
        (17, "very hard"),
        (19, "extremely hard"),
        (20, "maximal exertion"),
    ],
)
def test_borg_ratings_have_the_scale_anchor_words(rpe, words):
    assert borg_words(rpe) == words


def test_a_rating_off_the_borg_scale_is_refused():
    with pytest.raises(ValueError, match="6 to 20"):
        borg_words(21)


def test_three_sessions_a_week_fall_on_monday_wednesday_friday():
    assert [day.strftime("%a") for day in suggested_days(3, MONDAY)] == ["Mon", "Wed", "Fri"]
    assert [day.strftime("%a") for day in suggested_days(2, MONDAY)] == ["Mon", "Thu"]


@pytest.mark.parametrize("frequency", [1, 2, 3])
def test_up_to_three_sessions_are_at_least_two_days_apart_even_across_weeks(frequency):
    offsets = session_offsets(frequency)
    gaps = [later - earlier for earlier, later in zip(offsets, (*offsets[1:], offsets[0] + 7), strict=True)]

    assert len(offsets) == frequency
    assert all(gap >= 2 for gap in gaps) or frequency == 1


@pytest.mark.parametrize("start", [MONDAY + timedelta(days=shift) for shift in range(7)])
def test_strength_sessions_are_never_on_consecutive_days_whatever_the_start_day(plan, start):
    # This week and next week are printed; planner/sessions.py is property-tested for every week.
    document = make_document(plan, start_date=start)
    strength = [item.exercise.name for item in plan.items if item.component == "resistance"]
    assert strength

    for name in strength:
        dates = [day for week in document.weeks for row in week.rows if row.exercise == name for day in row.dates]
        assert len(dates) == sum(
            plan.weeks[week.number - 1].dose_for(item.slug).dose.frequency_per_week
            for week in document.weeks
            for item in plan.items
            if item.exercise.name == name
        )
        assert all((later - earlier).days >= 2 for earlier, later in pairwise(dates)), name


def test_the_week_table_lists_each_exercises_session_days(document, plan):
    week = plan_sessions(plan, MONDAY)[0]
    rows = {row.exercise: row for row in document.weeks[0].rows}
    for item in plan.items:
        dates = week.days_for(item.slug)
        assert len(dates) == item.dose.frequency_per_week
        assert rows[item.exercise.name].dates == dates
        assert rows[item.exercise.name].days == ", ".join(day.strftime("%a") for day in dates)


def test_each_exercise_day_is_a_session_in_order_with_warm_up_and_cool_down(document):
    week = document.weeks[0]
    assert week.sessions
    assert [line.day for line in week.sessions] == list(week.session_days)
    first = week.sessions[0]

    assert first.text.startswith("Monday: Warm-up: ")
    assert "1 " in first.text
    assert " Cool-down: " in first.text
    assert f"About {first.minutes} minutes" in first.text
    for index, step in enumerate(first.steps, start=1):
        assert f"{index} {step}." in first.text


def test_regions_read_as_plain_words():
    assert region_words(["gluteal_left", "gluteal_right"]) == "both buttocks"
    assert region_words(["knee_left"]) == "your left knee"
    assert (
        region_words(["ankle_foot_left", "ankle_foot_right", "lower_back"])
        == "both ankles and feet and your lower back"
    )


# --- Safety limits in plain words --------------------------------------------------------------


def test_effort_ceilings_are_borg_words_with_their_numbers(document, plan):
    aerobic, resistance = plan.limits.aerobic.max_rpe, plan.limits.resistance.max_rpe
    effort = " ".join(document.safety.effort)

    assert (aerobic, resistance) == (11, 13)
    assert "light, 11" in effort
    assert "somewhat hard, 13" in effort


def test_the_heart_rate_zone_is_given_in_beats_per_minute(document, plan):
    low, high = plan.limits.aerobic.hr_zone_bpm

    assert (low, high) == (99, 108)  # HRrest 70, Tanaka 168, 30-39 %HRR (clinical-reference 5)
    # Tanaka errs by 7-11 bpm, more than the zone is wide: only its ceiling is shown, effort governs.
    assert f"below {high} beats per minute" in document.safety.heart_rate
    assert str(low) not in document.safety.heart_rate
    assert "go by how it feels" in document.safety.heart_rate


def test_a_measured_hr_max_gives_the_zone_as_a_band():
    plan = build_plan(case_profile(measured_hr_max=170))
    low, high = plan.limits.aerobic.hr_zone_bpm

    assert f"between {low} and {high} beats per minute" in make_document(plan).safety.heart_rate


def test_under_a_beta_blocker_there_is_no_zone_and_effort_governs():
    document = make_document(build_plan(case_profile(beta_blocker=True)))

    assert "beats per minute" not in document.safety.heart_rate
    assert "go by effort" in document.safety.heart_rate
    assert all("heart rate" not in page.effort for page in document.exercises)


def test_no_jumping_or_running_because_the_muscles_are_inflamed(document):
    line = next(line for line in document.safety.avoid if "jumping or running" in line.what)

    assert "brisk walking" in line.what
    assert "inflamed muscles" in line.why


def test_no_bending_forward_with_weights_because_the_bones_are_fragile(document):
    line = next(line for line in document.safety.avoid if "bending forward with weights" in line.what)

    assert "fragile bones" in line.why


def test_no_pressure_or_forced_stretching_on_the_ossified_buttocks(document):
    line = next(line for line in document.safety.avoid if "both buttocks" in line.what)

    assert "No pressure and no forced stretching" in line.what
    assert "cushion" in line.what
    assert "calcified" in line.why


def test_every_excluded_movement_has_a_plain_line(document, plan):
    text = " ".join(avoid_text(document))
    impact_tags = {"running", "jumping"}  # said by the impact line
    assert set(MOVEMENT_TAGS) - impact_tags <= set(TAG_WORDS), "a movement tag has no words for the patient"
    assert plan.limits.excluded_tags, "the motivating case excludes movements"
    for tag in plan.limits.excluded_tags:
        words = TAG_WORDS.get(tag) or ("running" if tag == "running" else "jumping")
        assert words.lower() in text.lower(), tag


def test_without_restrictions_there_is_nothing_to_avoid():
    document = make_document(build_plan(Profile(age=40)))

    assert document.safety.avoid == ()
    assert not any("physiotherapist watching" in line for line in document.safety.other)


def test_a_clinicians_extra_exclusion_says_the_physiotherapist_set_it(plan):
    adjusted = apply_adjustments(
        plan.limits, [LimitAdjustment("excluded_tags", (*plan.limits.excluded_tags, "overhead_load"), author="u7")]
    )
    document = make_document(replace(plan, limits=adjusted))
    line = next(line for line in document.safety.avoid if "above your head" in line.what)

    assert line.why == "Your physiotherapist set this limit."


def test_other_limits_in_words(document):
    other = " ".join(document.safety.other)

    assert "at least 12 times" in other
    assert "30 seconds at most" in other
    assert "one small step at a time" in other
    assert "no more than 10% a week" in other
    assert "physiotherapist watching" in other


def test_the_borg_scale_marks_what_is_allowed_for_each_kind_of_exercise(document):
    scale = {row.value: row for row in document.safety.borg_scale}

    assert document.safety.borg_columns == ("Walking, stretching, balance", "Strength")
    assert scale[11].allowed == (True, True)
    assert scale[13].allowed == (False, True)
    assert scale[14].allowed == (False, False)
    assert scale[13].words == "somewhat hard"


# --- Red flags, exercises, schedule -----------------------------------------------------------


def test_every_red_flag_is_listed_with_its_advice_and_the_clinic_to_call(document):
    assert [(flag.label, flag.advice) for flag in document.red_flags] == [
        (label, advice) for _, label, advice in RED_FLAGS
    ]
    assert "+44 20 7946 0000" in document.call_lines[0]
    assert "call an ambulance" in document.call_lines[-1]


def test_the_emergency_number_is_used_when_the_clinic_gives_one(plan):
    document = make_document(plan, contact=replace(CONTACT, emergency_number="999"))

    assert document.call_lines[-1].endswith("call 999.")


def test_one_page_per_exercise_with_instructions_dose_and_effort(document, plan):
    assert [page.slug for page in document.exercises] == [item.slug for item in plan.items]
    walking = document.exercises[0]
    dose = plan.weeks[0].dose_for(plan.items[0].slug).dose

    assert walking.dose == f"{dose_words(dose)}, {days_a_week(dose.frequency_per_week)}"
    assert "very light to light" in walking.effort
    assert walking.setup == plan.items[0].exercise.instructions.setup
    assert "while it feels fine" in walking.growth


def test_stretches_are_dosed_by_feel_in_plain_words(document):
    stretch = next(page for page in document.exercises if page.kind == "Stretching")

    assert "never into pain" in stretch.effort
    assert "calcified" in stretch.effort


def test_the_easier_variant_is_offered_on_a_bad_day_when_the_limits_allow_it(library):
    without_flat_walking = [spec for spec in library.values() if spec.slug != "flat-walking"]
    plan = build_plan(Profile(age=40), without_flat_walking)
    item = next(item for item in plan.items if item.component == "aerobic")
    assert item.exercise.easier is not None
    document = make_document(plan, exercises_by_slug=library)
    page = document.exercises[0]

    easier = library[item.exercise.easier]
    assert page.bad_day_name == easier.name
    assert easier.instructions.setup in page.bad_day_text


def test_an_easier_variant_that_breaks_a_limit_is_never_offered(plan, library):
    # Marching on the spot gets easier as seated marching, which presses on the ossified buttocks.
    item = replace(plan.items[0], exercise=library["marching-on-the-spot"])
    assert library["marching-on-the-spot"].easier == "seated-marching"

    assert bad_day_variant(item, plan, library) is None


def test_without_an_easier_variant_the_bad_day_advice_is_less_of_the_same(document):
    page = document.exercises[0]

    assert page.bad_day_name is None
    assert "shorter time" in page.bad_day_text


def test_only_this_week_and_next_week_are_printed_with_their_doses(document, plan):
    assert [week.number for week in document.weeks] == [1, 2]
    assert document.plan_weeks == len(plan.weeks) == 12
    first, second = document.weeks

    assert (first.first_day, first.last_day) == (MONDAY, MONDAY + timedelta(days=6))
    assert first.rows[0].change == "First week"
    assert first.rows[0].dose == dose_words(plan.weeks[0].doses[0].dose)
    assert second.rows[0].dose == dose_words(plan.weeks[1].doses[0].dose)
    assert second.first_day == MONDAY + timedelta(days=7)
    assert "Next week" in second.label


def test_in_week_five_the_paper_shows_weeks_five_and_six_and_an_outline_for_the_rest(plan):
    document = make_document(plan, generated_on=MONDAY + timedelta(days=30))

    assert document.current_week == 5
    assert [week.number for week in document.weeks] == [5, 6]
    assert [week.number for week in document.later_weeks] == list(range(7, 13))
    seventh = document.later_weeks[0]
    assert (seventh.first_day, seventh.last_day) == (MONDAY + timedelta(days=42), MONDAY + timedelta(days=48))
    assert len(seventh.amounts) == len(OUTLINE_COLUMNS) - 2


def test_the_outline_adds_up_each_kind_of_exercise_as_the_schedule_proposes(plan):
    document = make_document(plan, generated_on=MONDAY + timedelta(days=30))
    week = plan.weeks[6]
    aerobic = [d.dose for d in week.doses if d.dose.component == "aerobic"]
    strength = [d.dose for d in week.doses if d.dose.component == "resistance"]

    amounts = dict(zip(OUTLINE_COLUMNS[2:], document.later_weeks[0].amounts, strict=True))

    assert amounts["Aerobic, minutes a week"] == str(round(sum(d.minutes * d.frequency_per_week for d in aerobic)))
    reps = sorted({d.reps for d in strength})
    assert f"of {reps[0] if len(reps) == 1 else f'{reps[0]}-{reps[-1]}'}, " in amounts["Strength, each exercise"]
    assert amounts["Strength, each exercise"].endswith("days")
    assert amounts["Each stretch"].endswith(" s")


@given(day=st.integers(min_value=-20, max_value=7 * 14))
@settings(max_examples=40, deadline=None)
def test_every_week_of_the_plan_is_printed_in_full_or_in_the_outline_once(day):
    plan = _case_plan()
    document = make_document(plan, generated_on=MONDAY + timedelta(days=day))

    full = [week.number for week in document.weeks]
    outline = [week.number for week in document.later_weeks]

    assert full[0] == document.current_week
    assert len(full) <= 2
    assert full + outline == list(range(document.current_week, len(plan.weeks) + 1))
    printed = {d.exercise_slug for week in full for d in plan.weeks[week - 1].doses}
    assert {page.slug for page in document.exercises} == printed


def test_the_last_week_has_no_next_week(plan):
    document = make_document(plan, generated_on=MONDAY + timedelta(days=7 * 11 + 2))

    assert [week.number for week in document.weeks] == [12]
    assert all("last week of your plan" in page.growth for page in document.exercises)


def test_last_weeks_changes_are_carried_to_the_paper(plan):
    words = ("Your walking goes up from 15 to 20 minutes because last week went well.",)

    assert make_document(plan, changes=words).changes == words


# --- Pain diary ----------------------------------------------------------------------------------


def test_the_pain_chart_has_three_series_and_the_acceptable_line(plan):
    entries = [PainEntry(MONDAY + timedelta(days=2), 3, 4, None, 11), PainEntry(MONDAY, 2, 3, 3, 10)]
    chart = make_document(plan, pain_entries=entries).pain_chart

    assert [series.label for series in chart.series] == ["During", "After", "Next morning"]
    assert chart.series[0].points == ((MONDAY, 2.0), (MONDAY + timedelta(days=2), 3.0))
    assert chart.series[2].points == ((MONDAY, 3.0),)
    assert chart.reference_lines[0].value == default_progression_config().pain_amber_max
    assert chart.has_data


def test_without_check_ins_the_chart_says_so(document):
    assert not document.pain_chart.has_data
    assert document.pain_chart.empty_text


def test_the_pain_guide_follows_the_progression_cut_points(document):
    config = default_progression_config()
    guide = " ".join(document.pain_guide)

    assert f"Pain up to {config.pain_green_max}" in guide
    assert f"above {config.pain_amber_max}" in guide


def test_blank_diary_pages_cover_the_weeks_the_booklet_prints(plan):
    # The booklet prints this week and next (it is sent again after each weekly decision), and so does
    # its diary: not every later week of the plan.
    document = make_document(plan, generated_on=MONDAY + timedelta(days=30))

    assert [week.number for week in document.diary_weeks] == [week.number for week in document.weeks] == [5, 6]
    first = document.diary_weeks[0]
    assert len(first.rows) == 7
    expected = [session.day for session in plan_sessions(plan, MONDAY)[4].sessions]
    assert [row.day for row in first.rows if row.exercise_day] == expected


def test_the_diary_asks_for_date_done_effort_pain_three_times_and_notes(document):
    columns = " ".join(document.diary_columns)

    for word in ("Date", "Done", "Effort", "Pain during", "Pain after", "Pain next morning", "Notes"):
        assert word in columns


def test_the_document_carries_the_notice_and_metadata(document):
    assert document.notice == SAFETY_NOTICE
    assert "does not replace" in document.notice
    assert document.title == f"Exercise plan for {PATIENT.name}"
    assert document.author == "Anna Nowak"
    assert document.end_date == MONDAY + timedelta(days=83)


def test_the_same_inputs_give_the_same_document(plan, document):
    assert make_document(plan) == document


def test_pain_scores_outside_0_10_are_refused():
    with pytest.raises(ValueError, match="during"):
        PainEntry(MONDAY, 11, 2)
    with pytest.raises(ValueError, match="rpe"):
        PainEntry(MONDAY, 1, 2, rpe=21)


# --- The clinician's report ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def report(plan):
    entries = [PainEntry(MONDAY + timedelta(days=d), 2, 3, 3, 11) for d in (0, 2, 4, 7, 9)]
    return progress_report(
        plan,
        patient=PATIENT,
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY + timedelta(days=14),
        assessments=[AssessmentEntry(date(2026, 10, 28), "Anna Nowak", plan.profile, "Masses tender.")],
        pain_entries=entries,
        adherence=[WeekAdherence(2, 3, 2), WeekAdherence(1, 3, 3)],
        measures=[
            MeasureEntry("grip_left_kg", MONDAY, 18),
            MeasureEntry("grip_left_kg", MONDAY + timedelta(days=14), 19.5),
        ],
        decisions=[
            DecisionEntry(
                2,
                "hold",
                "amber",
                (ReasonEntry("progression.pain.amber_max", "Pain 4/10."),),
                MONDAY + timedelta(days=14),
            ),
            DecisionEntry(
                1,
                "advance",
                "green",
                (ReasonEntry("progression.decision.advance", "All green."),),
                MONDAY + timedelta(days=7),
                ("Walking: 10 -> 10.5 min",),
            ),
        ],
        alerts=[AlertEntry(MONDAY + timedelta(days=9), "red_flag", "Dizziness reported", urgent=True)],
        overrides=[
            OverrideEntry(
                MONDAY + timedelta(days=10),
                "Dr Chen",
                "Walking on flat ground",
                ("Aerobic intensity above 39 %HRR.",),
                "Supervised test tolerated.",
            )
        ],
    )


def test_the_report_lists_every_limit_with_the_rules_that_set_it(report, plan):
    limits = {row.name: row for row in report.limits}

    assert limits["Resistance effort ceiling"].value == "RPE 13 (somewhat hard)"
    assert limits["Resistance effort ceiling"].rule_ids == plan.limits.rule_ids_for("resistance.max_rpe")
    assert limits["Heart-rate zone"].value.startswith("99-108 bpm")
    assert "ossification.no_direct_pressure" in limits["No pressure or end-range stretch"].rule_ids


def test_the_report_lists_every_rule_with_its_evidence_and_source(report, plan):
    assert [(r.id, r.evidence, r.source) for r in report.rules] == [
        (r.id, r.evidence, r.source) for r in plan.limits.rules
    ]


def test_the_report_orders_decisions_by_week_and_keeps_their_reasons(report):
    assert [d.week for d in report.decisions] == [1, 2]
    assert report.decisions[0].action == "Advance"
    assert report.decisions[1].reasons == (ReasonEntry("progression.pain.amber_max", "Pain 4/10."),)


def test_the_report_charts_pain_effort_adherence_and_measures(report, plan):
    assert report.pain_chart.has_data
    assert [ref.value for ref in report.rpe_chart.reference_lines] == [11, 13]
    assert report.adherence_chart.categories == ("W1", "W2")
    assert report.adherence_chart.series[1].values == (3.0, 2.0)
    assert [chart.title for chart in report.measure_charts] == ["Grip strength, left hand (kg, higher is better)"]


def test_the_report_summarises_adherence_and_open_alerts(report):
    summary = " ".join(report.summary)

    assert "Sessions done: 5 of 6 planned (83%)" in summary
    assert "Open alerts: 1 (1 urgent)" in summary
    assert "Dose overrides: 1" in summary
    assert report.alerts[0].status == "Open"
    assert report.overrides[0].reason == "Supervised test tolerated."


def test_the_report_describes_the_assessment(report):
    lines = " ".join(report.assessments[0].lines)

    assert "osteoporosis" in lines
    assert "gluteal left, gluteal right" in lines
    assert "Inflammation activity: moderate" in lines
