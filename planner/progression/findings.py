"""Reading the week: what the check-ins and tests say, each finding a reason sorted by what it does to
the decision (red, amber, missing data, hold, review, fine), judged by the cut-points of
planner.progression_rules."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from fractions import Fraction

from planner.progression.outcome import DecisionReason, checkin_ids, counted, reason
from planner.progression.said import Fixed, Joined, Said, Word, said
from planner.progression.signals import CheckInSignal, StrengthSignal, WeekContext, ck_rise
from planner.progression_rules import ProgressionConfig, default_progression_config
from planner.translation import gettext_noop
from planner.types import LoadLimits
from planner.vitals import heart_rate_findings
from planner.vocabulary import MEASURES_BY_CODE, RED_FLAGS_BY_CODE, STRENGTH_TEST_CODES

# Regions whose load means a joint is working (a "joints" pain concerns the items that load them).
JOINT_REGION_PREFIXES = ("neck", "shoulder", "elbow", "wrist_hand", "hip", "knee", "ankle_foot", "lower_back")
# Floating-point slack for comparing mean pain rises with their cut-points.
EPSILON = 1e-9
# The measures' units that are words (planner.vocabulary.MEASURES), said in the reader's language in a
# strength drop's sentence; symbols (kg, s, m, U/L) read the same in every shipped language.
UNIT_WORDS = (gettext_noop("points"), gettext_noop("stands"), gettext_noop("reps"))


@dataclass
class Findings:
    """The week's findings, sorted by what they do to the decision."""

    config: ProgressionConfig
    red: list[DecisionReason] = field(default_factory=list)
    amber: list[DecisionReason] = field(default_factory=list)
    missing: list[DecisionReason] = field(default_factory=list)
    hold: list[DecisionReason] = field(default_factory=list)
    review: list[DecisionReason] = field(default_factory=list)
    ok: list[DecisionReason] = field(default_factory=list)
    mean_pain: float | None = None
    # Pain during/after and next-morning pain were both reported at least once (green needs both).
    pain_complete: bool = False

    def add(self, bucket: str, rule_key: str, sentence: Said, checkins: Iterable[CheckInSignal] = ()) -> None:
        getattr(self, bucket).append(reason(self.config.rule(rule_key), sentence, checkin_ids(checkins)))

    @property
    def light(self) -> str | None:
        if self.red:
            return "red"
        if self.amber:
            return "amber"
        return "green" if self.pain_complete else None


