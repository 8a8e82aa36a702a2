"""The PDFs, drawn and read back with pypdf: what a reader sees, not the byte count."""

import io
import re
from dataclasses import replace
from datetime import date, timedelta
from pathlib import Path

import pytest
from pypdf import PdfReader
from reportlab.pdfbase import pdfmetrics
from reportlab.pdfbase.cidfonts import UnicodeCIDFont

from planner.documents.booklet import plan_document
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
from planner.documents.wording import date_words, dose_words
from planner.schedule import build_plan
from planner.types import Profile
from planner.vocabulary import RED_FLAGS
from rehab.pdf import layout, render_plan_pdf, render_report_pdf

MONDAY = date(2026, 11, 2)
NAME = "Zoë <O'Brien> & Łukasz 李"
PHONE = "+44 20 7946 0000"
CONTACT = ContactInfo("Riverside Rehab & Physio", PHONE, "team@riverside.example", "Anna Nowak")


def case_plan(**overrides):
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
    return build_plan(Profile(**{**fields, **overrides}))


def check_ins(weeks: int) -> list[PainEntry]:
    """Five sessions a week, pain drifting down, effort steady."""
    return [
        PainEntry(MONDAY + timedelta(days=7 * week + day), 4 - week // 4, 5 - week // 4, 3, 11)
        for week in range(weeks)
        for day in range(5)
    ]


def read(data: bytes) -> tuple[PdfReader, str]:
    reader = PdfReader(io.BytesIO(data))
    text = " ".join(page.extract_text() for page in reader.pages)
    return reader, " ".join(text.split())  # lines wrap anywhere: compare with single spaces


def outline_titles(outline) -> list[str]:
    titles = []
    for entry in outline:
        titles += outline_titles(entry) if isinstance(entry, list) else [entry.title]
    return titles


def font_sizes(reader: PdfReader) -> set[float]:
    """The size of every font that shows text in the page content streams.

    A size set by the Tf operator counts when text is shown (Tj or TJ) before the next Tf or the end
    of the text object; reportlab also emits empty text objects that only reset the state.
    """
    sizes = set()
    for page in reader.pages:
        content = page.get_contents().get_data().decode("latin-1")
        for match in re.finditer(r"/\S+ ([\d.]+) Tf(.*?)(?= Tf|ET)", content, re.DOTALL):
            if re.search(r"T[jJ]", match.group(2)):
                sizes.add(float(match.group(1)))
    return sizes


@pytest.fixture(scope="module")
def plan():
    return case_plan()


@pytest.fixture(scope="module")
def plan_doc(plan):
    return plan_document(
        plan,
        patient=PatientInfo(NAME, date(1969, 3, 14)),
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY + timedelta(days=15),
        pain_entries=check_ins(2),
    )


@pytest.fixture(scope="module")
def plan_pdf(plan_doc):
    return read(render_plan_pdf(plan_doc))


@pytest.fixture(scope="module")
def report_doc(plan):
    return progress_report(
        plan,
        patient=PatientInfo(NAME, date(1969, 3, 14)),
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY + timedelta(days=84),
        assessments=[AssessmentEntry(date(2026, 10, 28), "Anna Nowak", plan.profile, "Tender <left> & right.")],
        pain_entries=check_ins(12),
        adherence=[WeekAdherence(week, 5, 4) for week in range(1, 13)],
        measures=[MeasureEntry("tug_seconds", MONDAY + timedelta(days=28 * i), 12 - i) for i in range(3)],
        decisions=[
            DecisionEntry(
                week,
                "advance",
                "green",
                (ReasonEntry("progression.decision.advance", f"Week {week}: all check-ins green."),),
                MONDAY + timedelta(days=7 * week),
                ("Walking on flat ground: 10 -> 10.5 min",),
            )
            for week in range(1, 12)
        ],
        alerts=[AlertEntry(MONDAY + timedelta(days=20), "red_flag", "Dizziness <sudden> & sweating", urgent=True)],
        overrides=[
            OverrideEntry(
                MONDAY + timedelta(days=40),
                "Dr Chen",
                "Walking on flat ground",
                ("Aerobic intensity up to 45 %HRR is above the limit of 39 %HRR.",),
                "Tolerated well on a supervised test.",
            )
        ],
    )


@pytest.fixture(scope="module")
def report_pdf(report_doc):
    return read(render_report_pdf(report_doc))


# --- The patient's plan ---------------------------------------------------------------------


def test_the_plan_prints_the_safety_limits_in_plain_words(plan_pdf, plan_doc):
    _, text = plan_pdf

    assert "somewhat hard, 13" in text
    assert "light, 11" in text
    assert "keep your heart rate below 108" in " ".join(text.split())
    for line in plan_doc.safety.avoid:
        assert " ".join(line.what.split()) in text


def test_the_plan_prints_every_exercise_and_every_red_flag(plan_pdf, plan):
    _, text = plan_pdf

    for item in plan.items:
        assert item.exercise.name in text
        assert " ".join(item.exercise.instructions.movement.split()) in text
    for _, label, advice in RED_FLAGS:
        assert label in text
        assert advice in text


def test_the_plan_prints_the_clinic_phone_and_the_notice(plan_pdf, plan_doc):
    _, text = plan_pdf

    assert PHONE in text
    assert "Riverside Rehab & Physio" in text
    assert "does not replace" in text
    assert "week 3 of 12" in text
    assert "Diary, week 3" in text


def test_the_plan_prints_each_exercise_day_as_a_numbered_session_with_warm_up_and_cool_down(plan_pdf, plan_doc):
    _, text = plan_pdf
    this_week, next_week = plan_doc.weeks

    assert re.search(r"Monday: Warm-up: .+? Then 1 .+? 2 .+? Cool-down: .+? About \d+ minutes in all\.", text)
    for week in (this_week, next_week):
        for line in week.sessions:
            # A session may run onto the next page (the page header then sits inside it): its start.
            assert f"{line.weekday}: Warm-up: {line.warm_up}" in text
    assert "What is new" in text


def test_the_plan_prints_this_weeks_and_next_weeks_doses_and_only_an_outline_after(plan_pdf, plan_doc, plan):
    _, text = plan_pdf

    assert [week.number for week in plan_doc.weeks] == [3, 4]
    for week in plan_doc.weeks:
        for scheduled in plan.weeks[week.number - 1].doses:
            assert dose_words(scheduled.dose) in text
    for number in range(5, 13):
        assert f"week {number} of 12" not in text.lower()
    assert "the weeks ahead in outline" in text
    assert "stay the same or ease back" in text


def test_the_booklet_shows_this_week_and_next_in_full_and_every_later_week_in_the_outline(plan_pdf, plan_doc, plan):
    _, text = plan_pdf
    this_week, next_week = plan_doc.weeks

    for week in (this_week, next_week):
        span = f"{date_words(week.first_day)} to {date_words(week.last_day)}"
        assert f"{week.label}: week {week.number} of 12, {span}" in text
        for line in week.sessions:
            assert f"{line.weekday}: Warm-up: {line.warm_up}" in text
    assert [week.number for week in plan_doc.later_weeks] == list(range(5, 13))
    for week in plan_doc.later_weeks:
        row = f"{week.number} {date_words(week.first_day)} to {date_words(week.last_day)} {' '.join(week.amounts)}"
        assert row in text
    # Each exercise of the two weeks, with its figure, once.
    assert len(re.findall(r"Exercise \d+ of \d+\.", text)) == len(plan_doc.exercises) == len(plan.items)


def test_the_plan_prints_what_changed_this_week(plan_doc):
    doc = replace(plan_doc, changes=("Your walking goes up from 15 to 20 minutes because last week went well.",))

    _, text = read(render_plan_pdf(doc))

    assert "What changed this week" in text
    assert "Your walking goes up from 15 to 20 minutes because last week went well." in text


def test_the_patient_name_prints_as_written(plan_pdf):
    reader, text = plan_pdf

    assert NAME in text
    assert NAME in reader.pages[0].extract_text()
    assert "&lt;" not in text
    assert "&amp;" not in text


def test_the_plan_has_title_author_and_bookmarks(plan_pdf, plan):
    reader, _ = plan_pdf
    titles = outline_titles(reader.outline)

    assert reader.metadata.title == f"Exercise plan for {NAME}"
    assert reader.metadata.author == "Anna Nowak"
    for section in ("Your safety limits", "Stop and call us if...", "Week by week", "Your exercises", "Pain diary"):
        assert section in titles
    assert "Week 3" in titles
    assert "Week 4" in titles
    assert "After that" in titles
    assert plan.items[0].exercise.name in titles


def test_the_plan_has_numbered_pages(plan_pdf):
    reader, text = plan_pdf
    pages = len(reader.pages)

    # cover, safety, red flags, this week and next with the outline, the exercises (two or so to a
    # page: tests/rehab/test_exercise_illustration_pdf.py), the pain diary and its log pages
    assert 8 <= pages <= 60
    assert f"Page 1 of {pages}" in text
    assert f"Page {pages} of {pages}" in text


def test_no_text_is_smaller_than_12_points(plan_pdf, report_pdf):
    assert all(style.fontSize >= layout.MIN_FONT_SIZE >= 12 for style in layout.styles().values())
    for reader, _ in (plan_pdf, report_pdf):
        sizes = font_sizes(reader)
        assert sizes
        assert min(sizes) >= 12


def test_a_name_falls_back_to_helvetica_without_dejavu(monkeypatch, plan_doc):
    helvetica = layout.load_fonts(dirs=("/nonexistent",))
    monkeypatch.setattr(layout, "font_set", lambda: helvetica)

    reader, text = read(render_plan_pdf(plan_doc))

    assert helvetica.regular == "Helvetica"
    assert "Zoë <O'Brien> &" in text
    assert "Stop and call us if..." in text
    assert len(reader.pages) > 10


def test_without_dejavu_liberation_sans_is_used(monkeypatch, tmp_path, plan_doc):
    installed = Path("/usr/share/fonts/truetype/liberation")
    if not (installed / "LiberationSans-Regular.ttf").exists():
        pytest.skip("fonts-liberation is not installed")
    (tmp_path / "liberation").symlink_to(installed)
    liberation = layout.load_fonts(dirs=(str(tmp_path),))
    monkeypatch.setattr(layout, "font_set", lambda: liberation)

    _, text = read(render_plan_pdf(plan_doc))

    assert liberation.regular == "LiberationSans-Regular"
    assert NAME in text


def test_the_default_body_font_is_dejavu_sans():
    assert layout.font_set().source.endswith("DejaVuSans.ttf")


def test_non_latin_letters_print_with_the_cid_font_when_no_fallback_ttf_is_installed(monkeypatch, plan):
    def cid_only():
        pdfmetrics.registerFont(UnicodeCIDFont(layout.CID_FALLBACK))
        return layout.CID_FALLBACK, None

    monkeypatch.setattr(layout, "fallback_font", cid_only)
    doc = progress_report(plan, patient=PatientInfo(NAME), contact=CONTACT, start_date=MONDAY, generated_on=MONDAY)

    _, text = read(render_report_pdf(doc))

    assert NAME in text


def test_a_single_check_in_draws_a_chart(plan):
    doc = plan_document(
        plan,
        patient=PatientInfo("Ann Lee"),
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY,
        pain_entries=[PainEntry(MONDAY, 2, 3)],
    )
    _, text = read(render_plan_pdf(doc))

    assert "No sessions logged yet" not in text
    assert "Acceptable up to 5" in text


def test_a_plan_without_check_ins_or_weeks_left_says_so(plan):
    doc = plan_document(
        plan,
        patient=PatientInfo("Ann Lee"),
        contact=ContactInfo("Clinic", "123"),
        start_date=MONDAY,
        generated_on=MONDAY + timedelta(days=200),
    )
    _, text = read(render_plan_pdf(doc))

    assert "No sessions logged yet" in text
    assert "no more weeks to log" in text


def test_under_a_beta_blocker_the_plan_prints_no_heart_rate_zone():
    doc = plan_document(
        case_plan(beta_blocker=True),
        patient=PatientInfo("Ann Lee"),
        contact=CONTACT,
        start_date=MONDAY,
        generated_on=MONDAY,
    )
    _, text = read(render_plan_pdf(doc))

    assert "beats per minute" not in text
    assert "go by effort only" in text


# --- The clinician's report -------------------------------------------------------------------


def test_the_report_prints_limits_rules_decisions_alerts_and_overrides(report_pdf, plan):
    _, text = report_pdf

    assert "RPE 13 (somewhat hard)" in text
    for rule in plan.limits.rules:
        assert rule.id in text.replace(" ", "") or rule.id in text
    assert "Week 11: all check-ins green." in text
    assert "Dizziness <sudden> & sweating" in text
    assert "Tolerated well on a supervised test." in text
    assert "Tender <left> & right." in text
    assert "Timed Up and Go" in text
    assert "Sessions planned and done, per week" in text


def test_the_report_has_title_author_bookmarks_and_the_name_as_written(report_pdf):
    reader, text = report_pdf
    titles = outline_titles(reader.outline)

    assert reader.metadata.title == f"Progress report for {NAME}"
    assert reader.metadata.author == "Anna Nowak"
    assert NAME in text
    for section in ("Assessments", "The plan", "Limits and their rules", "Trends", "Progression decisions", "Alerts"):
        assert section in titles
    assert 5 <= len(reader.pages) <= 60


def test_an_empty_report_renders(plan):
    doc = progress_report(plan, patient=PatientInfo("Ann Lee"), contact=CONTACT, start_date=MONDAY, generated_on=MONDAY)
    _, text = read(render_report_pdf(doc))

    assert "No weekly decision yet." in text
    assert "No alerts." in text
    assert "No strength or function tests recorded." in text
