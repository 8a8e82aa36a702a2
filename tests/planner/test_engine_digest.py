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
    "75efbe73d5ae39e754234aae75abd509d7e19c9a010e524f76c819eaee146a9f",
    "8585d13678018a21801062063a570d4067e803edfa9472333470d8c5ce47837f",
    "30bcea81b4f0bbc018b2bd6dc66f6ff18ee3c29b553555b2ec24388f50458ff0",
    "262fba6911fc6ac560c6fc85decc2fcc0944cff50c14ad760d9b2c01669e3c7d",
    "858a2cc9090080e7e97f9d997a1482273f98815e2bba0820e9a398ea2c681ef1",
    "0add448aa6094498f8fd12a343bccdb26ee150c7b9be3f9e38b64f4f102350ce",
    "156d87ce058c9fe618db0c34a1add4665f284c3c2ef7ed6a607ea317d0784e91",
    "f9e463a2ce26185453df5e8176d1cf42d0df5bd52a0778609e8b6c99164ec1aa",
    "881032877309fcfc26a1f9dc45ce651fd74eaaa67c968a6909cd5ebe91911327",
    "1bf64a106b2f1f79ecaca37d20ad2e2fc1aaf599e49706bd928009d6e980a0fa",
    "9403ac0e6fc52e4da2971ce94edd851f8a9cff50b3179ebd05d718f23f276531",
    "d4c99bca7a98d368f569cf4a243934e23f157c55a26bb400f800e1be8ab69635",
    "565cfdfd88e85c069e23f4c5bcbc43dce5522c5b8dce792588c97a04301fddcb",
    "c3ca3376fe35ba410c1f723ae3dd59029f13275f1f21aba0594126d995b2bfe2",
    "dc82085cc592b3c3d4940f7fa41b858fd8adc534bbf065c00237014c8b0d50a6",
    "cb771e30a139269c02566d48fed037c8d524e9ebaadc11f7795921c7419668c1",
    "f88f79766f87d1d41bb816d5be4ac1c75cd6e4879d0c6b93896d5fcb49825dd5",
    "014915746d76eb5e4b9878c46db8978f55131f563204a082c75514c28b3c9b60",
    "958abeb130eb01481fa12c88f66c5c9f68d43786602943ddf894e07143b3e6ba",
    "73e23bb06dfb257c4bf21c78cd9a4dbb2d4a4c962f8d479a50cc5f3c8c5eee2c",
    "84ce5a84265d75e438a76b0bfe0ba7533318ad6fe226f771c2c212d0793e12ce",
    "699ddeba0131d6953433fe6dcd2ff1accd1542a68a430a1a0a8685ee0be439e8",
    "4dced94f115552dee6ced9ceed427dfa0cbc7a2853e08c45079c9428df56c61d",
    "6cea5bf39ebffb30fe53e0bcfbd000ba71aeeb174748fce104f21a54ca95982b",
    "5f93082bbcef72200d3e526946edae596b6ef641e7d9486e51a00627a0de5f81",
    "af98c9081eb71cc35016a34d5d4183723abfe7945d1bd863c18c4e2448ec0c4b",
    "a97d0c23c39800ddef9650f1b6b5a79b1d5f1cea2f8666f6be34c7fa456024b8",
    "6c50288ba47b1485f9488c99c288df585e15bdd876231765440531627023f716",
    "4bb995e14f00ad9e77f2b8e8e98acff8f7f4f25f18ba562c851a91f0adb66ec6",
    "281115eeaa1969c394dfd7f920731f4898b52f556b2c409264b242ee5cee6e55",
    "ef73f68259113f80e88b1f77a29860f38e8a737f0299df674623862604f6230e",
    "588ff5a41828c0802b06ef19dbc8fc870af2ec2628ba8fe38b4b698ef019847b",
    "73bcaa5d0d676c6e29d66ff364a2a82ebb02ca9b53489cbc31ca728a9466f9c7",
    "56a7330bbb4f13857ef4f16947027719cab362d991ddf2dbcf2a0dedb9919da7",
    "1ebf88796f4f7f6a81d561889ae729a19d62e11b7dbadf8f584d63c5382616d5",
    "cb6e82273fca31872fe91cf9d589ad579aa1aa5370f5c9ae4a0fed8df3baf3b6",
    "9f1023b5eb92d6189ae5b617df5c5089d9307012fad342e3d47647599043c52d",
    "f30994838b4ca4c972fdee354a99b5dd2bf3d32dd11e5d5dd12cfc4ba06329b8",
    "a8cb2faa3912682b16403a0726d48dcfdca2ac4ceb4140846d65b498aff5a146",
    "abbebecb234ed8b4922c0533e64e049f8a5d63e4409c04fa5731223f30c0d96a",
    "a0b3bd43b2c1f5b054d483bc95848c3697f2500829050ff74bd30d89323e772c",
    "68d1d6240a55bee0a1ac6f9adffacbd813c8a7f7bc96626b533db3f227e44c78",
    "23b849ad1f4b1b1f9c0a89a4ca3456c0387f5c8e6f1fd1621aafa0dbf2e54aeb",
    "b2d28e4d19d86b9e69082e3a3d206db004b5e6483139b161f534600f52bf531a",
    "5564f2ddbc7069f0cfd860b361c285c8e136ce25fbb5a0ecd3d5957707080168",
    "c062d3a646533c0542941e7310f9aef02e8fe933c54497dbdcf364cebe464933",
    "2c48dc7d2dbd9e8cfd43f1d3c6003bd5572302b0750b0ee9333c8e37c1986e63",
    "7309be3c67db0b32b544dd161586fc76d5c2d4de8e0b22323decffbe33a1a9d7",
    "c2b7e987bd94c24b2700eb6768c56894ae84795fb2e6c3bde3a8cbbc21d005ec",
    "e19b3ad98c222391fea1521ba9b4c53783ba44c5193a03e0f0f47c5459fa92cc",
]
DECISIONS: list[str] = [
    "aaf33a74abd1c75ad2b8ddd73bfc57e22c0f4443860efe543971601b2c01f281",
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
