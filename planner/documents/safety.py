"""The plan's limits in plain words: what to avoid and why (from the rules behind each limit), the
patient's "Your safety limits" page with its Borg scale, and the limits in a clinician's words.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import cast

from planner.documents.wording import BORG_WORDS, borg_words, join_words, region_words
from planner.limits import heart_rate_ceiling_only
from planner.rules import Rulebook, default_rulebook
from planner.translation import gettext, gettext_noop, number
from planner.types import LoadLimits, Plan

# What each excluded movement tag means to a patient ("running" and "jumping" go with the impact line).
TAG_WORDS = {
    "loaded_spinal_flexion": gettext_noop(
        "No bending forward with weights: no sit-ups, no lifting with a rounded back."
    ),
    "loaded_spinal_twist": gettext_noop("No twisting your back while holding a weight, and no fast twisting."),
    "ballistic": gettext_noop("No fast, jerky or swinging movements."),
    "heavy_eccentric": gettext_noop("No heavy lowering (letting a heavy weight down slowly)."),
    "end_range_stretch": gettext_noop("No forced stretching to the end of your movement."),
    "direct_pressure": gettext_noop(
        "No exercises that press your body weight on one spot, such as sitting on a bike seat."
    ),
    "prone_loading": gettext_noop("No exercises lying face down."),
    "floor_transfer": gettext_noop("No exercises that need you to get down to the floor and up again."),
    "overhead_load": gettext_noop("No lifting weights above your head."),
    "rapid": gettext_noop("No fast movements: move slowly and under control."),
    "swinging": gettext_noop("No swinging of weights or legs (such as kettlebell swings or leg swings)."),
    "spinal_flexion": gettext_noop("No bending your back forward, such as curling up or touching your toes."),
    "end_range_spinal_flexion": gettext_noop(
        "No bending your back forward as far as it goes, such as touching your toes."
    ),
    "spinal_twist": gettext_noop("No twisting your back."),
    "end_range_spinal_twist": gettext_noop("No twisting your back as far as it goes."),
    "spinal_extension": gettext_noop("No arching your back."),
    "end_range_spinal_extension": gettext_noop("No arching your back as far as it goes."),
    "floor_lift": gettext_noop("No lifting anything to or from the floor: put weights on a table or chair."),
    "floor_to_stand": gettext_noop("No getting down to the floor and back up as an exercise."),
    "heavy_isometric": gettext_noop("No straining or holding your breath while you push or pull hard."),
    "massage_or_heat": gettext_noop("No heat packs, hot baths or firm massage on the hard, sore areas."),
    "hand_support": gettext_noop("No exercises that need you to hold on with your hands."),
}
IMPACT_WORDS = {
    "none": gettext_noop(
        "No jumping, running or brisk walking: only exercise without impact, such as seated or water work."
    ),
    "low": gettext_noop("No jumping or running: brisk walking is the most impact allowed."),
    "moderate": gettext_noop("No high-impact jumping, such as jumping jacks or skipping."),
}
# Why a limit applies, from the id of a rule behind it (first match wins; baseline rules give no reason):
# ("protect", what it protects) or ("say", a sentence).
WHY_BY_RULE_ID = (
    ("clinician.", "say", gettext_noop("Your physiotherapist set this limit.")),
    ("regions.", "say", gettext_noop("Your physiotherapist asked for this.")),
    ("ossification", "protect", gettext_noop("the hard, calcified areas")),
    ("inflammation", "protect", gettext_noop("your inflamed muscles")),
    ("fracture", "protect", gettext_noop("your fragile bones")),
    ("bone", "protect", gettext_noop("your fragile bones")),
    ("spine", "protect", gettext_noop("your fragile bones")),
    ("cardiopulmonary", "protect", gettext_noop("your heart and lungs")),
    ("pain.", "say", gettext_noop("You have pain at rest.")),
)
# Patient words for the guidance rules that set how hard "dosed by feel" exercises are.


@dataclass(frozen=True)
class AvoidLine:
    """Something to avoid, and why, in plain words."""

    what: str
    why: str


@dataclass(frozen=True)
class BorgRow:
    """One step of the Borg 6-20 scale. words: the anchor's words at its first number, else "".
    allowed: for each of SafetySection.borg_columns, whether this effort is within that ceiling."""

    value: int
    words: str
    allowed: tuple[bool, ...]


@dataclass(frozen=True)
class SafetySection:
    """effort: one ceiling per kind of exercise ("... somewhat hard, 13"). heart_rate: the zone in beats
    per minute, or why to go by effort instead. avoid: what to avoid and why. other: holds, repetitions,
    growth, supervision. borg_scale: the whole scale, to print beside the ceilings, with one "allowed"
    column per kind of exercise (borg_columns)."""

    effort: tuple[str, ...]
    heart_rate: str
    avoid: tuple[AvoidLine, ...]
    other: tuple[str, ...]
    borg_columns: tuple[str, ...]
    borg_scale: tuple[BorgRow, ...]


@dataclass(frozen=True)
class LimitRow:
    """One limit: its name, its value in words and the ids of the rules that set it."""

    name: str
    value: str
    rule_ids: tuple[str, ...]


def _why(rule_ids: Iterable[str]) -> str:
    """ "To protect your fragile bones and the hard, calcified areas." from the ids of the rules behind a limit."""
    protected: list[str] = []
    sayings: list[str] = []
    for rule_id in rule_ids:
        found = next(((kind, words) for key, kind, words in WHY_BY_RULE_ID if key in rule_id), None)
        if found is None:
            continue
        kind, words = found
        target = protected if kind == "protect" else sayings
        if gettext(words) not in target:
            target.append(gettext(words))
    parts = ([gettext("To protect %(what)s.") % {"what": join_words(protected)}] if protected else []) + sayings
    return " ".join(parts) or gettext("One of your care team's safety rules.")


def _tag_rules(limits: LoadLimits, book: Rulebook) -> dict[str, tuple[str, ...]]:
    """For each excluded tag, the ids of the rules (among those that set excluded_tags) that excluded it.

    A tag no rulebook rule explains was added by a clinician's adjustment.
    """
    behind = limits.rule_ids_for("excluded_tags")
    # An excluded_tags effect is a tuple of tags (planner.rules._limit_effect).
    effects = {rule.rule.id: rule.effects for rule in book.limit_rules}
    result = {}
    for tag in limits.excluded_tags:
        ids = tuple(
            rule_id
            for rule_id in behind
            if any(
                key == "excluded_tags" and tag in cast(tuple[str, ...], value)
                for key, value in effects.get(rule_id, ())
            )
        )
        result[tag] = ids or tuple(rule_id for rule_id in behind if rule_id.startswith("clinician."))
    return result


def avoid_lines(plan: Plan, rulebook: Rulebook | None = None) -> tuple[AvoidLine, ...]:
    """What the limits tell the patient to avoid, and why: impact, excluded movements, protected regions."""
    limits, profile = plan.limits, plan.profile
    tag_rules = _tag_rules(limits, rulebook or default_rulebook())
    lines = []
    impact_tags = [tag for tag in ("running", "jumping") if tag in limits.excluded_tags]
    if limits.max_impact in IMPACT_WORDS or impact_tags:
        what = gettext(IMPACT_WORDS.get(limits.max_impact, gettext_noop("No jumping or running.")))
        ids = [*limits.rule_ids_for("max_impact"), *(i for tag in impact_tags for i in tag_rules[tag])]
        lines.append(AvoidLine(what, _why(ids)))
    for tag in limits.excluded_tags:
        if tag in TAG_WORDS:
            lines.append(AvoidLine(gettext(TAG_WORDS[tag]), _why(tag_rules[tag])))
    calcified = [r for r in limits.avoid_regions if r in profile.heterotopic_ossification_regions]
    other = [r for r in limits.avoid_regions if r not in calcified]
    region_rules = limits.rule_ids_for("avoid_regions")
    if calcified:
        lines.append(
            AvoidLine(
                gettext(
                    "No pressure and no forced stretching on the hard, sore areas of %(regions)s: "
                    "do not lie on them or sit for long on a hard seat (use a cushion)."
                )
                % {"regions": region_words(calcified)},
                _why([i for i in region_rules if "ossification" in i] or region_rules),
            )
        )
    if other:
        lines.append(
            AvoidLine(
                gettext("No pressure and no forced stretching on %(regions)s.") % {"regions": region_words(other)},
                _why([i for i in region_rules if "ossification" not in i] or region_rules),
            )
        )
    if limits.no_loading_regions:
        lines.append(
            AvoidLine(
                gettext("Do not exercise or put weight through %(regions)s.")
                % {"regions": region_words(limits.no_loading_regions)},
                _why(limits.rule_ids_for("no_loading_regions")),
            )
        )
    return tuple(lines)


def safety_section(plan: Plan, rulebook: Rulebook | None = None) -> SafetySection:
    """The "Your safety limits" page, from the plan's limits."""
    limits = plan.limits
    aerobic, resistance = limits.aerobic, limits.resistance
    components = {item.component for item in plan.items}
    effort = [
        gettext(
            "Walking and other aerobic exercise, stretching and balance work: no harder than "
            "%(words)s, %(rpe)s on the 6-20 effort scale."
        )
        % {"words": borg_words(aerobic.max_rpe), "rpe": aerobic.max_rpe}
    ]
    columns, ceilings = [gettext("Walking, stretching, balance")], [aerobic.max_rpe]
    if "resistance" in components or not components:
        effort.append(
            gettext("Strength exercises: no harder than %(words)s, %(rpe)s on the 6-20 effort scale.")
            % {"words": borg_words(resistance.max_rpe), "rpe": resistance.max_rpe}
        )
        columns.append(gettext("Strength"))
        ceilings.append(resistance.max_rpe)
    if aerobic.hr_zone_bpm is not None and heart_rate_ceiling_only(limits, rulebook.anchors if rulebook else None):
        heart = gettext(
            "During walking and other aerobic exercise keep your heart rate below %(bpm)s "
            "beats per minute. That number comes from your age, not from a test, so it can be out by about "
            "10 beats: go by how it feels (the effort scale, or being able to talk in full sentences)."
        ) % {"bpm": aerobic.hr_zone_bpm[1]}
    elif aerobic.hr_zone_bpm is not None:
        low, high = aerobic.hr_zone_bpm
        heart = gettext(
            "During walking and other aerobic exercise keep your heart rate between %(low)s and %(high)s "
            "beats per minute, and never above %(high)s."
        ) % {"low": low, "high": high}
    elif plan.profile.beta_blocker:
        heart = gettext(
            "Your heart medicine (a beta blocker) slows your heart rate, so heart rate is not a good guide "
            "for you: go by effort only."
        )
    else:
        heart = gettext("Go by effort, not by heart rate: your heart rate is not a reliable guide for you.")
    other = (
        [
            gettext(
                "Choose a band or weight you can lift at least %(reps)s times in a row. If you cannot, it is too heavy."
            )
            % {"reps": resistance.min_reps}
        ]
        if "resistance" in components
        else []
    )
    if "flexibility" in components:
        other.append(
            gettext("Hold each stretch for %(seconds)s seconds at most, never into pain.")
            % {"seconds": limits.flexibility.max_hold_seconds}
        )
    other.append(
        gettext(
            "Your plan grows slowly, one small step at a time (a minute, a repetition, a set or a day), "
            "on average by no more than %(percent)s%% a week. Do not add more on your own."
        )
        % {"percent": number(limits.weekly_progression_max_pct)}
    )
    if limits.supervision_required:
        other.append(
            gettext("Start the exercises with your physiotherapist watching, until they say you can go on alone.")
        )
    scale = tuple(
        BorgRow(value, _borg_scale_words(value), tuple(value <= ceiling for ceiling in ceilings))
        for value in range(6, 21)
    )
    return SafetySection(tuple(effort), heart, avoid_lines(plan, rulebook), tuple(other), tuple(columns), scale)


