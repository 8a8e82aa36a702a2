# Kept whole: one refit walk; each change's sentence is written where the change is decided, just over 500 lines.
"""A clinic plan template refitted to one patient's limits, and the whole plan made from it.

Refitting a template (planner.templates) for a patient (refit_template) never trusts the template's numbers:
1. an exercise the patient's limits, equipment or positions exclude (planner.catalogue's
   exercise_violations) is swapped for an allowed variant: first along the library's easier chain, then
   the harder one, then the allowed exercise of the same component that works the most of the same
   muscle groups (prescribe's own selection breaks the ties: the easiest variant, the least equipment,
   the gentlest impact); with none, the item is dropped;
2. each dose value is bounded by the patient's tier (the dose rules' progression ceilings, as a
   clinician's edit is: planner.editing.edit_violations), a relative intensity is scaled to the patient's
   own limit ceiling, and the limits are applied last (planner.limits.clamp_dose);
3. every difference from the template is a RefitChange with its reason in words and the ids of the
   rules behind it, shown to the physiotherapist before the plan is activated.
Same input, same result: nothing here depends on time, randomness or dict order.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from dataclasses import field as dataclass_field  # RefitChange has a `field` of its own

from planner.catalogue import allowed_exercises, exercise_violations
from planner.choosing import _covers, is_main_block, select_for_targets
from planner.dosing import progression_rule, start_dose, unique_rules
from planner.editing import DoseEditError, edit_dose
from planner.growth import default_growth_rules, ladder_unit
from planner.limits import UNIT_WORDS, apply_adjustments, check_dose, clamp_dose
from planner.prescribe import FILTER_LIMITS
from planner.progression.said import ExerciseName, Joined, Said, Word, said
from planner.rules import SAFETY_NOTICE, DoseParameters, Rulebook, default_rulebook
from planner.schedule import schedule
from planner.targets import plan_targets
from planner.templates import FIELD_WORDS, LIMIT_OF_UNIT, TemplateItem, TemplateSettings, limit_ceiling
from planner.translation import gettext_noop, number
from planner.types import (
    Dose,
    ExerciseSpec,
    Intensity,
    LimitAdjustment,
    LoadLimits,
    Plan,
    PrescriptionItem,
    Profile,
    ProgressionStep,
    Rule,
    ValueRationale,
    Violation,
)
from planner.vocabulary import COMPONENTS

# The time values of a dose, in the order a template's are bounded.
TIME_FIELDS = ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds")
# Which dose value a limit's violation concerns.
_LIMIT_FIELD = {
    "resistance.min_reps": "reps",
    "flexibility.max_hold_seconds": "hold_seconds",
}

TEMPLATE_RULE = Rule(
    id="template.refit",
    text="This exercise comes from a clinic template: the template's dose was refitted to this patient's tier "
    "and limits (each value bounded by the tier's ceilings, the limits applied last), and an exercise the "
    "limits exclude was swapped for an allowed variant or dropped.",
    evidence="D",
    source="Design default (clinic plan templates); the physiotherapist reviews the changes before activation.",
)


@dataclass(frozen=True)
class RefitChange:
    """One difference between the template and the plan made from it.

    kind: "dose" (a value changed), "swap" (another exercise), "drop" (no allowed exercise) or "settings".
    slug: the template's exercise; field: the dose value ("sets", "intensity", ...) or "" for swap/drop.
    before / after: the values in words (after is "" for a drop); replacement: the swapped-in slug.
    reason: why, in plain words; rule_ids: the rules behind it (empty only when no rule is involved,
    e.g. an exercise the clinic retired from its library).
    """

    kind: str
    slug: str
    field: str
    before: str
    after: str
    reason: str
    rule_ids: tuple[str, ...]
    replacement: str = ""
    # The reason as a catalogue template with its values (planner.progression.said), for the reader's language.
    said: Said | None = dataclass_field(default=None, compare=False, repr=False)

    @property
    def text(self) -> str:
        """One line a physiotherapist reads, e.g. "band-row: sets 3 → 2 (...; rules a, b)" (English)."""
        return self.sentence().english()

    def sentence(self) -> Said:
        """The line as a catalogue template: said in the reader's language with .text()."""
        reason = self.said or self.reason
        rules = ", ".join(self.rule_ids)
        if self.kind in ("swap", "drop"):
            values: dict[str, object] = {"before": self.before, "after": self.after, "reason": reason}
            if self.kind == "swap":
                template = (
                    gettext_noop("%(before)s swapped for %(after)s: %(reason)s; rule %(rules)s")
                    if rules
                    else gettext_noop("%(before)s swapped for %(after)s: %(reason)s")
                )
            else:
                template = (
                    gettext_noop("%(before)s dropped: %(reason)s; rule %(rules)s")
                    if rules
                    else gettext_noop("%(before)s dropped: %(reason)s")
                )
        else:
            what = Word(FIELD_WORDS[self.field]) if self.field in FIELD_WORDS else self.field
            values = {"slug": self.slug, "what": what, "before": self.before, "after": self.after, "reason": reason}
            template = (
                gettext_noop("%(slug)s: %(what)s %(before)s → %(after)s (%(reason)s; rule %(rules)s)")
                if rules
                else gettext_noop("%(slug)s: %(what)s %(before)s → %(after)s (%(reason)s)")
            )
        return said(template, **values, **({"rules": rules} if rules else {}))


