"""How many whole plans (limits + prescription + 12-week schedule + targets) the engine makes per second.

Profiles are random but seeded, so every run plans for the same 10,000 patients. The garbage collector
runs as in the web and worker processes (rehab/process_tuning.py; --default-gc: CPython's defaults).
Prints the figure; nothing here asserts a time (see architecture.md: benchmarks print, tests never time).

    .venv/bin/python bench/bench_engine.py [--profiles N] [--seed S] [--default-gc]
"""

import argparse
import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner.catalogue import load_default_catalogue
from planner.limits import compute_limits
from planner.prescribe import prescribe
from planner.rules import default_rulebook
from planner.schedule import DEFAULT_WEEKS, schedule
from planner.targets import plan_targets
from planner.types import Profile
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    INFLAMMATION_ACTIVITY,
    POSITIONS,
    SEXES,
)
from rehab.process_tuning import tune_garbage_collector  # the rehab package loads Celery, not Django


def random_profile(rng: random.Random) -> Profile:
    resting_hr = rng.randint(45, 110)
    return Profile(
        age=rng.randint(18, 95),
        sex=rng.choice(SEXES),
        bone_fragility=rng.choice(BONE_FRAGILITY),
        vertebral_fracture=rng.random() < 0.15,
        heterotopic_ossification_regions=tuple(rng.sample(BODY_REGIONS, rng.choice((0, 0, 1, 2)))),
        inflammation_activity=rng.choice(INFLAMMATION_ACTIVITY),
        pain_at_rest=rng.randint(0, 10),
        resting_hr=resting_hr,
        measured_hr_max=rng.choice((None, None, None, rng.randint(max(80, resting_hr + 30), 200))),
        beta_blocker=rng.random() < 0.2,
        cardiopulmonary_status=rng.choice(CARDIOPULMONARY_STATUS),
        avoid_regions=tuple(rng.sample(BODY_REGIONS, rng.choice((0, 0, 0, 1)))),
        available_equipment=rng.choice((None, tuple(rng.sample(EQUIPMENT, 8)))),
        unavailable_positions=tuple(rng.sample(POSITIONS, rng.choice((0, 0, 1)))),
        sedentary=rng.random() < 0.3,
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--profiles", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=20261124)
    parser.add_argument(
        "--default-gc", action="store_true", help="CPython's own collector settings instead of the processes' ones"
    )
    args = parser.parse_args()

    rng = random.Random(args.seed)
    profiles = [random_profile(rng) for _ in range(args.profiles)]
    library = load_default_catalogue()
    book = default_rulebook()  # loaded once, as in a running server
    if not args.default_gc:
        tune_garbage_collector()  # as the web and worker processes are, once ready (rehab/process_tuning.py)

    items = 0
    started, cpu_started = time.perf_counter(), time.process_time()
    for profile in profiles:
        limits = compute_limits(profile, book)
        prescription = prescribe(profile, library, limits, book)
        weeks = schedule(prescription.items, limits, DEFAULT_WEEKS, book)
        plan_targets(profile, prescription.items, weeks, limits)
        items += len(prescription.items)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started

    print(
        f"{len(profiles)} plans ({len(library)} exercises, {items / len(profiles):.1f} items, "
        f"{DEFAULT_WEEKS} weeks each) in {elapsed:.2f} s"
    )
    print(f"{len(profiles) / elapsed:.0f} plans per second ({elapsed / len(profiles) * 1000:.2f} ms per plan)")
    # On a shared machine the wall clock includes waiting for a core; CPU time is what the engine used.
    print(f"{len(profiles) / cpu:.0f} plans per CPU second ({cpu / len(profiles) * 1000:.2f} ms CPU per plan)")


if __name__ == "__main__":
    main()
