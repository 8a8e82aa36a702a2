"""What the care team must look at first: a patient's facts in, flags out, each flag naming its rule.

The dashboard and the caseload (pages and API) sort patients by their most urgent flag. The rules
(planner/data/rules_triage.json) say which fact raises which flag, at which level (0 is the most
urgent) and with which threshold, each with its evidence tag and source; no number lives here.

The facts are plain values, read elsewhere (rehab.caseload): the open alerts, newest first; whether
the plan is paused and why; the mean pain of each plan week with sessions; the week under way; the
last weekly decision's sessions done and planned. `triage` is pure and deterministic: the same facts
give the same flags, sorted by level (ties keep the order the facts were given in).
"""

import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from fractions import Fraction
from functools import lru_cache
from pathlib import Path
from typing import Any

from planner.translation import gettext, gettext_noop, number

TRIAGE_RULES_PATH = Path(__file__).resolve().parent / "data" / "rules_triage.json"

URGENT = "triage.alert.urgent"
OTHER_ALERT = "triage.alert.other"
PAUSED = "triage.paused"
PAIN_RISING = "triage.pain_rising"
LOW_ADHERENCE = "triage.low_adherence"
REQUIRED = (URGENT, OTHER_ALERT, PAUSED, PAIN_RISING, LOW_ADHERENCE)
WITH_THRESHOLD = (PAIN_RISING, LOW_ADHERENCE)
# The rank of a patient without any flag: below every level a rule can give.
QUIET = 99
# The labels of the shipped rules (planner/data/rules_triage.json), for the catalogue: a flag says its
# label in the reader's language; a clinic's own label without a translation stays as written.
SHIPPED_LABELS = (
    gettext_noop("Red flag"),
    gettext_noop("Pain above the red line"),
    gettext_noop("Review requested"),
    gettext_noop("Plan paused"),
    gettext_noop("Pain rising"),
    gettext_noop("Low adherence"),
    gettext_noop("Strength falling"),
    gettext_noop("Override to review"),
    gettext_noop("No sessions logged"),
)


@dataclass(frozen=True)
class TriageRule:
    """One triage rule. alert_kind: the open alert it flags ("" for a rule about another fact);
    label "" means the alert kind's own name; threshold None where the rule compares no number."""

    id: str
    text: str
    level: int
    label: str
    evidence: str
    source: str
    alert_kind: str = ""
    threshold: Fraction | None = None
    threshold_unit: str = ""


@dataclass(frozen=True)
class TriageRules:
    """The rule set, with the alert rules keyed by alert kind."""

    rules: tuple[TriageRule, ...]
    about: str = ""

    def get(self, rule_id: str) -> TriageRule:
        return next(rule for rule in self.rules if rule.id == rule_id)

    def for_alert(self, kind: str) -> TriageRule:
        return next((rule for rule in self.rules if rule.alert_kind == kind), self.get(OTHER_ALERT))


@dataclass(frozen=True)
class OpenAlert:
    """An unacknowledged alert. kind_label: the kind's name, for kinds without a rule of their own."""

    kind: str
    urgent: bool = False
    message: str = ""
    kind_label: str = ""


@dataclass(frozen=True)
class WeekSessions:
    """The last weekly decision's count: sessions done of those planned in that plan week."""

    week: int
    done: int
    planned: int


@dataclass(frozen=True)
class CaseFacts:
    """What triage reads about one patient's running plan.

    alerts: open alerts in the order to explain them, urgent first, then newest (the selector's order):
        the first of a kind explains that kind's flag.
    weekly_mean_pain: (plan week, mean of every pain score logged that week), any order.
    current_week: the plan week under way (None without a running plan: no week counts).
    """

    alerts: tuple[OpenAlert, ...] = ()
    paused: bool = False
    pause_reason: str = ""
    weekly_mean_pain: tuple[tuple[int, float], ...] = ()
    current_week: int | None = None
    last_decision: WeekSessions | None = None


@dataclass(frozen=True)
class Flag:
    """One reason to look at a patient; level orders the dashboard (0 = most urgent)."""

    level: int
    kind: str
    label: str
    detail: str = ""
    rule_id: str = ""


