"""Twelve weeks of weekly decisions for a matrix of profiles: how far each component grows.

For every bone-fragility tier x inflammation level x cardiopulmonary status, with and without ossified
gluteal regions, at three ages, the engine builds the plan and then decides eleven weeks in a row from
synthetic check-ins: all green, mixed (green with amber and one red week) and red. It prints, per
component, the week-12 to week-1 ratio of weekly volume, the share of profiles that reach the
reference's week-12 target (clinical-reference 8d), and every invariant broken (there must be none):

- no dose above a limit (planner.limits.check_dose), in any week;
- on green, no dose shrinks;
- on green, no item below its ceilings stays unchanged more than 2 weeks in a row (reported, with the
  reason the engine gave, as "stalls");
- on red, only the variable that last grew is taken back (reported as "regress not the reverse").

    .venv/bin/python bench/simulate_progression.py [--ages 40,57,75] [--quiet]

Prints figures; nothing here asserts (see architecture.md: benchmarks print, tests never time).
"""

from __future__ import annotations

import argparse
import itertools
import statistics
import sys
import time
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.catalogue import load_default_catalogue
from planner.growth import weekly_volume
from planner.limits import check_dose
from planner.progression import (
    AT_CEILINGS_TEXT,
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    WeekContext,
    decide_progression,
    next_week_context,
)
from planner.progression_rules import is_inflammatory_myopathy
from planner.schedule import build_plan
from planner.types import Dose, Profile
from planner.vocabulary import BONE_FRAGILITY, CARDIOPULMONARY_STATUS, INFLAMMATION_ACTIVITY

START = date(2026, 1, 5)
WEEKS = 12
SEQUENCES = {
    "green": ["green"] * (WEEKS - 1),
    "mixed": ["green", "green", "amber", "green", "red", "green", "green", "amber", "green", "green", "green"],
    "red": ["green", "green", "red", "red"] + ["green"] * (WEEKS - 5),
}
PAIN = {"green": (1, 1, 1), "amber": (4, 4, 1), "red": (7, 7, 2)}


def profiles(ages):
    for bone, inflammation, cardio, ossified, age in itertools.product(
        BONE_FRAGILITY, INFLAMMATION_ACTIVITY, CARDIOPULMONARY_STATUS, (False, True), ages
    ):
        yield Profile(
            age=age,
            sex="female",
            bone_fragility=bone,
            inflammation_activity=inflammation,
            cardiopulmonary_status=cardio,
            heterotopic_ossification_regions=("gluteal_left", "gluteal_right") if ossified else (),
            pain_at_rest=1,
        )


def weekly_volume_words(component: str, doses: list[Dose]) -> float:
    """Per component: aerobic and balance in minutes a week, resistance in sets a week per exercise,
    flexibility in seconds held a week per stretch (averaged over the component's items)."""
    if not doses:
        return 0.0
    if component in ("aerobic", "neuromotor"):
        total = 0.0
        for dose in doses:
            if dose.dose_kind == "minutes":
                total += dose.frequency_per_week * float(dose.minutes)
            elif dose.dose_kind == "hold":
                total += dose.frequency_per_week * dose.sets * dose.hold_seconds / 60
            else:
                total += dose.frequency_per_week * dose.sets * (dose.reps or 0) * 3 / 60  # ~3 s a repetition
        return total
    if component == "resistance":
        return statistics.mean(dose.frequency_per_week * dose.sets for dose in doses)
    return statistics.mean(dose.frequency_per_week * dose.sets * (dose.hold_seconds or 0) for dose in doses)


def _signals(week: int, light: str, slugs) -> list[CheckInSignal]:
    during, after, morning = PAIN[light]
    monday = START + timedelta(weeks=week - 1)
    return [
        CheckInSignal(
            checkin_id=week * 100 + n,
            date=monday + timedelta(days=n),
            planned_session=True,
            items=tuple(ItemReport(slug, True) for slug in slugs),
            session_rpe=11,
            pain_during=during,
            pain_after=after,
            pain_next_morning=morning,
        )
        for n in range(7)
    ]


def _shrinks(before: Dose, after: Dose) -> bool:
    """The item's weekly volume (sessions x time x intensity) went down. One more set or day may refit the
    time per bout down (2 x 8 after 1 x 12) while the weekly volume still grows; that is not a shrink."""
    return weekly_volume(after) < weekly_volume(before)


def _reverse_of_last_growth(before_growth: Dose | None, regressed: Dose) -> bool:
    return (
        before_growth is None or regressed == before_growth or weekly_volume(regressed) <= weekly_volume(before_growth)
    )