def read_pain(checkins: Sequence[CheckInSignal], context: WeekContext, found: Findings) -> None:
    config = found.config
    green, amber, baseline = config.pain_green_max, config.pain_amber_max, context.baseline_pain
    scores = [(c, pain) for c in checkins if (pain := c.worst_exercise_pain) is not None]
    scored = [c for c, _ in scores]
    # Judged against the patient's usual pain (pain at rest): no rise over it is green however high it
    # is; red needs both the absolute cut-point and a meaningful rise (rule pain_rise_red).
    too_high = [c for c, pain in scores if _exercise_pain_light(pain, baseline, config) == "red"]
    raised = [c for c, pain in scores if _exercise_pain_light(pain, baseline, config) == "amber"]
    usual = said(gettext_noop(" (usual pain %(pain)s/10)"), pain=baseline) if baseline > green else ""
    if too_high:
        worst = max(too_high, key=lambda c: (c.worst_exercise_pain, c.date))
        found.add(
            "red",
            "pain_amber_max",
            said(
                gettext_noop(
                    "Pain above %(amber)s/10 and %(rise)s or more points over the usual %(usual)s/10 during or "
                    "after exercise in %(checkins)s (worst %(worst)s/10 on %(date)s)."
                ),
                amber=amber,
                rise=config.pain_rise_red,
                usual=baseline,
                checkins=counted("check-in", len(too_high)),
                worst=worst.worst_exercise_pain,
                date=str(worst.date),
            ),
            too_high,
        )
        found.add("red", "pain_rise_red", said(gettext_noop("Judged against the patient's usual pain.")), too_high)
    if raised:
        found.add(
            "amber",
            "pain_green_max",
            said(
                gettext_noop("Pain above %(pain)s/10 during or after exercise in %(checkins)s%(usual)s."),
                pain=max(green, baseline),
                checkins=counted("check-in", len(raised)),
                usual=usual,
            ),
            raised,
        )
    if scored and not too_high and not raised:
        found.add(
            "ok",
            "pain_green_max",
            said(
                gettext_noop("Pain at or below %(pain)s/10 during and after exercise in %(checkins)s%(usual)s."),
                pain=max(green, baseline),
                checkins=counted("check-in", len(scored)),
                usual=usual,
            ),
            scored,
        )
    if not scored:
        found.add(
            "missing",
            "missing_data",
            said(gettext_noop("No pain during or after exercise was reported this week.")),
            checkins,
        )

    morning_scores = [(c, pain) for c in checkins if (pain := c.pain_next_morning) is not None]
    mornings = [c for c, _ in morning_scores]
    not_settled = [c for c, pain in morning_scores if morning_pain_light(pain, baseline, config) == "red"]
    residual = [c for c, pain in morning_scores if morning_pain_light(pain, baseline, config) == "amber"]
    if not_settled:
        worst = max(not_settled, key=lambda c: (c.pain_next_morning, c.date))
        found.add(
            "red",
            "morning_red_rise",
            said(
                gettext_noop(
                    "Next-morning pain had not settled to the baseline of %(baseline)s/10 after %(sessions)s "
                    "(worst %(worst)s/10 after %(date)s)."
                ),
                baseline=baseline,
                sessions=counted("session", len(not_settled)),
                worst=worst.pain_next_morning,
                date=str(worst.date),
            ),
            not_settled,
        )
    if residual:
        found.add(
            "amber",
            "morning_amber_rise",
            said(
                gettext_noop("Residual next-morning pain above the baseline of %(baseline)s/10 after %(sessions)s."),
                baseline=baseline,
                sessions=counted("session", len(residual)),
            ),
            residual,
        )
    if mornings and not not_settled and not residual:
        found.add(
            "ok",
            "morning_settled",
            said(
                gettext_noop("Next-morning pain settled to the baseline of %(baseline)s/10 after %(sessions)s."),
                baseline=baseline,
                sessions=counted("session", len(mornings)),
            ),
            mornings,
        )
    if not mornings:
        found.add(
            "missing",
            "missing_data",
            said(gettext_noop("No next-morning pain was reported this week, so it cannot be green.")),
            checkins,
        )
    found.pain_complete = bool(scored) and bool(mornings)

    every_score = [p for c in checkins for p in c.pain_scores()]
    if every_score:
        found.mean_pain = sum(every_score) / len(every_score)
    previous = context.previous_mean_pain
    if found.mean_pain is None or previous is None:
        return
    rise = found.mean_pain - previous
    means = {"mean": Fixed(found.mean_pain, 1), "previous": Fixed(previous, 1)}
    rose = said(
        gettext_noop("Mean pain %(mean)s/10 against %(previous)s/10 the previous week: a rise of %(rise)s."),
        **means,
        rise=Fixed(rise, 1),
    )
    with_pain = [c for c in checkins if c.pain_scores()]
    if rise >= config.weekly_rise_red - EPSILON:
        found.add("red", "weekly_rise_red", rose, with_pain)
    elif rise >= config.weekly_rise_amber - EPSILON:
        found.add("amber", "weekly_rise_amber", rose, with_pain)
    else:
        steady = gettext_noop("Mean pain %(mean)s/10 against %(previous)s/10 the previous week: no meaningful rise.")
        found.add("ok", "weekly_rise_amber", said(steady, **means), with_pain)