@dataclass(frozen=True)
class Refit:
    """refit_template's answer: the plan's items (week-1 doses within the limits) and every change."""

    items: tuple[PrescriptionItem, ...]
    changes: tuple[RefitChange, ...]


def _words(value: object) -> str:
    """A value as the reader's language writes it (2.5 in English, 2,5 in Spanish)."""
    if isinstance(value, float):
        return number(value)
    return str(value)


def _intensity_words(target: Intensity | tuple[str, int, int] | None) -> str:
    if target is None:
        return "by feel"
    unit, low, high = (target.unit, target.low, target.high) if isinstance(target, Intensity) else target
    words = UNIT_WORDS.get(unit, unit.replace("_", " "))
    return f"{low}-{high} {words}" if low != high else f"{high} {words}"


def _rules_excluding(tag: str, limits: LoadLimits, book: Rulebook) -> tuple[str, ...]:
    """The ids of the rules that excluded `tag` (a clinician's own exclusion included)."""
    fired = set(limits.rule_ids_for("excluded_tags"))
    found = [
        limit_rule.rule.id
        for limit_rule in book.limit_rules
        if limit_rule.rule.id in fired
        # A literal list of tags (a value read from the profile names no tag itself).
        and any(
            key == "excluded_tags" and isinstance(value, Collection) and tag in value
            for key, value in limit_rule.effects
        )
    ]
    return tuple(found) or tuple(rule_id for rule_id in fired if rule_id.startswith("clinician."))


def _violation_rule_ids(
    spec: ExerciseSpec, violations: Sequence[Violation], limits: LoadLimits, book: Rulebook
) -> tuple[str, ...]:
    ids: list[str] = []
    for violation in violations:
        if violation.limit == "excluded_tags":
            found = [i for tag in spec.tags if tag in limits.excluded_tags for i in _rules_excluding(tag, limits, book)]
        else:
            found = list(limits.rule_ids_for(violation.limit))
        ids.extend(i for i in found if i not in ids)
    return tuple(ids)


def _chain(spec: ExerciseSpec, by_slug: Mapping[str, ExerciseSpec], direction: str) -> list[ExerciseSpec]:
    """The variants of `spec` one way along its progression chain, nearest first."""
    found: list[ExerciseSpec] = []
    seen, current = {spec.slug}, spec
    while (slug := getattr(current, direction)) in by_slug and slug not in seen:
        current = by_slug[slug]
        seen.add(slug)
        found.append(current)
    return found


def _replacement(
    spec: ExerciseSpec,
    allowed: Sequence[ExerciseSpec],
    by_slug: Mapping[str, ExerciseSpec],
    unavailable: set[str],
) -> tuple[ExerciseSpec | None, str]:
    """An allowed exercise for `spec` and how it was found, or (None, "")."""
    allowed_slugs = {candidate.slug for candidate in allowed}
    for direction, words in (
        ("easier", gettext_noop("the easier variant")),
        ("harder", gettext_noop("a variant of the same chain")),
    ):
        for candidate in _chain(spec, by_slug, direction):
            if candidate.slug in allowed_slugs and candidate.slug not in unavailable and is_main_block(candidate):
                return candidate, words
    pool = [
        candidate
        for candidate in allowed
        if candidate.component == spec.component and is_main_block(candidate) and candidate.slug not in unavailable
    ]
    wanted = _covers(spec)
    best = max((len(_covers(candidate) & wanted) for candidate in pool), default=0)
    if best == 0:
        return None, ""
    closest = [candidate for candidate in pool if len(_covers(candidate) & wanted) == best]
    # The planner's own choice among them: the easiest variant of a chain, less equipment, gentler impact.
    chosen = select_for_targets(closest, dict(by_slug), (), 1, 1)
    if not chosen:
        return None, ""
    return chosen[0].spec, gettext_noop("an allowed exercise working the same muscle groups")


