"""Doses and weeks worked out once for every patient whose numbers match, each patient's rules put back.

A dose's numbers depend on few things: the exercise, the dose tiers that apply and the part of the
limits it reads (planner.memo). Its rationale cites more: every trigger that made its tier apply, the
guidance for the patient's condition, the rules behind each limit it met. Over 3,000 random profiles
there were 160 distinct resistance start doses by their numbers but 3,371 with their rationale, and
each of those was worked out and grown for twelve weeks on its own.

So the prescription and the schedule work an item out with stand-ins for those rules: one stand-in
rule for each tier's triggers and one for each component's guidance (stand_in_parameters), one for
each limit (cited_by_stand_ins). The answer is kept by its numbers, and PatientRules puts each
patient's own rules in place of the stand-ins.

Why that is the answer worked out directly: the engine never decides anything by which rules a value
cites; it passes them on, joining groups and keeping the first rule of each id (unique_rules,
add_rationale). Putting a stand-in's rules in its place and keeping first occurrences gives the same
rules in the same order whether or not repeats of the stand-in were dropped before: a repeat brings
only rules already there. This needs stand-in ids that no real rule has, and limits that name each
rule once (cited_by_stand_ins checks both). tests/planner/test_stand_in_rules.py compares whole
plans with the ones worked out directly.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from functools import lru_cache
from typing import TYPE_CHECKING, Any, TypeVar

from planner.growth import default_growth_rules
from planner.memo import memo_for, token
from planner.rules import DoseParameters, Rulebook
from planner.types import Dose, LoadLimits, ProgressionRule, Rule, ScheduledDose, ValueRationale, evolve_dose

if TYPE_CHECKING:
    from planner.types import Profile

T = TypeVar("T")

# No real rule id starts so (checked for the limits here and for the rule book in planner.rules).
STAND_IN_PREFIX = "stand-in:"


@dataclass(frozen=True)
class StandIn(Rule):
    """A rule that stands for a patient's rules while a dose is worked out; never left in a plan.

    kind: "tier" (the triggers that made the tier apply), "guidance" (the component's guidance that
    applies) or "limit" (the rules behind the limit at a field path); name: the tier, component or path.
    """

    kind: str = ""
    name: str = ""


@lru_cache(maxsize=1024)
def stand_in(kind: str, name: str) -> StandIn:
    return StandIn(
        f"{STAND_IN_PREFIX}{kind}:{name}", f"The patient's {kind} rules for {name}.", "D", __name__, kind, name
    )


def has_stand_in_ids(rules: tuple[Rule, ...]) -> bool:
    return any(rule.id.startswith(STAND_IN_PREFIX) for rule in rules)


class _StandInParameters(DoseParameters):
    """DoseParameters for the active tiers alone: each tier's triggers and each component's guidance
    cited by one stand-in (the values depend on the active tiers only, DoseParameters._lookup)."""

    def __init__(self, active_tiers: tuple[str, ...], book: Rulebook):
        self._book = book
        self.fired = ()  # no profile: the stand-ins take the place of the triggers that fired
        self.active_tiers = active_tiers
        self._triggers = {tier: (stand_in("tier", tier),) for tier in active_tiers}
        self._cache = {}

    def guidance_for(self, component: str, profile: Profile) -> tuple[Rule, ...]:
        return (stand_in("guidance", component),)


def stand_in_parameters(params: DoseParameters, book: Rulebook) -> DoseParameters:
    """The parameters of every profile whose tiers are those of `params`, with stand-ins."""
    return memo_for(book).get(
        "stand-in parameters", params.active_tiers, lambda: _StandInParameters(params.active_tiers, book)
    )


_CITED: dict[int, tuple[LoadLimits, LoadLimits | None]] = {}
MAX_ENTRIES = 4096


def cited_by_stand_ins(limits: LoadLimits) -> LoadLimits | None:
    """`limits` with the rules behind each field path replaced by one stand-in, or None when stand-ins
    cannot take their place (a rule named twice, or a rule whose id looks like a stand-in's)."""
    found = _CITED.get(id(limits))
    if found is not None and found[0] is limits:
        return found[1]
    cited = None
    if len({rule.id for rule in limits.rules}) == len(limits.rules) and not has_stand_in_ids(limits.rules):
        stand_ins, provenance = _limit_stand_ins(tuple(path for path, _ids in limits.provenance))
        cited = replace(limits, rules=stand_ins, provenance=provenance)
    if len(_CITED) >= MAX_ENTRIES:
        _CITED.clear()
    _CITED[id(limits)] = (limits, cited)
    return cited


@lru_cache(maxsize=64)
def _limit_stand_ins(paths: tuple[str, ...]) -> tuple[tuple[Rule, ...], tuple[tuple[str, tuple[str, ...]], ...]]:
    """One stand-in per field path, and the provenance naming it."""
    stand_ins = tuple(stand_in("limit", path) for path in paths)
    return stand_ins, tuple((path, (rule.id,)) for path, rule in zip(paths, stand_ins, strict=True))


Answer = tuple[Dose, ProgressionRule, tuple[Rule, ...]]  # a start dose, its progression and their rules
Track = tuple[ScheduledDose, ...]  # an item's weeks


class PatientRules:
    """One patient's rules in place of the stand-ins: the triggers of their tiers, the guidance that
    applies to them and the rules behind their limits.

    Many patients share both a shared answer and the rules its stand-ins stand for, so the answer
    with the rules put back is kept (planner.memo) by the shared answer and those rules.
    """

    def __init__(self, params: DoseParameters, profile: Profile, limits: LoadLimits, book: Rulebook) -> None:
        self.params, self.profile, self.limits = params, profile, limits
        self._memo = memo_for(book)
        self._own: dict[str, tuple[Rule, ...]] = {}
        self._own_tokens: dict[str, int] = {}
        # The tokens of the patient's rules for each set of stand-ins met (by identity: kept sets).
        self._own_keys: dict[int, tuple[tuple[StandIn, ...], tuple[int, ...]]] = {}

    def own(self, rule: StandIn) -> tuple[Rule, ...]:
        """The patient's rules that `rule` stands for."""
        found = self._own.get(rule.id)
        if found is None:
            if rule.kind == "tier":
                found = self.params.triggers_of(rule.name)
            elif rule.kind == "guidance":
                found = self.params.guidance_for(rule.name, self.profile)
            else:
                found = self.limits.rules_for(rule.name)
            self._own[rule.id] = found
        return found

    def answer(self, shared: Answer) -> Answer:
        """A start dose, its progression and their rules worked out with stand-ins, with this patient's rules."""
        return self._kept(
            "answer", shared, lambda put: (put.dose(shared[0]), put.progression(shared[1]), put.rules(shared[2]))
        )

    def track(self, shared: Track) -> Track:
        """An item's weeks worked out with stand-ins, with this patient's rules."""
        return self._kept("track", shared, lambda put: put.track(shared))

    def _kept(self, kind: str, shared: T, put_back: Callable[[_PutBack], T]) -> T:
        shared_token = token(shared)
        cited = self._memo.get("stand-ins cited", (kind, shared_token), lambda: _cited(kind, shared))
        if not cited:
            return shared
        found = self._own_keys.get(id(cited))
        if found is None or found[0] is not cited:
            found = self._own_keys[id(cited)] = (cited, tuple([self._own_token(rule) for rule in cited]))
        return self._memo.get("rules put back", (kind, shared_token, found[1]), lambda: put_back(_PutBack(self.own)))

    def _own_token(self, rule: StandIn) -> int:
        found = self._own_tokens.get(rule.id)
        if found is None:
            found = self._own_tokens[rule.id] = token(self.own(rule))
        return found


def _cited(kind: str, shared: Any) -> tuple[StandIn, ...]:
    """The stand-ins an answer or a track cites, in the order of their ids."""
    groups: list[tuple[Rule, ...]] = []
    if kind == "answer":
        dose, progression, rules = shared
        groups.extend(entry.rules for entry in dose.rationale)
        groups.extend(step.rules for step in progression.steps)
        groups.append(rules)
    else:
        groups.extend(entry.rules for week in shared for entry in week.dose.rationale)
    found = {rule.id: rule for group in groups for rule in group if type(rule) is StandIn}
    return tuple(found[rule_id] for rule_id in sorted(found))


class _PutBack:
    """Puts a patient's rules in place of the stand-ins, each rationale, dose and week once (they are
    shared across an item's weeks, so they are looked up by identity)."""

    def __init__(self, own: Callable[[StandIn], tuple[Rule, ...]]) -> None:
        self.own = own
        self._done: dict[int, tuple[Any, Any]] = {}

    def _kept(self, value: T) -> T | None:
        found = self._done.get(id(value))
        return found[1] if found is not None and found[0] is value else None

    def _keep(self, value: T, result: T) -> T:
        self._done[id(value)] = (value, result)
        return result

    def rules(self, rules: tuple[Rule, ...]) -> tuple[Rule, ...]:
        found = self._kept(rules)
        if found is not None:
            return found
        if not any(type(rule) is StandIn for rule in rules):
            return self._keep(rules, rules)
        seen: set[str] = set()
        out = []
        for cited in rules:
            for rule in self.own(cited) if type(cited) is StandIn else (cited,):
                if rule.id not in seen:
                    seen.add(rule.id)
                    out.append(rule)
        return self._keep(rules, tuple(out))

    def rationale(self, entries: tuple[ValueRationale, ...]) -> tuple[ValueRationale, ...]:
        found = self._kept(entries)
        if found is not None:
            return found
        out = []
        for entry in entries:
            own = self._kept(entry)
            if own is None:
                rules = self.rules(entry.rules)
                own = self._keep(entry, entry if rules is entry.rules else ValueRationale(entry.field, rules))
            out.append(own)
        changed = any(own is not entry for own, entry in zip(out, entries, strict=True))
        return self._keep(entries, tuple(out) if changed else entries)

    def dose(self, dose: Dose) -> Dose:
        found = self._kept(dose)
        if found is not None:
            return found
        rationale = self.rationale(dose.rationale)
        return self._keep(dose, dose if rationale is dose.rationale else evolve_dose(dose, rationale=rationale))

    def progression(self, progression: ProgressionRule) -> ProgressionRule:
        steps = tuple(replace(step, rules=self.rules(step.rules)) for step in progression.steps)
        return replace(progression, steps=steps)

    def track(self, track: Track) -> Track:
        """A held week stays one object, as item_weeks gives it."""
        out = []
        for week in track:
            found = self._kept(week)
            if found is None:
                dose = self.dose(week.dose)
                found = self._keep(
                    week,
                    week
                    if dose is week.dose
                    else ScheduledDose(week.exercise_slug, dose, week.changed, week.growth_pct),
                )
            out.append(found)
        return tuple(out)


@dataclass(frozen=True)
class StandIns:
    """What one patient's items are worked out with: dose parameters and limits with stand-ins, and
    the patient's rules to put back."""

    params: DoseParameters
    limits: LoadLimits
    patient: PatientRules


def stand_ins_for(params: DoseParameters, profile: Profile, limits: LoadLimits, book: Rulebook) -> StandIns | None:
    """The stand-ins for this patient, or None when they cannot take the place of the patient's rules
    (cited_by_stand_ins; a rule of the book or of growth with an id like a stand-in's)."""
    cited = cited_by_stand_ins(limits)
    if cited is None or memo_for(book).get("stand-in ids", None, lambda: _book_has_stand_in_ids(book)):
        return None
    return StandIns(stand_in_parameters(params, book), cited, PatientRules(params, profile, limits, book))


def _book_has_stand_in_ids(book: Rulebook) -> bool:
    return has_stand_in_ids((*book.all_rules(), *default_growth_rules().all_rules()))


@dataclass(frozen=True)
class SharedItem:
    """What an item of one patient was worked out as: its dose and progression with stand-ins, and the
    stand-ins to work its weeks out with."""

    dose: Dose
    progression: ProgressionRule
    stand_ins: StandIns


# Patient items' shared forms, by the identity of the patient's dose (held, so the id stays its own).
_SHARED: dict[int, tuple[Dose, ProgressionRule, LoadLimits, SharedItem]] = {}


def remember_shared(dose: Dose, progression: ProgressionRule, shared: SharedItem) -> None:
    """`dose` and `progression` are `shared` with the patient's rules put back."""
    if len(_SHARED) >= MAX_ENTRIES:
        _SHARED.clear()
    _SHARED[id(dose)] = (dose, progression, shared.stand_ins.patient.limits, shared)


def shared_form(dose: Dose, progression: ProgressionRule, limits: LoadLimits) -> SharedItem | None:
    """The shared form of an item prescribed under these very limits, or None (an edited dose, other
    limits: it is worked out as it stands)."""
    found = _SHARED.get(id(dose))
    if found is None or found[0] is not dose or found[1] is not progression or found[2] is not limits:
        return None
    return found[3]