def _exercise_pain_light(worst: int, usual: int, config: ProgressionConfig) -> str:
    """Green at or below the green cut-point or the usual pain; red above the amber cut-point with a
    meaningful rise over the usual pain; amber in between."""
    if worst <= max(config.pain_green_max, usual):
        return "green"
    if worst > config.pain_amber_max and worst - usual >= config.pain_rise_red:
        return "red"
    return "amber"


def pain_light(worst: int, usual: int, config: ProgressionConfig | None = None) -> str:
    """The traffic light of one pain score during or after exercise, as the weekly decision judges it
    (for exports and pages that show a single check-in's light)."""
    return _exercise_pain_light(worst, usual, config or default_progression_config())


def morning_pain_light(morning: int, baseline: int, config: ProgressionConfig | None = None) -> str:
    """The traffic light of one next-morning pain score against the pain at rest (as read_pain judges it)."""
    config = config or default_progression_config()
    if morning - baseline >= config.morning_red_rise:
        return "red"
    return "amber" if morning - baseline >= config.morning_amber_rise else "green"


def read_adherence(checkins: Sequence[CheckInSignal], context: WeekContext, found: Findings) -> int:
    done = [c for c in checkins if c.session_done]
    planned = context.sessions_planned
    if planned == 0:
        found.add(
            "hold",
            "adherence_min",
            said(gettext_noop("No sessions were planned this week, so there is nothing to judge.")),
        )
    elif Fraction(min(len(done), planned), planned) >= found.config.adherence_min:
        done_said = said(
            gettext_noop("%(done)s of %(planned)s planned sessions done."), done=len(done), planned=planned
        )
        found.add("ok", "adherence_min", done_said, done)
    else:
        found.add(
            "hold",
            "adherence_min",
            said(
                gettext_noop("Only %(done)s of %(planned)s planned sessions done (at least %(share)s needed)."),
                done=len(done),
                planned=planned,
                share=str(found.config.adherence_min),
            ),
            done,
        )
    return len(done)


def _rpe_target(context: WeekContext, limits: LoadLimits) -> int:
    """The highest RPE target among the items' doses; the limits' RPE ceiling when none sets one."""
    targets = [target.high for item in context.items if (target := item.dose.intensity_in("rpe_6_20")) is not None]
    return max(targets) if targets else max(limits.aerobic.max_rpe, limits.resistance.max_rpe)


def read_rpe(checkins: Sequence[CheckInSignal], context: WeekContext, limits: LoadLimits, found: Findings) -> None:
    rated = [(c, rpe) for c in checkins if (rpe := c.session_rpe) is not None]
    if not rated:
        found.add(
            "missing", "missing_data", said(gettext_noop("No session effort (RPE) was rated this week.")), checkins
        )
        return
    target = _rpe_target(context, limits)
    highest = target + found.config.rpe_tolerance
    too_hard = [(c, rpe) for c, rpe in rated if rpe > highest]
    if too_hard:
        found.add(
            "hold",
            "rpe_tolerance",
            said(
                gettext_noop(
                    "Effort above target (RPE %(target)s, up to %(highest)s accepted) in %(sessions)s "
                    "(up to RPE %(worst)s)."
                ),
                target=target,
                highest=highest,
                sessions=counted("session", len(too_hard)),
                worst=max(rpe for _, rpe in too_hard),
            ),
            (c for c, _ in too_hard),
        )
    else:
        found.add(
            "ok",
            "rpe_tolerance",
            said(gettext_noop("Effort on target (RPE up to %(highest)s) in every rated session."), highest=highest),
            (c for c, _ in rated),
        )