# A value above the tier's ceiling (a count of sessions, minutes ... or an intensity's unit).
ABOVE_CEILING = gettext_noop("above this patient's ceiling of %(ceiling)s %(what)s")


def _refit_change(
    kind: str, slug: str, before: str, after: str, reason: Said, rules: tuple[str, ...], replacement: str = ""
) -> RefitChange:
    """A swap or a drop, its reason kept in English and as its template."""
    return RefitChange(kind, slug, "", before, after, reason.english(), rules, replacement, said=reason)


def _dose_change(
    slug: str, field: str, before: object, after: object, reason: Said, rules: Iterable[str]
) -> RefitChange:
    return RefitChange("dose", slug, field, _words(before), _words(after), reason.english(), tuple(rules), said=reason)


def _tier_bounded(
    template: TemplateItem, base: Dose, steps: Mapping[str, ProgressionStep], slug: str, changes: list[RefitChange]
) -> dict[str, float]:
    """The template's time values for this patient, each bounded by the tier's progression ceiling."""
    values: dict[str, float] = {}
    for name in TIME_FIELDS:
        wanted = getattr(template, name)
        if wanted is None or getattr(base, name) is None:
            continue
        step = steps.get(name)
        if step is not None and wanted > step.ceiling:
            ceiling = float(step.ceiling) if name == "minutes" else int(step.ceiling)
            changes.append(
                _dose_change(
                    slug,
                    name,
                    wanted,
                    ceiling,
                    said(ABOVE_CEILING, ceiling=_words(ceiling), what=Word(FIELD_WORDS[name])),
                    (r.id for r in step.rules),
                )
            )
            wanted = ceiling
        values[name] = wanted
    return values


def _intensity_values(
    template: TemplateItem,
    base: Dose,
    steps: Mapping[str, ProgressionStep],
    limits: LoadLimits,
    slug: str,
    changes: list[RefitChange],
) -> dict[str, int]:
    """The governing intensity for this patient: the template's share of this patient's limit, or its
    absolute value, bounded by the tier's intensity ceiling; {} to keep the tier's start."""
    if template.intensity is None:
        return {}
    unit, low, high = template.intensity
    governing = base.intensity[0]
    if governing.unit != unit:
        changes.append(
            _dose_change(
                slug,
                "intensity",
                _intensity_words(template.intensity),
                _intensity_words(governing),
                said(
                    gettext_noop("this patient's intensity is set in %(unit)s: the tier's starting intensity is used"),
                    unit=UNIT_WORDS.get(governing.unit, governing.unit),
                ),
                (rule.id for rule in base.rules_for("intensity")),
            )
        )
        return {}
    path = LIMIT_OF_UNIT[(base.component, unit)]
    if template.basis == "relative" and template.intensity_share is not None:
        ceiling = limit_ceiling(limits, path)
        new_low, new_high = (max(1, round(share * ceiling)) for share in template.intensity_share)
        if unit == "rpe_6_20":
            new_low, new_high = max(6, new_low), max(6, new_high)
        if (new_low, new_high) != (low, high):
            changes.append(
                _dose_change(
                    slug,
                    "intensity",
                    _intensity_words(template.intensity),
                    _intensity_words((unit, new_low, new_high)),
                    said(
                        gettext_noop(
                            "the template's share (%(share)s) of this patient's ceiling of %(ceiling)s %(unit)s"
                        ),
                        share=f"{template.intensity_share[1]:.0%}",
                        ceiling=_words(ceiling),
                        unit=UNIT_WORDS[unit],
                    ),
                    limits.rule_ids_for(path),
                )
            )
        low, high = new_low, new_high
    step = steps.get("intensity")
    if step is not None and unit in ("pct_hrr", "pct_1rm") and high > step.ceiling:
        changes.append(
            _dose_change(
                slug,
                "intensity",
                _intensity_words((unit, low, high)),
                _intensity_words((unit, min(low, int(step.ceiling)), int(step.ceiling))),
                said(ABOVE_CEILING, ceiling=str(int(step.ceiling)), what=UNIT_WORDS[unit]),
                (r.id for r in step.rules),
            )
        )
        low, high = min(low, int(step.ceiling)), int(step.ceiling)
    return {"intensity_low": low, "intensity_high": high}


