"""What a plan costs to store, as one snapshot and as rows (planner.storage), for N random profiles.

For each profile the engine builds a 12-week plan; the bench prints, per plan, the bytes of the whole
serialize.to_dict snapshot (what Plan.engine used to hold, and what every history row copied) against
the bytes stored per plan as rows (blueprint + item columns) and the bytes of the shared parts over all
N plans; and the time to rebuild the typed plan from each form (from_dict of the snapshot, join of the
rows). Pure Python, no database. Nothing here asserts a time.

    .venv/bin/python bench/bench_plan_storage.py [--plans 200] [--weeks 12]
"""

import argparse
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from planner import serialize, storage
from planner.catalogue import load_default_catalogue
from planner.schedule import build_plan
from planner.types import Plan, Profile
from planner.vocabulary import BODY_REGIONS, BONE_FRAGILITY, CARDIOPULMONARY_STATUS, INFLAMMATION_ACTIVITY


def random_profile(rng: random.Random) -> Profile:
    return Profile(
        age=rng.randint(25, 90),
        bone_fragility=rng.choice(BONE_FRAGILITY),
        vertebral_fracture=rng.random() < 0.2,
        heterotopic_ossification_regions=tuple(rng.sample(BODY_REGIONS, rng.randint(0, 2))),
        inflammation_activity=rng.choice(INFLAMMATION_ACTIVITY),
        pain_at_rest=rng.randint(0, 6),
        resting_hr=rng.randint(55, 95),
        beta_blocker=rng.random() < 0.15,
        cardiopulmonary_status=rng.choice(CARDIOPULMONARY_STATUS),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--plans", type=int, default=200)
    parser.add_argument("--weeks", type=int, default=12)
    args = parser.parse_args()
    rng = random.Random(20261130)
    library = load_default_catalogue()
    snapshot_bytes, row_bytes, parts, from_dict_ms, join_ms = [], [], {}, [], []
    for _ in range(args.plans):
        plan = build_plan(random_profile(rng), library, weeks=args.weeks)
        document = serialize.to_dict(plan)
        snapshot_bytes.append(len(storage.canonical(document)))
        stored = storage.split(document)
        row_bytes.append(
            len(storage.canonical(stored.blueprint))
            + sum(len(storage.canonical([i.dose, i.schedule, i.targets, i.notes])) + 3 * 32 for i in stored.items)
        )
        parts.update(stored.parts)
        started = time.perf_counter()
        serialize.from_dict(Plan, document)
        from_dict_ms.append((time.perf_counter() - started) * 1000)
        started = time.perf_counter()
        serialize.from_dict(Plan, storage.join(stored))
        join_ms.append((time.perf_counter() - started) * 1000)
    shared = sum(len(storage.canonical(part)) for part in parts.values())
    print(f"{args.plans} plans of {args.weeks} weeks (random profiles, the shipped library)")
    print(f"snapshot per plan:      median {statistics.median(snapshot_bytes) / 1024:7.1f} KB")
    print(f"rows per plan:          median {statistics.median(row_bytes) / 1024:7.1f} KB")
    print(
        f"shared parts, all plans: {len(parts)} parts, {shared / 1024:.1f} KB "
        f"({shared / args.plans / 1024:.2f} KB a plan)"
    )
    print(f"rebuild from snapshot:  median {statistics.median(from_dict_ms):.2f} ms")
    print(f"rebuild from rows:      median {statistics.median(join_ms):.2f} ms")


if __name__ == "__main__":
    main()