def read_strength(signals: Sequence[StrengthSignal], found: Findings) -> None:
    """Compare each measure's latest result with the previous one and with the first one given."""
    compared, drops = [], []
    for kind in sorted({s.kind for s in signals}):
        threshold = found.config.threshold_for(kind)
        series = sorted((s for s in signals if s.kind == kind), key=lambda s: s.date)
        if threshold is None or len(series) < 2:
            continue
        _, label, unit, _, _, higher_is_better = MEASURES_BY_CODE[kind]
        latest = series[-1]
        compared.append(label)
        for earlier in (series[-2], series[0]):
            worse = earlier.value - latest.value if higher_is_better else latest.value - earlier.value
            by_units = threshold.min_drop is not None and worse >= threshold.min_drop - EPSILON
            by_share = (
                threshold.min_drop_pct is not None
                and earlier.value > 0
                and worse * 100 / earlier.value >= threshold.min_drop_pct - EPSILON
            )
            if by_units or by_share:
                lower = (
                    gettext_noop(
                        "%(measure)s: %(before)s %(unit)s on %(earlier)s, %(after)s %(unit)s on %(latest)s "
                        "(lower by %(by)s %(unit)s)."
                    )
                    if higher_is_better
                    else gettext_noop(
                        "%(measure)s: %(before)s %(unit)s on %(earlier)s, %(after)s %(unit)s on %(latest)s "
                        "(slower by %(by)s %(unit)s)."
                    )
                )
                drops.append(
                    reason(
                        threshold.rule,
                        said(
                            lower,
                            measure=Word(label),
                            before=earlier.value,
                            after=latest.value,
                            by=worse,
                            unit=Word(unit),
                            earlier=str(earlier.date),
                            latest=str(latest.date),
                        ),
                    )
                )
                break
    if drops:
        found.review.extend(drops)
        dropped = said(gettext_noop("Strength or function dropped beyond measurement error: clinician review."))
        found.add("hold", "strength_stable", dropped)
    elif compared:
        stable = gettext_noop("No drop beyond measurement error in: %(measures)s.")
        found.add("ok", "strength_stable", said(stable, measures=Joined(tuple(Word(m) for m in compared), ", ")))


def read_heart_rate(
    checkins: Sequence[CheckInSignal], context: WeekContext, limits: LoadLimits, found: Findings
) -> DecisionReason | None:
    """A logged heart rate above the zone's ceiling (planner.vitals, the rule the patient was told at
    check-in) holds the aerobic items this week; None when no session went over or effort governs."""
    zone = limits.aerobic.hr_zone_bpm
    if zone is None:
        return None  # effort governs (no heart-rate zone): heart_rate_findings finds nothing either
    over = [c for c in checkins if heart_rate_findings(c.heart_rate_avg, c.heart_rate_max, limits, found.config)]
    if not over:
        return None
    highest = max(max(v for v in (c.heart_rate_avg, c.heart_rate_max) if v is not None) for c in over)
    return reason(
        found.config.rule("hr_above_zone"),
        said(
            gettext_noop(
                "Heart rate above the zone's ceiling of %(ceiling)s bpm in %(sessions)s (up to %(highest)s bpm): "
                "the aerobic items are held this week."
            ),
            ceiling=zone[1],
            sessions=counted("session", len(over)),
            highest=highest,
        ),
        checkin_ids(over),
    )