def simulate(profile: Profile, sequence: list[str], catalogue, problems: dict) -> tuple[dict, object]:
    plan = build_plan(profile, catalogue, weeks=WEEKS)
    limits = plan.limits
    by_slug = {item.slug: item for item in plan.items}
    strength_gate = is_inflammatory_myopathy((), profile.inflammation_activity)
    context = WeekContext(
        week=1,
        sessions_planned=max(item.dose.frequency_per_week for item in plan.items),
        baseline_pain=profile.pain_at_rest,
        items=tuple(
            ItemState(item.slug, item.dose, item.progression, regions_loaded=item.exercise.regions_loaded)
            for item in plan.items
        ),
        week_end=START + timedelta(days=6),
        strength_gate=strength_gate,
        protected_regions=profile.heterotopic_ossification_regions,
    )
    strength = [StrengthSignal("mmt8_total", START + timedelta(weeks=4 * n), 60) for n in range(4)]
    first = {s.slug: s.dose for s in context.items}
    unchanged = defaultdict(int)
    for week, light in enumerate(sequence, start=1):
        slugs = [s.slug for s in context.items]
        until = START + timedelta(weeks=week)
        decision = decide_progression(
            context, _signals(week, light, slugs), limits, [s for s in strength if s.date < until]
        )
        trails = {s.slug: s.growth_trail for s in context.items}
        for item in decision.items:
            for violation in check_dose(item.dose, limits):
                problems["above a limit"].append((profile, item.slug, violation.message))
            if light == "green":
                if _shrinks(item.previous, item.dose):
                    problems["shrinks on green"].append((profile, item.slug, item.text))
                at_ceilings = item.text == AT_CEILINGS_TEXT
                unchanged[item.slug] = unchanged[item.slug] + 1 if item.dose == item.previous and not at_ceilings else 0
                if unchanged[item.slug] == 3:
                    problems["stalls"].append((profile, item.slug, by_slug[item.slug].component, item.text))
            elif light == "red" and decision.action == "regress" and item.direction == "down":
                last = trails[item.slug][-1] if trails[item.slug] else None
                if not _reverse_of_last_growth(last, item.dose):
                    problems["regress not the reverse"].append((profile, item.slug, item.text))
        context = next_week_context(context, decision)
    last = {s.slug: s.dose for s in context.items}
    result = {}
    for component in ("aerobic", "resistance", "neuromotor", "flexibility"):
        slugs = [i.slug for i in plan.items if i.component == component]
        if slugs:
            result[component] = (
                weekly_volume_words(component, [first[s] for s in slugs]),
                weekly_volume_words(component, [last[s] for s in slugs]),
            )
    return result, plan


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ages", default="40,57,75")
    parser.add_argument("--quiet", action="store_true", help="only the summary tables")
    args = parser.parse_args()
    ages = [int(a) for a in args.ages.split(",")]
    catalogue = load_default_catalogue()
    started = time.perf_counter()
    problems: dict[str, list] = defaultdict(list)
    table = {}
    targets = defaultdict(lambda: {"met": [], "unmet": defaultdict(int), "count": 0})
    count = 0
    for name, sequence in SEQUENCES.items():
        rows = defaultdict(list)
        for profile in profiles(ages):
            count += 1
            result, plan = simulate(profile, sequence, catalogue, problems)
            for component, (week1, week12) in result.items():
                rows[component].append((week1, week12))
            if name == "green":
                for outlook in plan.targets:
                    entry = targets[(outlook.component, outlook.measure, outlook.value)]
                    entry["count"] += 1
                    if outlook.met:
                        entry["met"].append(outlook.expected_week)
                    else:
                        entry["unmet"][outlook.reason.split(";")[0].split(" within")[0]] += 1
        table[name] = rows
    elapsed = time.perf_counter() - started

    print(
        f"{count} simulated plans ({count // len(SEQUENCES)} profiles x {len(SEQUENCES)} sequences) in {elapsed:.1f} s"
    )
    print()
    print("Weekly volume, week 12 against week 1 (aerobic and balance in min/week, resistance in sets/week per")
    print("exercise, stretches in s/week per stretch):")
    print()
    print("| sequence | component | week 1 (median) | week 12 (median) | ratio median (min-max) |")
    print("|---|---|---|---|---|")
    for name, rows in table.items():
        for component, pairs in rows.items():
            ratios = [b / a for a, b in pairs if a]
            print(
                f"| {name} | {component} | {statistics.median(a for a, _ in pairs):.1f} | "
                f"{statistics.median(b for _, b in pairs):.1f} | {statistics.median(ratios):.2f} "
                f"({min(ratios):.2f}-{max(ratios):.2f}) |"
            )
    print()
    print("Targets of the all-green schedule (clinical-reference 8d), per plan that has the component:")
    print()
    print("| component | measure | target | met | median week met | not met: reason (plans) |")
    print("|---|---|---|---|---|---|")
    for (component, measure, value), entry in sorted(targets.items()):
        met = entry["met"]
        reasons = "; ".join(f"{reason} ({n})" for reason, n in sorted(entry["unmet"].items())) or "-"
        median = f"{statistics.median(met):.0f}" if met else "-"
        print(f"| {component} | {measure} | {value} | {len(met)}/{entry['count']} | {median} | {reasons} |")
    print()
    for kind in ("above a limit", "shrinks on green", "stalls", "regress not the reverse"):
        found = problems.get(kind, [])
        print(f"{kind}: {len(found)}")
        if found and not args.quiet:
            for entry in found[:5]:
                profile = entry[0]
                print(
                    f"  e.g. {profile.bone_fragility}/{profile.inflammation_activity}/{profile.cardiopulmonary_status}"
                    f"/age {profile.age}: {entry[1]}: {entry[-1]}"
                )


if __name__ == "__main__":
    main()
