"""Builders for the progression tests: a real plan's items, and check-ins that are green unless told otherwise."""

from __future__ import annotations

from datetime import date, timedelta
from functools import lru_cache

from planner.catalogue import load_default_catalogue
from planner.limits import compute_limits
from planner.prescribe import prescribe
from planner.progression import CheckInSignal, ItemReport, ItemState, WeekContext
from planner.types import LoadLimits, PrescriptionItem, Profile

# The case the product is built for: dermatomyositis with gluteal ossification and a vertebral fracture.
CASE = Profile(
    age=57,
    sex="female",
    bone_fragility="fragility_fracture",
    vertebral_fracture=True,
    inflammation_activity="low",
    heterotopic_ossification_regions=("gluteal_left", "gluteal_right"),
    pain_at_rest=2,
)
FIRST_MONDAY = date(2026, 1, 5)


@lru_cache(maxsize=256)
def plan_for(profile: Profile = CASE) -> tuple[LoadLimits, tuple[PrescriptionItem, ...]]:
    limits = compute_limits(profile)
    return limits, prescribe(profile, load_default_catalogue(), limits).items


def item_of(component: str, profile: Profile = CASE) -> PrescriptionItem:
    """The profile's first prescribed item of `component`."""
    return next(item for item in plan_for(profile)[1] if item.component == component)


def states(*items: PrescriptionItem) -> tuple[ItemState, ...]:
    return tuple(ItemState(item.slug, item.dose, item.progression) for item in items)


def context(items: tuple[ItemState, ...], **overrides) -> WeekContext:
    fields = {"week": 1, "sessions_planned": 3, "baseline_pain": CASE.pain_at_rest, "items": items}
    fields.update(overrides)
    return WeekContext(**fields)


def checkin(checkin_id: int, day: date, slugs=(), **overrides) -> CheckInSignal:
    """A green check-in: every exercise done, pain 2/10, settled by morning, effort RPE 11."""
    fields = {
        "checkin_id": checkin_id,
        "date": day,
        "planned_session": True,
        "items": tuple(ItemReport(slug, True) for slug in slugs),
        "session_rpe": 11,
        "pain_during": 2,
        "pain_after": 2,
        "pain_next_morning": 2,
    }
    fields.update(overrides)
    return CheckInSignal(**fields)


def week_of_checkins(week: int, slugs, sessions: int = 3, **overrides) -> tuple[CheckInSignal, ...]:
    """`sessions` check-ins on Monday, Wednesday, Friday... of plan week `week`; ids 100*week + n."""
    start = FIRST_MONDAY + timedelta(weeks=week - 1)
    return tuple(checkin(100 * week + n, start + timedelta(days=2 * n), slugs, **overrides) for n in range(sessions))