def _borg_scale_words(value: int) -> str:
    # The scale prints each anchor's words once, at its first number (as Borg's chart does).
    return next((gettext(words) for low, _, words in BORG_WORDS if low == value), "")


def limit_rows(limits: LoadLimits) -> tuple[LimitRow, ...]:
    """The limits in the clinician's words (in the active language; the codes of movements and regions
    as they are), each with the rules that set it."""
    aerobic, resistance = limits.aerobic, limits.resistance
    if aerobic.hr_zone_bpm:
        zone = gettext("%(low)s-%(high)s bpm (%(floor)s-%(ceiling)s %%HRR, HRrest %(rest)s, HRmax %(max)s)") % {
            "low": aerobic.hr_zone_bpm[0],
            "high": aerobic.hr_zone_bpm[1],
            "floor": aerobic.zone_floor_hrr_pct,
            "ceiling": aerobic.max_hrr_pct,
            "rest": aerobic.resting_hr_bpm,
            "max": f"{aerobic.hr_max_bpm:g}",
        }
        if heart_rate_ceiling_only(limits):
            zone += gettext(
                "; HRmax estimated (Tanaka, error 7-11 bpm): the patient sees only the ceiling, effort governs"
            )
    else:
        zone = gettext("None: effort (RPE) governs")

    def words(values: Iterable[str]) -> str:
        return ", ".join(v.replace("_", " ") for v in values) or gettext("none")

    rows = (
        (gettext("Impact ceiling"), limits.max_impact, "max_impact"),
        (
            gettext("Aerobic effort ceiling"),
            f"RPE {aerobic.max_rpe} ({borg_words(aerobic.max_rpe)})",
            "aerobic.max_rpe",
        ),
        (gettext("Aerobic intensity ceiling"), f"{aerobic.max_hrr_pct} %HRR", "aerobic.max_hrr_pct"),
        (gettext("Heart-rate zone"), zone, "aerobic.hr_zone_bpm"),
        (gettext("Resistance load ceiling"), f"{resistance.max_pct_1rm} %1RM", "resistance.max_pct_1rm"),
        (
            gettext("Resistance effort ceiling"),
            f"RPE {resistance.max_rpe} ({borg_words(resistance.max_rpe)})",
            "resistance.max_rpe",
        ),
        (gettext("Fewest repetitions a set"), str(resistance.min_reps), "resistance.min_reps"),
        (
            gettext("Longest stretch hold"),
            f"{limits.flexibility.max_hold_seconds} s",
            "flexibility.max_hold_seconds",
        ),
        (gettext("Excluded movements"), words(limits.excluded_tags), "excluded_tags"),
        (gettext("No pressure or end-range stretch"), words(limits.avoid_regions), "avoid_regions"),
        (gettext("No loading at all"), words(limits.no_loading_regions), "no_loading_regions"),
        (
            gettext("Weekly growth cap"),
            f"{number(limits.weekly_progression_max_pct)} %",
            "weekly_progression_max_pct",
        ),
        (
            gettext("Supervised start"),
            gettext("yes") if limits.supervision_required else gettext("no"),
            "supervision_required",
        ),
    )
    return tuple(LimitRow(name, value, limits.rule_ids_for(path)) for name, value, path in rows)