def rank(flags: Iterable[Flag]) -> int:
    """The most urgent level among the flags (QUIET when there are none)."""
    return min((flag.level for flag in flags), default=QUIET)


def triage(facts: CaseFacts, rules: TriageRules | None = None) -> tuple[Flag, ...]:
    """The patient's flags, most urgent first."""
    rules = rules or default_triage_rules()
    flags = _alert_flags(facts.alerts, rules)
    if facts.paused:
        flags.append(_paused_flag(facts.pause_reason, flags, rules.get(PAUSED)))
    flags += _pain_flags(dict(facts.weekly_mean_pain), facts.current_week, rules.get(PAIN_RISING))
    flags += _adherence_flags(facts.last_decision, rules.get(LOW_ADHERENCE))
    return tuple(sorted(flags, key=lambda flag: flag.level))


def _alert_flags(alerts: Iterable[OpenAlert], rules: TriageRules) -> list[Flag]:
    """One flag per alert kind: the first alert of the kind explains it, any urgent one makes it urgent."""
    by_kind: dict[str, list[OpenAlert]] = {}
    for alert in alerts:
        by_kind.setdefault(alert.kind, []).append(alert)
    flags = []
    for kind, same in by_kind.items():
        rule = rules.for_alert(kind)
        label = gettext(rule.label) if rule.label else same[0].kind_label or kind.replace("_", " ").capitalize()
        if any(alert.urgent for alert in same) and rule.level > rules.get(URGENT).level:
            rule = rules.get(URGENT)
        flags.append(Flag(rule.level, kind, label, same[0].message, rule.id))
    return flags


def _paused_flag(reason: str, flags: list[Flag], rule: TriageRule) -> Flag:
    # A red-flag pause repeats the alert's words: say them once.
    said = any(flag.detail and flag.detail in reason for flag in flags)
    return Flag(rule.level, "paused", gettext(rule.label), "" if said else reason, rule.id)


def _pain_flags(weeks: Mapping[int, float], current_week: int | None, rule: TriageRule) -> list[Flag]:
    logged = sorted(week for week in weeks if week <= (current_week or 0))
    if len(logged) < 2 or logged[-2] != logged[-1] - 1:
        return []
    before, latest = weeks[logged[-2]], weeks[logged[-1]]
    if latest - before <= (rule.threshold or 0):
        return []
    detail = gettext("mean %(before)s → %(latest)s (weeks %(first)s → %(last)s)") % {
        "before": number(before, 1),
        "latest": number(latest, 1),
        "first": logged[-2],
        "last": logged[-1],
    }
    return [Flag(rule.level, "pain", gettext(rule.label), detail, rule.id)]


def _adherence_flags(decision: WeekSessions | None, rule: TriageRule) -> list[Flag]:
    if decision is None or not decision.planned or rule.threshold is None:
        return []
    if Fraction(decision.done, decision.planned) >= rule.threshold:
        return []
    detail = gettext("%(done)s of %(planned)s sessions in week %(week)s") % {
        "done": decision.done,
        "planned": decision.planned,
        "week": decision.week,
    }
    return [Flag(rule.level, "adherence", gettext(rule.label), detail, rule.id)]


# ---------------------------------------------------------------------------------------------
# Rule data
# ---------------------------------------------------------------------------------------------


def _threshold(value: Any, name: str) -> Fraction | None:
    if value is None:
        return None
    try:
        return Fraction(str(value))
    except (ValueError, ZeroDivisionError):
        raise ValueError(f"triage rule {name}: threshold {value!r} is not a number or a fraction") from None


