"""A speed-up must not change a plan: records a digest of every plan the engine makes, and compares.

Plans the bench's 10,000 seeded profiles (bench_engine.py, the same four calls in the same order) and
several thousand broader random profiles (the ranges of the property tests' strategy, padded regions,
every fifth with clinician tightenings, every seventh with another plan length), then the broader ones
again in reverse order, warm (the engine's memos must not make a plan depend on the plans before it).
Each plan's digest covers the stored form (planner.serialize.to_dict, JSON with its number types) and
the dataclasses' repr (every week's full rationale, int or float, rule texts).

    .venv/bin/python bench/engine_guard.py --record /tmp/plans.json     # before a change
    .venv/bin/python bench/engine_guard.py --compare /tmp/plans.json    # after it: exit 1 on a difference
"""

import argparse
import hashlib
import json
import random
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from bench.bench_engine import random_profile
from planner.catalogue import load_default_catalogue
from planner.limits import compute_limits, get_field
from planner.rules import default_rulebook
from planner.schedule import DEFAULT_WEEKS, build_plan
from planner.serialize import to_dict
from planner.types import LimitAdjustment, Plan, Profile, Rule
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    INFLAMMATION_ACTIVITY,
    MOVEMENT_TAGS,
    POSITIONS,
    SEXES,
)
from rehab.process_tuning import tune_garbage_collector

TIGHTENABLE = (
    "aerobic.max_rpe",
    "aerobic.max_hrr_pct",
    "resistance.max_pct_1rm",
    "resistance.max_rpe",
    "flexibility.max_hold_seconds",
    "weekly_progression_max_pct",
)


def _subset(rng: random.Random, vocabulary: tuple[str, ...], most: int) -> tuple[str, ...]:
    return tuple(rng.sample(vocabulary, rng.randint(0, most)))


def broad_profile(rng: random.Random) -> Profile:
    """The property tests' ranges (tests/planner/test_properties.py profiles()), plus padded regions."""
    resting_hr = rng.randint(30, 150)
    ossified = _subset(rng, BODY_REGIONS, 4)
    avoid = _subset(rng, BODY_REGIONS, 3)
    protected = ossified + avoid
    return Profile(
        age=rng.randint(18, 110),
        sex=rng.choice(SEXES),
        bone_fragility=rng.choice(BONE_FRAGILITY),
        vertebral_fracture=rng.random() < 0.5,
        heterotopic_ossification_regions=ossified,
        inflammation_activity=rng.choice(INFLAMMATION_ACTIVITY),
        pain_at_rest=rng.randint(0, 10),
        resting_hr=resting_hr,
        measured_hr_max=None if rng.random() < 0.5 else rng.randint(max(80, resting_hr + 1), 230),
        beta_blocker=rng.random() < 0.5,
        cardiopulmonary_status=rng.choice(CARDIOPULMONARY_STATUS),
        avoid_regions=avoid,
        available_equipment=None if rng.random() < 0.5 else _subset(rng, EQUIPMENT, 8),
        unavailable_positions=_subset(rng, POSITIONS, 3),
        sedentary=rng.random() < 0.5,
        padded_pressure_regions=tuple(rng.sample(protected, min(len(protected), rng.randint(0, 2)))),
    )


def tightenings(rng: random.Random, profile: Profile, book) -> tuple[LimitAdjustment, ...]:
    limits = compute_limits(profile, book)
    out = []
    for path in rng.sample(TIGHTENABLE, rng.randint(1, 4)):
        current = get_field(limits, path)
        lowest = 6 if path.endswith("max_rpe") else 1
        value = rng.randint(min(lowest, int(current)), int(current))
        out.append(LimitAdjustment(path, float(value) if path == "weekly_progression_max_pct" else value))
    if rng.random() < 0.5:
        tags = list(limits.excluded_tags) + rng.sample(MOVEMENT_TAGS, rng.randint(0, 3))
        out.append(LimitAdjustment("excluded_tags", tags))
    if rng.random() < 0.5:
        out.append(LimitAdjustment("resistance.min_reps", limits.resistance.min_reps + rng.randint(0, 5)))
    return tuple(out)


def _rule_by_id(rule: Rule) -> str:
    return rule.id


def digest(plan: Plan) -> str:
    # The repr names each rule by its id (the stored form's rule_index holds their words): 1 MB less a plan.
    stored = json.dumps(to_dict(plan), sort_keys=True)
    return hashlib.sha256(stored.encode() + b"\0" + repr(plan).encode()).hexdigest()[:24]


def plan_for(profile, library, book, weeks=DEFAULT_WEEKS, adjustments=()) -> Plan:
    # build_plan makes the bench's four calls (bench_engine.py), with the limits adjusted first.
    return build_plan(profile, library, weeks=weeks, rulebook=book, adjustments=adjustments)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    action = parser.add_mutually_exclusive_group(required=True)
    action.add_argument("--record", type=Path)
    action.add_argument("--compare", type=Path)
    parser.add_argument("--broad", type=int, default=5000)
    args = parser.parse_args()

    library = load_default_catalogue()
    book = default_rulebook()
    tune_garbage_collector()
    Rule.__repr__ = _rule_by_id  # type: ignore[method-assign]  # this process only: it only digests
    rng = random.Random(20261124)
    digests: dict[str, str] = {}
    for n in range(10_000):
        digests[f"bench-{n}"] = digest(plan_for(random_profile(rng), library, book))
    broad_rng = random.Random(20261201)
    cases = []
    for n in range(args.broad):
        profile = broad_profile(broad_rng)
        adjustments = tightenings(broad_rng, profile, book) if n % 5 == 0 else ()
        weeks = (1, 4, 26, 52)[n // 7 % 4] if n % 7 == 0 else DEFAULT_WEEKS
        cases.append((f"broad-{n}", profile, weeks, adjustments))
    for name, profile, weeks, adjustments in cases:
        digests[name] = digest(plan_for(profile, library, book, weeks, adjustments))
    reversed_differ = [
        name
        for name, profile, weeks, adjustments in reversed(cases)
        if digest(plan_for(profile, library, book, weeks, adjustments)) != digests[name]
    ]
    if reversed_differ:
        print(f"{len(reversed_differ)} plans differ when planned in reverse order, e.g. {reversed_differ[:5]}")
    if args.record:
        args.record.write_text(json.dumps(digests))
        print(f"recorded {len(digests)} plan digests in {args.record}")
        sys.exit(1 if reversed_differ else 0)
    before = json.loads(args.compare.read_text())
    differ = [name for name in before if digests.get(name) != before[name]]
    print(f"{len(before) - len(differ)} of {len(before)} plans identical; {len(differ)} differ {differ[:10]}")
    sys.exit(1 if differ or reversed_differ or len(before) != len(digests) else 0)


if __name__ == "__main__":
    main()
