"""Effort on 0-10 with words: every answer has a 6-20 equivalent in the ACSM class clinical-reference 1a
gives it, and the table is rule data with an evidence tag per rule."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from planner.effort import BORG, CR10, borg_equivalent, cr10_words, effort_problem, load_effort_scales

# clinical-reference 1a [G]: on the 0-10 scale 5-6 is moderate, 7-8 vigorous; on 6-20 moderate is
# 12-13 and vigorous 14-17 (ACSM classes).
MODERATE_CR10, MODERATE_BORG = (5, 6), range(12, 14)
VIGOROUS_CR10, VIGOROUS_BORG = (7, 8), range(14, 18)


def test_the_sourced_classes_map_to_their_6_to_20_classes():
    assert [borg_equivalent(CR10, n) for n in MODERATE_CR10] == [12, 13]
    assert all(borg_equivalent(CR10, n) in VIGOROUS_BORG for n in VIGOROUS_CR10)
    assert all(borg_equivalent(CR10, n) in MODERATE_BORG for n in MODERATE_CR10)


@given(st.integers(0, 10), st.integers(0, 10))
def test_a_harder_answer_never_reads_easier(low, high):
    low, high = sorted((low, high))
    assert 6 <= borg_equivalent(CR10, low) <= borg_equivalent(CR10, high) <= 20


@given(st.integers(6, 20))
def test_an_answer_on_6_to_20_is_its_own_equivalent(value):
    assert borg_equivalent(BORG, value) == value


def test_every_answer_has_words_and_a_rule_with_an_evidence_tag():
    scales = load_effort_scales()
    assert sorted(scales.cr10_to_borg) == list(range(11))
    assert all(cr10_words(n) for n in range(11))
    rules = {rule.id: rule for rule in scales.rules}
    assert rules["effort.cr10.moderate_vigorous"].evidence == "G"
    assert "clinical-reference 1a" in rules["effort.cr10.moderate_vigorous"].source
    assert rules["effort.cr10.outside_sourced_classes"].evidence == "D"
    assert scales.rule_of_answer[5] == "effort.cr10.moderate_vigorous"
    assert scales.rule_of_answer[0] == "effort.cr10.outside_sourced_classes"


@pytest.mark.parametrize(
    ("scale", "value", "problem"),
    [
        (CR10, 11, "runs from 0 to 10"),
        (CR10, -1, "runs from 0 to 10"),
        (BORG, 5, "runs from 6 to 20"),
        (BORG, 21, "runs from 6 to 20"),
        ("likert", 3, "Unknown effort scale"),
        (CR10, True, "runs from 0 to 10"),
    ],
)
def test_an_answer_off_its_scale_is_named(scale, value, problem):
    assert problem in effort_problem(scale, value)
    with pytest.raises(ValueError):
        borg_equivalent(scale, value)


def test_a_table_that_skips_an_answer_or_falls_is_refused(tmp_path):
    import json

    from planner.effort import EFFORT_SCALES_PATH

    data = json.loads(EFFORT_SCALES_PATH.read_text())
    data["cr10_to_borg"]["rules"][1]["answers"]["4"] = 9  # 4 -> 9 is below 3 -> 10
    broken = tmp_path / "falls.json"
    broken.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="rise"):
        load_effort_scales(broken)
    del data["cr10_to_borg"]["rules"][1]["answers"]["4"]
    broken.write_text(json.dumps(data))
    with pytest.raises(ValueError, match="every 0-10 answer"):
        load_effort_scales(broken)
