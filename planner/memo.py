"""Answers the engine gives again and again, kept per rule book and keyed by exactly what they read.

Patients whose limits differ still share most items: a resistance item reads only the resistance
limits and the growth cap, never the heart-rate zone, so two patients with the same resistance tier
get the same starting dose and the same twelve weeks of growth for it. `component_limits` is that
part of the limits, per component; the prescription and the schedule key their per-item answers by it
(with the exercise, the dose parameters' tier and the item itself) and compute each answer once.

Every key holds the values an answer reads, with their types where a type reaches the output (5 and
5.0 are equal keys but print differently), so a cached answer is the answer the code would give.
Each store is bounded; the rule book is kept by identity (a store belongs to one book object).
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable
from itertools import count
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from planner.rules import Rulebook
    from planner.types import LoadLimits

T = TypeVar("T")

# The limit paths whose rules a component's dose and growth cite (clamping, ceilings, floors).
AEROBIC_PATHS = ("aerobic.max_hrr_pct", "aerobic.max_rpe", "aerobic.hr_zone_bpm")
RESISTANCE_PATHS = ("resistance.max_pct_1rm", "resistance.max_rpe", "resistance.min_reps")
FLEXIBILITY_PATHS = ("flexibility.max_hold_seconds",)
CAP_PATH = "weekly_progression_max_pct"


def _typed(values: tuple[Any, ...]) -> tuple[Any, ...]:
    return (values, tuple(type(value) for value in values))


# The intensity units the aerobic ceilings bound on any dose (planner.limits._intensity_ceilings).
AEROBIC_CEILING_UNITS = frozenset(("pct_hrr", "rpe_6_20", "hr_bpm"))


def component_limits(limits: LoadLimits, component: str, units: Iterable[str] = ()) -> tuple[Any, ...]:
    """Everything a dose of `component` whose intensity is in `units` reads from the limits: in
    planner.dosing (start dose and progression rule), planner.limits.clamp_dose and planner.schedule
    (growth, cap, intensity steps).

    - every component: the weekly growth cap and its rules;
    - aerobic: the whole aerobic block (targets are drawn from the heart-rate zone and HRmax);
    - resistance: the resistance block (load ceiling, RPE ceiling, fewest repetitions);
    - stretches: the longest hold;
    - stretches and balance work: the aerobic ceilings (%HRR, RPE, the zone's top) only when the dose
      carries an intensity they bound; planner.dosing gives these components "none" or a hand-support
      level, which no ceiling bounds (it checks so when it asks for a key with no units).
    """
    rules = limits.rules_for
    cap = (_typed((limits.weekly_progression_max_pct,)), rules(CAP_PATH))
    aerobic = limits.aerobic
    if component == "aerobic":
        values = tuple(getattr(aerobic, name) for name in aerobic.__dataclass_fields__)
        return (component, *cap, _typed(values), tuple(rules(path) for path in AEROBIC_PATHS))
    if component == "resistance":
        resistance = limits.resistance
        values = (resistance.max_pct_1rm, resistance.max_rpe, resistance.min_reps)
        return (component, *cap, _typed(values), tuple(rules(path) for path in RESISTANCE_PATHS))
    hold = (
        (_typed((limits.flexibility.max_hold_seconds,)), rules(FLEXIBILITY_PATHS[0]))
        if component == "flexibility"
        else ()
    )
    if AEROBIC_CEILING_UNITS.isdisjoint(units):
        return (component, *cap, *hold)
    zone_high = aerobic.hr_zone_bpm[1] if aerobic.hr_zone_bpm else None
    ceilings = _typed((aerobic.max_hrr_pct, aerobic.max_rpe, zone_high))
    return (component, *cap, *hold, ceilings, tuple(rules(path) for path in AEROBIC_PATHS))


class Memo:
    """Bounded stores of pure answers for one rule book (by identity), one store per kind of answer."""

    MAX_ENTRIES = 16384

    def __init__(self, book: Rulebook):
        self.book = book
        self._stores: dict[str, dict[Hashable, Any]] = {}

    def store(self, name: str) -> dict[Hashable, Any]:
        found = self._stores.get(name)
        if found is None:
            found = self._stores[name] = {}
        return found

    def get(self, name: str, key: Hashable, compute: Callable[[], T]) -> T:
        """compute() once per key (compute must be a pure function of the key and the book)."""
        store = self.store(name)
        value: T
        try:
            value = store[key]  # what compute() gave for this key: a T
            return value
        except KeyError:
            pass
        if len(store) >= self.MAX_ENTRIES:
            store.clear()
        value = store[key] = compute()
        return value


class Tokens:
    """A small int per value, equal values sharing one, looked up by identity first.

    Hashing a dose or a progression rule walks every rule it cites; the prescription hands the schedule
    the same few objects again and again, so they are hashed once and named by their token after. Tokens
    are never reused (a counter), so a key built from a token never meets another value's answer, even
    after the table was cleared. The table holds the objects it has seen (their ids stay theirs).
    """

    MAX_ENTRIES = 65536

    def __init__(self) -> None:
        self._by_id: dict[int, tuple[object, int]] = {}
        self._by_value: dict[Hashable, int] = {}
        self._next = count()

    def __call__(self, value: Hashable) -> int:
        found = self._by_id.get(id(value))
        if found is not None and found[0] is value:
            return found[1]
        if len(self._by_id) >= self.MAX_ENTRIES:
            self._by_id.clear()
            self._by_value.clear()
        token = self._by_value.get(value)
        if token is None:
            token = self._by_value[value] = next(self._next)
        self._by_id[id(value)] = (value, token)
        return token


token = Tokens()


class Interned:
    """A small int per value, equal values sharing one, looked up by value alone.

    For the parts of the limits a component reads (component_limits): they are built afresh for every
    plan, so Tokens' identity table would only fill up with them, and hashing one walks every rule it
    cites. A plan interns each once and its keys carry the int, which hashes at once. Ints are never
    reused (a counter), so after the table is cleared an old key can only miss, never meet another value.
    """

    MAX_ENTRIES = 65536

    def __init__(self) -> None:
        self._tokens: dict[Hashable, int] = {}
        self._next = count()

    def __call__(self, value: Hashable) -> int:
        found = self._tokens.get(value)
        if found is None:
            if len(self._tokens) >= self.MAX_ENTRIES:
                self._tokens.clear()
            found = self._tokens[value] = next(self._next)
        return found


interned = Interned()

_MEMOS: dict[int, Memo] = {}


def memo_for(book: Rulebook) -> Memo:
    """The memo of `book` (by identity: the memo holds the book, so its id is never reused meanwhile)."""
    memo = _MEMOS.get(id(book))
    if memo is None or memo.book is not book:
        if len(_MEMOS) >= 8:
            _MEMOS.pop(next(iter(_MEMOS)))
        memo = _MEMOS[id(book)] = Memo(book)
    return memo
