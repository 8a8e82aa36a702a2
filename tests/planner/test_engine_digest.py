"""The engine's output is pinned: the same profiles give byte-for-byte the same plans and decisions.

The digests below were computed from the engine before the speed work of issue 13 (precomputed
catalogue indexes, cached rule lookups); a speed-up must not change a single plan. When a change to the
rules or the library is meant to change plans, recompute them with

    .venv/bin/python -m tests.planner.test_engine_digest

and say in the commit which plans changed and why.
"""

from __future__ import annotations

import hashlib
import json
import random
from datetime import date, timedelta

import pytest

from planner.catalogue import load_default_catalogue
from planner.progression import (
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    WeekContext,
    decide_progression,
    next_week_context,
)
from planner.schedule import build_plan
from planner.serialize import to_dict
from planner.types import LimitAdjustment, Profile
from planner.vocabulary import (
    BODY_REGIONS,
    BONE_FRAGILITY,
    CARDIOPULMONARY_STATUS,
    EQUIPMENT,
    INFLAMMATION_ACTIVITY,
    POSITIONS,
    SEXES,
)

SEED = 20261130
START = date(2026, 1, 5)
PAIN = {"green": (1, 1, 1), "amber": (4, 4, 1), "red": (7, 7, 2)}
SEQUENCE = ["green", "green", "amber", "green", "red", "green", "green", "amber", "green", "green", "green"]


def random_profile(rng: random.Random) -> Profile:
    resting_hr = rng.randint(45, 110)
    ossified = tuple(rng.sample(BODY_REGIONS, rng.choice((0, 0, 1, 2))))
    avoid = tuple(rng.sample(BODY_REGIONS, rng.choice((0, 0, 0, 1))))
    protected = ossified + avoid
    return Profile(
        age=rng.randint(18, 95),
        sex=rng.choice(SEXES),
        bone_fragility=rng.choice(BONE_FRAGILITY),
        vertebral_fracture=rng.random() < 0.15,
        heterotopic_ossification_regions=ossified,
        inflammation_activity=rng.choice(INFLAMMATION_ACTIVITY),
        pain_at_rest=rng.randint(0, 10),
        resting_hr=resting_hr,
        measured_hr_max=rng.choice((None, None, None, rng.randint(max(80, resting_hr + 30), 200))),
        beta_blocker=rng.random() < 0.2,
        cardiopulmonary_status=rng.choice(CARDIOPULMONARY_STATUS),
        avoid_regions=avoid,
        available_equipment=rng.choice((None, tuple(rng.sample(EQUIPMENT, 8)))),
        unavailable_positions=tuple(rng.sample(POSITIONS, rng.choice((0, 0, 1)))),
        sedentary=rng.random() < 0.3,
        padded_pressure_regions=protected[:1] if protected and rng.random() < 0.5 else (),
    )


def cases() -> list[tuple[Profile, int, tuple[LimitAdjustment, ...]]]:
    """50 seeded profiles; every 7th plans 52 weeks, every 5th carries a clinician's tightening."""
    rng = random.Random(SEED)
    out = []
    for index in range(50):
        profile = random_profile(rng)
        weeks = 52 if index % 7 == 3 else 12
        adjustments = (LimitAdjustment("aerobic.max_rpe", 11, author="pin"),) if index % 5 == 2 else ()
        out.append((profile, weeks, adjustments))
    return out


def _digest(data) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, ensure_ascii=False).encode()).hexdigest()


def plan_digest(profile: Profile, weeks: int, adjustments, library) -> str:
    return _digest(to_dict(build_plan(profile, library, weeks=weeks, adjustments=adjustments)))


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


def decisions_digest(profile: Profile, library) -> str:
    """Eleven decided weeks (green, amber and one red) from the profile's 12-week plan."""
    plan = build_plan(profile, library)
    context = WeekContext(
        week=1,
        sessions_planned=max(item.dose.frequency_per_week for item in plan.items),
        baseline_pain=profile.pain_at_rest,
        items=tuple(
            ItemState(item.slug, item.dose, item.progression, regions_loaded=item.exercise.regions_loaded)
            for item in plan.items
        ),
        week_end=START + timedelta(days=6),
        protected_regions=profile.heterotopic_ossification_regions,
    )
    strength = [StrengthSignal("mmt8_total", START + timedelta(weeks=4 * n), 60) for n in range(4)]
    decisions = []
    for week, light in enumerate(SEQUENCE, start=1):
        slugs = [state.slug for state in context.items]
        until = START + timedelta(weeks=week)
        decision = decide_progression(
            context, _signals(week, light, slugs), plan.limits, [s for s in strength if s.date < until]
        )
        decisions.append(repr(decision))
        context = next_week_context(context, decision)
    return _digest(decisions)


