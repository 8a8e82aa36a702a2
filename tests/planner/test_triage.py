"""Triage: facts in, flags out. Examples from the dashboard's rules, and invariants over any facts."""

import dataclasses
import json
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from planner.triage import (
    LOW_ADHERENCE,
    PAIN_RISING,
    QUIET,
    TRIAGE_RULES_PATH,
    CaseFacts,
    OpenAlert,
    WeekSessions,
    default_triage_rules,
    low_adherence_share,
    rank,
    rules_as_data,
    share_words,
    triage,
    triage_rules_from_dict,
)

RULES = default_triage_rules()
ALERT_KINDS = (
    "red_flag",
    "pain_red",
    "review",
    "strength_drop",
    "override",
    "no_checkins",
    "flare",
    "ck_rise",
    "vital_signs",
)


def with_threshold(rule_id: str, threshold: Fraction):
    """The default rules with one rule's threshold replaced."""
    rules = tuple(
        dataclasses.replace(rule, threshold=threshold) if rule.id == rule_id else rule for rule in RULES.rules
    )
    return dataclasses.replace(RULES, rules=rules)


# ---------------------------------------------------------------------------------------------
# The rules as the dashboard has always applied them
# ---------------------------------------------------------------------------------------------


def test_a_patient_without_facts_has_no_flag_and_ranks_last():
    assert triage(CaseFacts()) == ()
    assert rank(()) == QUIET


def test_a_red_flag_alert_is_the_most_urgent_and_names_its_rule():
    (flag,) = triage(CaseFacts(alerts=(OpenAlert("red_flag", message="Chest pain"),)))
    assert (flag.level, flag.kind, flag.label, flag.detail, flag.rule_id) == (
        0,
        "red_flag",
        "Red flag",
        "Chest pain",
        "triage.alert.red_flag",
    )


def test_an_urgent_alert_of_a_quiet_kind_is_raised_to_the_top_by_the_urgent_rule():
    (flag,) = triage(CaseFacts(alerts=(OpenAlert("strength_drop", urgent=True, message="MMT-8 down"),)))
    assert (flag.level, flag.label, flag.rule_id) == (0, "Strength falling", "triage.alert.urgent")


def test_one_flag_per_alert_kind_explained_by_the_newest():
    flags = triage(CaseFacts(alerts=(OpenAlert("override", message="newest"), OpenAlert("override", message="old"))))
    assert [(f.kind, f.detail) for f in flags] == [("override", "newest")]


def test_an_alert_kind_without_a_rule_of_its_own_reads_as_its_name():
    (flag,) = triage(CaseFacts(alerts=(OpenAlert("ck_rise", kind_label="Muscle enzymes (CK) rising"),)))
    assert (flag.level, flag.label, flag.rule_id) == (6, "Muscle enzymes (CK) rising", "triage.alert.other")


def test_a_pause_says_its_reason_unless_an_alert_already_says_it():
    alone = triage(CaseFacts(paused=True, pause_reason="Flu, paused by phone"))
    assert [(f.kind, f.detail) for f in alone] == [("paused", "Flu, paused by phone")]
    said = triage(
        CaseFacts(
            alerts=(OpenAlert("red_flag", message="Chest pain"),), paused=True, pause_reason="Red flag: Chest pain"
        )
    )
    assert [(f.kind, f.detail) for f in said] == [("red_flag", "Chest pain"), ("paused", "")]


def test_pain_rising_compares_the_latest_week_with_the_week_before():
    (flag,) = triage(CaseFacts(weekly_mean_pain=((2, 1.0), (3, 14 / 3)), current_week=3))
    assert (flag.kind, flag.label, flag.detail, flag.rule_id) == (
        "pain",
        "Pain rising",
        "mean 1.0 → 4.7 (weeks 2 → 3)",
        PAIN_RISING,
    )


@pytest.mark.parametrize(
    ("weeks", "current"),
    [
        (((2, 1.0), (3, 4.0)), 2),  # week 3 has not started: only week 2 counts
        (((1, 1.0), (3, 4.0)), 3),  # weeks 1 and 3 are not consecutive
        (((2, 3.0), (3, 3.0)), 3),  # level, not rising
        (((2, 4.0), (3, 2.0)), 3),  # falling
        (((3, 4.0),), 3),  # one week only
    ],
)
def test_pain_is_not_rising(weeks, current):
    assert triage(CaseFacts(weekly_mean_pain=weeks, current_week=current)) == ()


def test_low_adherence_is_below_two_thirds_of_the_planned_sessions():
    (flag,) = triage(CaseFacts(last_decision=WeekSessions(week=2, done=1, planned=3)))
    assert (flag.kind, flag.label, flag.detail) == ("adherence", "Low adherence", "1 of 3 sessions in week 2")
    assert triage(CaseFacts(last_decision=WeekSessions(week=2, done=2, planned=3))) == ()  # exactly 2/3
    assert triage(CaseFacts(last_decision=WeekSessions(week=2, done=0, planned=0))) == ()  # nothing planned


