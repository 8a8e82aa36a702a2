"""How long the two PDFs take to draw and how big they are.

The patient's 12-week plan for the motivating case, and the clinician's report for the same patient
after 12 weeks of check-ins (synthetic: 5 sessions a week, a decision a week, monthly tests). Prints
the p50 (and p90) time of building the document and of drawing the PDF, and the size. Nothing here
asserts a time (architecture.md: benchmarks print, tests never time). Target: each PDF < 150 ms and
< 400 KB. The same plans through the API, with their queries and against wger's routine PDF in the
same run: bench/bench_pdf_vs_wger.py.

    .venv/bin/python bench/bench_pdf.py [--runs N]
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

import django

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
# The wording is translated through Django's catalogue (planner.translation, installed by rehab.apps).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "rehab.settings")
django.setup()

from planner.documents.booklet import plan_document  # noqa: E402 (after django.setup)
from planner.documents.inputs import (  # noqa: E402 (after django.setup)
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
from planner.documents.report import progress_report  # noqa: E402 (after django.setup)
from planner.schedule import build_plan  # noqa: E402 (after django.setup)
from planner.types import Profile  # noqa: E402 (after django.setup)
from rehab.pdf import accelerated, render_plan_pdf, render_report_pdf  # noqa: E402 (after django.setup)

START = date(2026, 11, 2)
PATIENT = PatientInfo("Zoë <O'Brien> & Łukasz Nowak", date(1969, 3, 14))
CONTACT = ContactInfo("Riverside Rehab & Physio", "+44 20 7946 0000", "team@riverside.example", "Anna Nowak")


def motivating_plan(weeks: int = 12):
    return build_plan(
        Profile(
            age=57,
            sex="female",
            bone_fragility="osteoporosis",
            heterotopic_ossification_regions=("gluteal_left", "gluteal_right"),
            inflammation_activity="moderate",
            pain_at_rest=3,
            resting_hr=70,
            cardiopulmonary_status="monitor",
        ),
        weeks=weeks,
    )


def synthetic_history(plan, rng: random.Random, weeks: int = 12) -> dict:
    """Twelve weeks of check-ins (5 a week), weekly decisions, monthly measures, a few alerts."""
    entries = [
        PainEntry(
            START + timedelta(days=7 * week + day),
            rng.randint(1, 5),
            rng.randint(1, 6),
            rng.randint(2, 5),
            rng.randint(9, 13),
        )
        for week in range(weeks)
        for day in range(5)
    ]
    decisions = [
        DecisionEntry(
            week,
            "advance" if week % 4 else "hold",
            "green" if week % 4 else "amber",
            (
                ReasonEntry("progression.pain.green_max", "Worst pain 3/10 during and after exercise."),
                ReasonEntry("progression.decision.advance", "All check-ins green; 5 of 5 sessions done."),
            ),
            START + timedelta(days=7 * week),
            tuple(f"{item.exercise.name}: one step up" for item in plan.items[:4]),
        )
        for week in range(1, weeks)
    ]
    measures = [
        MeasureEntry(kind, START + timedelta(days=28 * month), value + month)
        for month in range(4)
        for kind, value in (("grip_left_kg", 18), ("grip_right_kg", 20), ("chair_stand_30s", 9), ("mmt8_total", 60))
    ]
    alerts = [
        AlertEntry(START + timedelta(days=day), "pain_red", "Pain 7/10 after the session", urgent=True)
        for day in (17, 45)
    ]
    overrides = [
        OverrideEntry(
            START + timedelta(days=40),
            "Dr Chen",
            "Walking on flat ground",
            ("Aerobic intensity up to 45 %HRR is above the limit of 39 %HRR.",),
            "Tolerated well on a supervised test.",
        )
    ]
    return {
        "pain_entries": entries,
        "adherence": [WeekAdherence(week, 5, rng.randint(3, 5)) for week in range(1, weeks + 1)],
        "measures": measures,
        "decisions": decisions,
        "alerts": alerts,
        "overrides": overrides,
        "assessments": [AssessmentEntry(START - timedelta(days=5), "Anna Nowak", plan.profile, "Masses tender.")],
    }


def timed(function, runs: int) -> tuple[list[float], object]:
    result = function()  # warm-up: fonts are registered and rule data read once per process
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        result = function()
        times.append((time.perf_counter() - started) * 1000)
    return times, result


def describe(label: str, times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return f"{label:<34} p50 {statistics.median(times):7.1f} ms   p90 {p90:7.1f} ms"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()

    plan = motivating_plan()
    history = synthetic_history(plan, random.Random(20261124))
    generated_on = START + timedelta(days=84)

    def plan_doc():
        return plan_document(
            plan,
            patient=PATIENT,
            contact=CONTACT,
            start_date=START,
            generated_on=START - timedelta(days=1),
            pain_entries=history["pain_entries"][:10],
        )

    def report_doc():
        return progress_report(
            plan, patient=PATIENT, contact=CONTACT, start_date=START, generated_on=generated_on, **history
        )

    plan_doc_times, plan_document_ = timed(plan_doc, args.runs)
    plan_pdf_times, plan_pdf = timed(lambda: render_plan_pdf(plan_document_), args.runs)
    report_doc_times, report_document = timed(report_doc, args.runs)
    report_pdf_times, report_pdf = timed(lambda: render_report_pdf(report_document), args.runs)

    print(
        f"{args.runs} runs each; {len(plan.weeks)}-week plan, {len(plan.items)} exercises; "
        f"report with {len(history['pain_entries'])} check-ins"
    )
    print(describe("plan document (planner.documents.booklet)", plan_doc_times))
    print(describe("plan PDF (rehab.pdf)", plan_pdf_times) + f"   {len(plan_pdf) / 1024:6.1f} KB")
    long_plan = motivating_plan(52)

    def long_doc():
        return plan_document(
            long_plan, patient=PATIENT, contact=CONTACT, start_date=START, generated_on=START + timedelta(days=200)
        )

    long_doc_times, long_document = timed(long_doc, args.runs)
    long_pdf_times, long_pdf = timed(lambda: render_plan_pdf(long_document), args.runs)
    print(describe("52-week plan document", long_doc_times))
    print(describe("52-week plan PDF", long_pdf_times) + f"   {len(long_pdf) / 1024:6.1f} KB")
    print(describe("report document (planner.documents.report)", report_doc_times))
    print(describe("report PDF (rehab.pdf)", report_pdf_times) + f"   {len(report_pdf) / 1024:6.1f} KB")
    print(f"reportlab C accelerator: {'yes' if accelerated() else 'NO (pip install rl-accel)'}")
    print(
        "queries: none here (drawing takes dataclasses); bench/bench_pdf_vs_wger.py prints the API's time and "
        "queries for the demo plan and a 52-week plan, drawn and cached, next to wger's routine PDF; "
        "tests/rehab/test_pdf_cache.py and test_pdf_speed.py count them"
    )
    print("target: each PDF < 150 ms and < 400 KB")


if __name__ == "__main__":
    main()