def compute() -> dict[str, list[str]]:
    library = load_default_catalogue()
    all_cases = cases()
    return {
        "plans": [plan_digest(profile, weeks, adjustments, library) for profile, weeks, adjustments in all_cases],
        "decisions": [decisions_digest(profile, library) for profile, _w, _a in all_cases[:10]],
    }


PLANS: list[str] = [
    "6f84193793b1f4ddb2bf1eecf8b56ffb906650918dcb7c31abcf92eef3435c7c",
    "25133511a3577cf8dc35f1d8a933b892946d45cd76833144fc5dfebcd8a6bd56",
    "30bcea81b4f0bbc018b2bd6dc66f6ff18ee3c29b553555b2ec24388f50458ff0",
    "132e249cd9ae9a1b88b443d8b7e44568cfec1af7a88c6e45415811a18124e0af",
    "e78f9c0a8bf6026fbac17f8444ff708b744bdaf333f3d6cbabff6740130ae598",
    "633cfab30f84eaa032edb19333054bd5b4cbf01e43df1ec95e0ab220d44ae622",
    "156d87ce058c9fe618db0c34a1add4665f284c3c2ef7ed6a607ea317d0784e91",
    "6fd61c3af87d7f2541c5834897acbd0a2f5a437af6ca4ae9768efa1afb0c8a3d",
    "881032877309fcfc26a1f9dc45ce651fd74eaaa67c968a6909cd5ebe91911327",
    "e7ffae6a822674e391b72c125314a4689edcab1a99f54bd5078a4fe5c7a93381",
    "9403ac0e6fc52e4da2971ce94edd851f8a9cff50b3179ebd05d718f23f276531",
    "e6a6b123f04d7c6082897be4597df59bf33cb357e30d17c7eff48f7cd9dc7af6",
    "565cfdfd88e85c069e23f4c5bcbc43dce5522c5b8dce792588c97a04301fddcb",
    "6f337b9f53b28ae874a8a0ba73ba90aaf7d11c4b9eb3173b3c0f0c1978be00c9",
    "dc82085cc592b3c3d4940f7fa41b858fd8adc534bbf065c00237014c8b0d50a6",
    "ea29b2d1e79ca35588f8fe24fb7d87a94c47c6691003a3647973e30d9128ac8b",
    "905bd46e364797208e177f37e3cdfe4834409848278ee50de66277837f6acfa3",
    "7a535f8deb256e9ea6df5d5b5fdc84a520a32ed32c6624b75957c03afd8cf7ae",
    "382bc6a2a6386063ce4cdf5396620364fb4056bd715ccbe6a74f4e1327f50268",
    "352decb9ab746616b63d3adc3867c7670d56b7fd78f3c4d7512760498fd3e1b1",
    "d7a7f4144b667d1fb26db5eb6ffe38f62582033486d9865005fa2392671e352e",
    "457bbe6c088fa6ab38921612950716b8504978c47455fe7c862563ee4e906853",
    "4dced94f115552dee6ced9ceed427dfa0cbc7a2853e08c45079c9428df56c61d",
    "758d1e0324cfb92dbe166c1f3c29d4b27237be6dfc8b2879b19c197f3e456cfa",
    "74c74e3f9beb003b9d2a8f15e5625b5e48e09adbf223f3a89b886d02c50d77f2",
    "af98c9081eb71cc35016a34d5d4183723abfe7945d1bd863c18c4e2448ec0c4b",
    "11bb11526b09678ba626cc0a22eb4283579eaf5ed308a95a0a027d7f9cb4fe5a",
    "09918d4fa09617b1b71287250ad2b51e6427684229c904aa664a4df62824af70",
    "47c0c616b626f5f1ac2c1e83ce8e66f6e7afa17e6becc88a61aa8197bb5499d4",
    "0c145b663c4ff2650aedd3c15d88ba252bcbde1059aeb514b300323a11996fbd",
    "f5861445210340c109573e808468181ca1aa6e527b1e314209a067ed6640817f",
    "821701dfe958e09ae1943a977356c221596167c24dd8526c8f7373b3190946be",
    "159fcdba7723a9926ceaa328978b0ae86992af482f52a0d2c844f5593f2a53bd",
    "db3e18b500140247c773d9c1ac6e7d71f54fcdee7bcdaeaca03c4c7c4a58b0b8",
    "1ebf88796f4f7f6a81d561889ae729a19d62e11b7dbadf8f584d63c5382616d5",
    "a291666ca6bff53d593a2ba8810e3caa6f188bfaa5f1af366c1f7db19a5de04d",
    "b90765fc572293a18b706e286fed235369ecb9059a03a1e45ef1d0c52b77f3e6",
    "373686bb6f64683993f018974cd1d789364c76fe0ff363982bcd244c8d2d99e4",
    "bcad61992ffaff16c51dbb03166bcd7ebe944cba3d8dbb545444465386d2e8f3",
    "9c5ea641e9c094a731ee6ac8a8a2d08ab9f5a66b7b1fec76471334c5ea2986fc",
    "38cebd51accc8ac06c4fd7ef52ca38a0ad70234d932ded530c795f7ad5b0ce11",
    "f8623e0532b589993f69dda80dbace343961117b34b94969cabbc6910d1e8fbe",
    "3790f6fb74bed30da9c0090eba39e753db377b01d6a7b7ede0f240968bfc1ffe",
    "ab686dd9340f3abdd8e02edb4a8f359a064e55de9c0df85a2ff9ce65ca437742",
    "6a058618e22a5d9c08247ce402e9e4af0a0320cdabe20928ace53be129edbc25",
    "c9ecbaf0d9f7ad8bda4854bf10d188214ed29e7bf694c906f9e09b665b812b20",
    "779d8d8c90adae782647a89b195011ce61ee0c6c8dfd81fb9577d83a1029e8db",
    "6efce8bd285bc593dbca6fb0fd4f2feabdfbbc6d13dbe30323b98150feb791a3",
    "8e6bf66c8f33a16f2215400185f7bbded565c4b8c86d51b1a615d7a118ab61f1",
    "860a73ccf41acc616280279f761f4962df492c70f7ea436ca0d40f0e642b0d6b",
]
DECISIONS: list[str] = [
    "0f916aa0567fa5e791f1b8232f9d8f07dc91fe8ff09151355f7b297bc8f87a1a",
    "a46eb20ab9e94661e55c88e0db034f484451d72a6da011d684ae92588d529781",
    "4be1552a426711f4fefad2887d3a51f592a9963c0d68dd2094b3051da7f491be",
    "c488be2f73b0b332041e689225ac5b83d3cc58113c4780ca484869d814f3eac6",
    "627a03c62953a38aabee8d45c1c9fde5e24d24a1c5ce95c8728ec51d92063472",
    "acea0fe08146eb63240b0b07c70a153ea44c80e54816e81184053e1bd949e80c",
    "b754fd1e58943ddc11193359fa665b5618cb1228355e0d4e86327cf5e897b546",
    "d59e6e1ddafecaea036a339ca74c1db2392533b2da9c75ee26ead83644bc325b",
    "a6fa9f99f9ba0c79c94580a59c7349db6fb0ebe45e34cf65dc46204e2a2e8b11",
    "a8e4be295de8ad9ab2544dd96cc0364f4e3f30e15f0637a69e3553f803b1a3f6",
]


@pytest.fixture(scope="module")
def library():
    return load_default_catalogue()


@pytest.mark.parametrize("index", range(50))
def test_the_same_profile_gives_the_same_plan_as_before_the_speed_work(index, library):
    profile, weeks, adjustments = cases()[index]
    assert plan_digest(profile, weeks, adjustments, library) == PLANS[index], profile


@pytest.mark.parametrize("index", range(10))
def test_the_same_weeks_give_the_same_decisions_as_before_the_speed_work(index, library):
    profile = cases()[index][0]
    assert decisions_digest(profile, library) == DECISIONS[index], profile


if __name__ == "__main__":
    print(json.dumps(compute(), indent=4))