def read_disease_activity(
    signals: Sequence[StrengthSignal], context: WeekContext, found: Findings
) -> tuple[DecisionReason | None, tuple[str, ...]]:
    """The reason resistance may not advance (strength test missing or due, CK rising), and the flags."""
    config = found.config
    rise = ck_rise(sorted((s for s in signals if s.kind == "ck_u_l"), key=lambda s: s.date), config.ck_rise_factor)
    if rise is not None:
        last_ck, baseline = rise
        rising = reason(
            config.rule("ck_rising"),
            said(
                gettext_noop(
                    "CK %(latest)s U/L on %(latest_date)s, %(times)s times the baseline of %(baseline)s U/L on "
                    "%(baseline_date)s (hold at %(factor)s times)."
                ),
                latest=last_ck.value,
                latest_date=str(last_ck.date),
                times=last_ck.value / baseline.value,
                baseline=baseline.value,
                baseline_date=str(baseline.date),
                factor=config.ck_rise_factor,
            ),
        )
        found.review.append(rising)
        return rising, ("ck_rising",)
    if not context.strength_gate or context.week_end is None:
        return None, ()
    tests = [s for s in signals if s.kind in STRENGTH_TEST_CODES and s.date <= context.week_end]
    if not tests:
        return (
            reason(
                config.rule("no_strength_baseline"),
                said(
                    gettext_noop(
                        "No MMT-8 or FI-3 has been recorded yet: resistance is held until a baseline strength test."
                    )
                ),
            ),
            ("no_strength_baseline",),
        )
    latest = max(s.date for s in tests)
    age = (context.week_end - latest).days
    if age > config.strength_retest_days:
        return (
            reason(
                config.rule("strength_retest_due"),
                said(
                    gettext_noop(
                        "Strength re-test due: the last MMT-8 or FI-3 was on %(latest)s, %(age)s days before the end "
                        "of the week (re-test every %(every)s days)."
                    ),
                    latest=str(latest),
                    age=age,
                    every=config.strength_retest_days,
                ),
            ),
            ("retest_due",),
        )
    return None, ()


def read_reassessment(context: WeekContext, found: Findings) -> DecisionReason | None:
    """The reason no dose advances when highly active inflammation is overdue for reassessment."""
    config = found.config
    if context.reassess_from is None or context.week_end is None:
        return None
    age = (context.week_end - context.reassess_from).days
    if age <= config.high_inflammation_reassess_days:
        return None
    due = reason(
        config.rule("reassessment_due"),
        said(
            gettext_noop(
                "Reassessment due: highly active inflammation was assessed on %(assessed)s, %(age)s days before the "
                "end of the week (reassess within %(within)s days); no dose advances until a new assessment."
            ),
            assessed=str(context.reassess_from),
            age=age,
            within=config.high_inflammation_reassess_days,
        ),
    )
    found.review.append(due)
    return due


def _items_for_pain(checkin: CheckInSignal, context: WeekContext) -> set[str] | None:
    """The items a check-in's pain concerns, or None when the pain was general (or cannot be placed)."""
    if "elsewhere" in checkin.pain_sites or (not checkin.pain_sites and checkin.pain_slug is None):
        return None
    slugs = {item.slug for item in context.items if item.slug == checkin.pain_slug}
    for item in context.items:
        regions = set(item.regions_loaded)
        if "calcified_area" in checkin.pain_sites and regions & set(context.protected_regions):
            slugs.add(item.slug)
        if "muscles" in checkin.pain_sites and item.dose.component in ("resistance", "aerobic"):
            slugs.add(item.slug)
        if "joints" in checkin.pain_sites and any(r.startswith(JOINT_REGION_PREFIXES) for r in regions):
            slugs.add(item.slug)
    return slugs or None


def localized_pain(week: Sequence[CheckInSignal], found: Findings, context: WeekContext) -> set[str] | None:
    """The items that the red pain concerns, when every red check-in placed it; None for general pain."""
    red_ids = {checkin_id for reason in found.red for checkin_id in reason.checkin_ids}
    red_checkins = [c for c in week if c.checkin_id in red_ids]
    if not red_checkins:
        return None
    concerned: set[str] = set()
    for checkin in red_checkins:
        slugs = _items_for_pain(checkin, context)
        if slugs is None:
            return None
        concerned |= slugs
    return concerned


def read_red_flags(checkins: Sequence[CheckInSignal], config: ProgressionConfig) -> list[DecisionReason]:
    rule = config.rule("red_flag")
    return [
        reason(
            rule,
            said(
                gettext_noop("Red flag on %(date)s: %(flags)s."),
                date=str(c.date),
                flags=Joined(tuple(Word(RED_FLAGS_BY_CODE[code].label) for code in c.red_flags), "; "),
            ),
            (c.checkin_id,),
        )
        for c in checkins
        if c.red_flags
    ]