def _with_ladder(template: TemplateItem, dose: Dose, spec: ExerciseSpec, slug: str, changes: list[RefitChange]) -> Dose:
    """The ladder's step from the template (band colour, tempo, hand support), within the ladder."""
    unit = ladder_unit(spec)
    if template.ladder_level is None or unit is None or dose.intensity_in(unit) is None:
        return dose
    ladder = default_growth_rules().ladder(unit)
    level = min(template.ladder_level, len(ladder.levels))
    if level != template.ladder_level:
        changes.append(
            _dose_change(
                slug,
                "ladder",
                template.ladder_level,
                level,
                said(gettext_noop("the ladder's last step")),
                (ladder.rule.id,),
            )
        )
    targets = tuple(Intensity(unit, level, level) if t.unit == unit else t for t in dose.intensity)
    return replace(dose, intensity=targets)


def _limit_changes(before: Dose, after: Dose, limits: LoadLimits, slug: str) -> list[RefitChange]:
    """What clamp_dose changed, each with the limit's rules."""
    found = []
    for violation in check_dose(before, limits):
        field = _LIMIT_FIELD.get(violation.limit, "intensity")
        if field == "intensity":
            old = ", ".join(_intensity_words(t) for t in before.intensity)
            new = ", ".join(_intensity_words(t) for t in after.intensity)
        else:
            old, new = getattr(before, field), getattr(after, field)
        found.append(
            _dose_change(
                slug,
                field,
                old,
                new,
                said(gettext_noop("limit: %(violation)s"), violation=violation.said or violation.message),
                limits.rule_ids_for(violation.limit),
            )
        )
    return found


def _refit_dose(
    template: TemplateItem,
    spec: ExerciseSpec,
    profile: Profile,
    params: DoseParameters,
    limits: LoadLimits,
    book: Rulebook,
) -> tuple[Dose, list[RefitChange]]:
    """The template's dose for this patient's exercise `spec`, within the tier and the limits."""
    base = start_dose(spec, profile, params, limits, book)  # the tier's start: the right units and rules
    changes: list[RefitChange] = []
    if base.dose_kind != template.dose_kind or base.component != template.component:
        changes.append(
            _dose_change(
                spec.slug,
                "dose",
                template.dose_kind.replace("_", " "),
                base.dose_kind.replace("_", " "),
                said(
                    gettext_noop("%(exercise)s is dosed in %(kind)s: this patient's tier start is used"),
                    exercise=ExerciseName(spec.slug, spec.name),
                    kind=base.dose_kind.replace("_", " "),
                ),
                (rule.id for rule in base.rules_for("time")),
            )
        )
        return base, changes
    steps = {step.variable: step for step in progression_rule(spec, base, params, limits).steps}
    values = _tier_bounded(template, base, steps, spec.slug, changes)
    values.update(_intensity_values(template, base, steps, limits, spec.slug, changes))
    try:
        dose = edit_dose(base, values, limits, book.anchors)
    except DoseEditError as error:
        changes.append(
            _dose_change(
                spec.slug,
                "dose",
                "template",
                "tier start",
                said(gettext_noop("the template's dose cannot be used: %(errors)s"), errors=str(error.errors)),
                (),
            )
        )
        return base, changes
    dose = _with_ladder(template, dose, spec, spec.slug, changes)
    clamped = clamp_dose(dose, limits)  # limits last
    changes.extend(_limit_changes(dose, clamped, limits, spec.slug))
    return clamped, changes