def triage_rules_from_dict(data: Mapping[str, Any]) -> TriageRules:
    """The rules from their JSON document; raises ValueError naming what is wrong."""
    rules, kinds = [], set()
    for entry in data["rules"]:
        name = entry.get("id", "?")
        missing = [key for key in ("id", "text", "evidence", "source") if not entry.get(key)]
        if missing or not isinstance(entry.get("level"), int) or entry["level"] < 0:
            raise ValueError(f"triage rule {name}: missing {', '.join(missing) or 'a level (0 or more)'}")
        if entry["evidence"] not in ("G", "C", "R", "D"):
            raise ValueError(f"triage rule {name}: evidence must be G, C, R or D")
        kind = entry.get("alert_kind") or ""
        if kind and kind in kinds:
            raise ValueError(f"triage rule {name}: a second rule for alert kind {kind!r}")
        kinds.add(kind)
        rules.append(
            TriageRule(
                id=entry["id"],
                text=entry["text"],
                level=entry["level"],
                label=entry.get("label") or "",
                evidence=entry["evidence"],
                source=entry["source"],
                alert_kind=kind,
                threshold=_threshold(entry.get("threshold"), name),
                threshold_unit=entry.get("threshold_unit") or "",
            )
        )
    ids = [rule.id for rule in rules]
    absent = [rule_id for rule_id in REQUIRED if rule_id not in ids]
    if absent or len(set(ids)) != len(ids):
        raise ValueError(f"triage rules: missing {', '.join(absent)}" if absent else "triage rules: an id twice")
    for rule_id in WITH_THRESHOLD:
        if next(rule for rule in rules if rule.id == rule_id).threshold is None:
            raise ValueError(f"triage rule {rule_id}: needs a threshold")
    return TriageRules(tuple(rules), data.get("about", ""))


def load_triage_rules(path: Path | str) -> TriageRules:
    return triage_rules_from_dict(json.loads(Path(path).read_text(encoding="utf-8")))


@lru_cache(maxsize=1)
def default_triage_rules() -> TriageRules:
    return load_triage_rules(TRIAGE_RULES_PATH)


# Shares with a short English name: the denominator's word, and the numerator's count.
_PARTS = {
    2: "half",
    3: "third",
    4: "quarter",
    5: "fifth",
    6: "sixth",
    7: "seventh",
    8: "eighth",
    9: "ninth",
    10: "tenth",
}
_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight", 9: "nine"}


def share_words(share: Fraction) -> str:
    """A share between 0 and 1 in words, as a page says it: 2/3 "two thirds", 1/2 "half", 3/4 "three
    quarters"; a share without a short name as a percentage ("65 %")."""
    if 0 < share < 1 and share.denominator in _PARTS:
        if share.denominator == 2:
            return gettext("half")
        count = share.numerator
        # Translated whole where the catalogue has the phrase (SHARE_PHRASES); else English.
        phrase = f"{_COUNTS[count]} {_PARTS[share.denominator]}{'s' if count > 1 else ''}"
        return gettext(phrase)
    return f"{number(float(share * 100))} %"


# The shares a triage threshold is likely to use, for the catalogue (share_words translates them whole).
SHARE_PHRASES = (
    gettext_noop("half"),
    gettext_noop("one third"),
    gettext_noop("two thirds"),
    gettext_noop("one quarter"),
    gettext_noop("three quarters"),
    gettext_noop("three fifths"),
    gettext_noop("four fifths"),
)


def low_adherence_share(rules: TriageRules | None = None) -> str:
    """The low-adherence rule's threshold in words ("two thirds"): the dashboard's legend says the share
    the rule compares, read from the rule, so the two cannot disagree."""
    threshold = (rules or default_triage_rules()).get(LOW_ADHERENCE).threshold
    assert threshold is not None  # triage_rules_from_dict refuses the rule without one
    return share_words(threshold)


def rules_as_data(rules: TriageRules | None = None) -> list[dict[str, Any]]:
    """The rules as plain values (thresholds as text, e.g. "2/3"), for the API."""
    rules = rules or default_triage_rules()
    return [
        {
            "id": rule.id,
            "text": rule.text,
            "level": rule.level,
            "label": rule.label or None,
            "alert_kind": rule.alert_kind or None,
            "threshold": None if rule.threshold is None else str(rule.threshold),
            "threshold_unit": rule.threshold_unit or None,
            "evidence": rule.evidence,
            "source": rule.source,
        }
        for rule in rules.rules
    ]