def test_the_shipped_rules_carry_evidence_sources_and_their_thresholds():
    data = json.loads(TRIAGE_RULES_PATH.read_text(encoding="utf-8"))
    assert all(rule["evidence"] in "GCRD" and rule["source"] for rule in data["rules"])
    assert RULES.get(LOW_ADHERENCE).threshold == Fraction(2, 3)
    assert RULES.get(LOW_ADHERENCE).evidence == "D"
    assert RULES.get(PAIN_RISING).threshold == 0
    served = {rule["id"]: rule for rule in rules_as_data()}
    assert served[LOW_ADHERENCE]["threshold"] == "2/3"


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        (lambda d: d["rules"].pop(), "missing triage.alert.other"),
        (lambda d: d["rules"][0].update(evidence="X"), "evidence"),
        (lambda d: d["rules"][5].pop("threshold"), "needs a threshold"),
        (lambda d: d["rules"][6].update(threshold="two thirds"), "not a number"),
        (lambda d: d["rules"][1].update(alert_kind="red_flag"), "a second rule"),
    ],
)
def test_broken_rule_data_is_refused_naming_the_problem(broken, message):
    data = json.loads(TRIAGE_RULES_PATH.read_text(encoding="utf-8"))
    broken(data)
    with pytest.raises(ValueError, match=message):
        triage_rules_from_dict(data)


# ---------------------------------------------------------------------------------------------
# Invariants
# ---------------------------------------------------------------------------------------------

alerts = st.builds(
    OpenAlert,
    kind=st.sampled_from(ALERT_KINDS),
    urgent=st.booleans(),
    message=st.sampled_from(["", "Chest pain", "MMT-8 down", "Pain 8/10"]),
    kind_label=st.just("An alert"),
)
pain_weeks = st.dictionaries(st.integers(1, 12), st.floats(0, 10, allow_nan=False), max_size=6).map(
    lambda weeks: tuple(sorted(weeks.items()))
)
decisions = st.none() | st.builds(
    WeekSessions, week=st.integers(1, 12), done=st.integers(0, 14), planned=st.integers(0, 14)
)
facts = st.builds(
    CaseFacts,
    alerts=st.lists(alerts, max_size=5).map(tuple),
    paused=st.booleans(),
    pause_reason=st.sampled_from(["", "Red flag: Chest pain", "Flu"]),
    weekly_mean_pain=pain_weeks,
    current_week=st.none() | st.integers(1, 12),
    last_decision=decisions,
)


@settings(max_examples=300)
@given(facts)
def test_flags_are_sorted_by_level_and_each_names_a_rule_of_that_level(case):
    flags = triage(case)
    assert [f.level for f in flags] == sorted(f.level for f in flags)
    for flag in flags:
        assert RULES.get(flag.rule_id).level == flag.level


@settings(max_examples=300)
@given(facts)
def test_a_red_flag_or_an_urgent_alert_always_ranks_zero(case):
    flags = triage(case)
    if any(alert.urgent or alert.kind == "red_flag" for alert in case.alerts):
        assert rank(flags) == 0
    kinds = {flag.kind for flag in flags}
    assert {alert.kind for alert in case.alerts} <= kinds  # every open alert's kind is flagged once
    assert len([f for f in flags if f.kind in {a.kind for a in case.alerts}]) == len({a.kind for a in case.alerts})


@settings(max_examples=300)
@given(facts, alerts, st.sampled_from(["", "Flu"]))
def test_an_alert_or_a_pause_never_removes_a_flag_nor_makes_the_patient_less_urgent(case, alert, reason):
    before = triage(case)
    for more in (
        dataclasses.replace(case, alerts=(*case.alerts, alert)),  # an older alert
        dataclasses.replace(case, paused=True, pause_reason=reason if not case.paused else case.pause_reason),
    ):
        after = triage(more)
        assert rank(after) <= rank(before)
        levels = {f.kind: f.level for f in after}
        assert all(f.kind in levels and levels[f.kind] <= f.level for f in before)  # kept, as urgent or more


@settings(max_examples=300)
@given(facts, st.fractions(0, 1))
def test_low_adherence_follows_the_threshold_in_the_rule_data(case, threshold):
    flags = triage(case, with_threshold(LOW_ADHERENCE, threshold))
    decided = case.last_decision
    expected = bool(decided and decided.planned and Fraction(decided.done, decided.planned) < threshold)
    assert any(f.kind == "adherence" for f in flags) == expected


@settings(max_examples=300)
@given(pain_weeks, st.integers(1, 12), st.fractions(0, 3))
def test_rising_pain_follows_the_threshold_in_the_rule_data(weeks, current, threshold):
    flags = triage(CaseFacts(weekly_mean_pain=weeks, current_week=current), with_threshold(PAIN_RISING, threshold))
    means = dict(weeks)
    logged = sorted(week for week in means if week <= current)
    expected = len(logged) >= 2 and logged[-1] - logged[-2] == 1 and means[logged[-1]] - means[logged[-2]] > threshold
    assert any(f.kind == "pain" for f in flags) == expected


# ---------------------------------------------------------------------------------------------
# The legend's words
# ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("share", "words"),
    [
        (Fraction(2, 3), "two thirds"),
        (Fraction(1, 3), "one third"),
        (Fraction(1, 2), "half"),
        (Fraction(3, 4), "three quarters"),
        (Fraction(7, 10), "seven tenths"),
        (Fraction(13, 20), "65 %"),
    ],
)
def test_a_share_is_said_in_words_or_as_a_percentage(share, words):
    assert share_words(share) == words


def test_the_low_adherence_share_follows_the_rules_threshold():
    assert low_adherence_share() == "two thirds"
    assert low_adherence_share(with_threshold(LOW_ADHERENCE, Fraction(3, 4))) == "three quarters"


def test_the_low_adherence_rules_own_text_names_its_threshold():
    rule = RULES.get(LOW_ADHERENCE)

    assert share_words(rule.threshold) in rule.text