def refit_template(
    items: Sequence[TemplateItem],
    profile: Profile,
    limits: LoadLimits,
    catalogue: Iterable[ExerciseSpec],
    rulebook: Rulebook | None = None,
) -> Refit:
    """The template's items refitted to this patient (see the module docstring)."""
    book = rulebook or default_rulebook()
    catalogue = tuple(catalogue)
    by_slug = {spec.slug: spec for spec in catalogue}
    params = DoseParameters(profile, book)
    allowed = allowed_exercises(catalogue, limits, profile)
    allowed_slugs = {spec.slug for spec in allowed}
    # Exercises the template itself names (and the patient may do) are kept for their own item.
    reserved = {item.slug for item in items if item.slug in allowed_slugs}
    taken: set[str] = set()
    filter_rules = unique_rules(*(limits.rules_for(path) for path in FILTER_LIMITS))
    refitted, changes = [], []
    for template in items:
        spec = by_slug.get(template.slug)
        if spec is None:
            changes.append(
                _refit_change(
                    "drop",
                    template.slug,
                    template.slug,
                    "",
                    said(gettext_noop("no longer in the clinic's library")),
                    (),
                )
            )
            continue
        chosen = spec
        exercise_rules: tuple[Rule, ...] = (TEMPLATE_RULE,)
        violations = exercise_violations(spec, limits, profile)
        if violations or spec.slug in taken:
            why = (
                Joined(tuple(v.said or v.message for v in violations), " ")
                if violations
                else said(gettext_noop("already in the plan"))
            )
            rule_ids = _violation_rule_ids(spec, violations, limits, book)
            replacement, how = _replacement(spec, allowed, by_slug, taken | (reserved - {spec.slug}))
            if replacement is None:
                changes.append(
                    _refit_change(
                        "drop",
                        spec.slug,
                        spec.name,
                        "",
                        said(gettext_noop("%(why)s No allowed variant."), why=why),
                        rule_ids,
                    )
                )
                continue
            chosen = replacement
            changes.append(
                _refit_change(
                    "swap",
                    spec.slug,
                    spec.name,
                    chosen.name,
                    said(gettext_noop("%(why)s Swapped for %(how)s."), why=why, how=Word(how)),
                    rule_ids,
                    chosen.slug,
                )
            )
            exercise_rules = (TEMPLATE_RULE, *filter_rules)
        taken.add(chosen.slug)
        dose, dose_changes = _refit_dose(template, chosen, profile, params, limits, book)
        changes.extend(dose_changes)
        progression = progression_rule(chosen, dose, params, limits)
        step_rules = unique_rules(
            *(step.rules for step in progression.steps), limits.rules_for("weekly_progression_max_pct")
        )
        refitted.append(
            PrescriptionItem(
                exercise=chosen,
                component=chosen.component,
                dose=dose,
                progression=progression,
                rationale=(
                    ValueRationale("exercise", unique_rules(exercise_rules)),
                    ValueRationale("progression", step_rules),
                ),
            )
        )
    # The plan lists its items in component order, as a generated plan does.
    refitted.sort(key=lambda item: COMPONENTS.index(item.component))
    return Refit(items=tuple(refitted), changes=tuple(changes))


def settings_limits(
    limits: LoadLimits, settings: TemplateSettings, author: str = ""
) -> tuple[LoadLimits, tuple[RefitChange, ...]]:
    """The patient's limits with the template's growth cap when it is stricter (never looser)."""
    wanted = settings.weekly_progression_max_pct
    if wanted is None or wanted == limits.weekly_progression_max_pct:
        return limits, ()
    field = "weekly_progression_max_pct"
    if wanted > limits.weekly_progression_max_pct:
        change = RefitChange(
            "settings",
            "",
            field,
            f"{number(wanted)} %",
            f"{number(limits.weekly_progression_max_pct)} %",
            gettext_noop("a template never loosens this patient's growth cap"),
            limits.rule_ids_for(field),
            said=said(gettext_noop("a template never loosens this patient's growth cap")),
        )
        return limits, (change,)
    adjustment = LimitAdjustment(field, wanted, reason="the clinic template's growth cap", author=author)
    return apply_adjustments(limits, [adjustment]), ()


def plan_from_template(
    items: Sequence[TemplateItem],
    settings: TemplateSettings,
    profile: Profile,
    limits: LoadLimits,
    catalogue: Iterable[ExerciseSpec],
    *,
    weeks: int | None = None,
    rulebook: Rulebook | None = None,
    author: str = "",
) -> tuple[Plan, tuple[RefitChange, ...]]:
    """A whole plan from a template for this patient: refitted items, the schedule (limits last), targets."""
    book = rulebook or default_rulebook()
    limits, setting_changes = settings_limits(limits, settings, author)
    refit = refit_template(items, profile, limits, catalogue, book)
    length = weeks or settings.weeks
    scheduled = schedule(refit.items, limits, length, book)
    present = {item.component for item in refit.items}
    lost = tuple(c for c in COMPONENTS if c not in present and any(t.component == c for t in items))
    plan = Plan(
        profile=profile,
        limits=limits,
        items=refit.items,
        weeks=scheduled,
        components_without_exercise=lost,
        safety_notice=SAFETY_NOTICE,
        targets=plan_targets(profile, refit.items, scheduled, limits),
    )
    return plan, setting_changes + refit.changes
