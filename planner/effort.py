"""Effort answers on more than one scale, and their Borg 6-20 equivalent.

A patient may rate a session on the Borg 6-20 scale (the engine's scale: targets, ceilings and the
weekly decision all read it) or on a 0-10 scale with words, which takes fewer taps. What was asked
is kept as it was answered (scale + value); the weekly decision reads its 6-20 equivalent.

The 0-10 -> 6-20 table is rule data (planner/data/effort_scales.json) with an evidence tag per
rule: the moderate and vigorous classes come from clinical-reference 1a [G], the ends are design
defaults [D]. No Django here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

from planner.translation import gettext
from planner.types import Rule

EFFORT_SCALES_PATH = Path(__file__).resolve().parent / "data" / "effort_scales.json"
BORG = "borg_6_20"
CR10 = "cr10"
SCALES = (BORG, CR10)


@dataclass(frozen=True)
class EffortScales:
    """The scales' ranges, the 0-10 answers' 6-20 equivalents and words, and the rules behind them."""

    ranges: dict[str, tuple[int, int]]
    labels: dict[str, str]
    cr10_to_borg: dict[int, int]
    cr10_words: dict[int, str]
    rules: tuple[Rule, ...]
    rule_of_answer: dict[int, str]


@lru_cache(maxsize=4)
def load_effort_scales(path: Path = EFFORT_SCALES_PATH) -> EffortScales:
    data = json.loads(path.read_text(encoding="utf-8"))
    ranges = {name: (int(s["low"]), int(s["high"])) for name, s in data["scales"].items()}
    mapping, rule_of_answer, rules = {}, {}, []
    for rule in data["cr10_to_borg"]["rules"]:
        rules.append(Rule(id=rule["id"], text=rule["text"], evidence=rule["evidence"], source=rule["source"]))
        for answer, borg in rule["answers"].items():
            mapping[int(answer)] = int(borg)
            rule_of_answer[int(answer)] = rule["id"]
    low, high = ranges[CR10]
    borg_low, borg_high = ranges[BORG]
    if sorted(mapping) != list(range(low, high + 1)):
        raise ValueError("effort scales: every 0-10 answer needs exactly one 6-20 equivalent")
    equivalents = [mapping[n] for n in range(low, high + 1)]
    if equivalents != sorted(equivalents) or not all(borg_low <= v <= borg_high for v in equivalents):
        raise ValueError("effort scales: 6-20 equivalents must rise with the answer and stay within 6-20")
    return EffortScales(
        ranges=ranges,
        labels={name: s["label"] for name, s in data["scales"].items()},
        cr10_to_borg=mapping,
        cr10_words={int(k): v for k, v in data["cr10_words"].items()},
        rules=tuple(rules),
        rule_of_answer=rule_of_answer,
    )


def effort_problem(scale: str, value: int, scales: EffortScales | None = None) -> str | None:
    """Why (scale, value) is not an answer, in words; None when it is one."""
    scales = scales or load_effort_scales()
    if scale not in scales.ranges:
        return f"Unknown effort scale {scale!r}; use one of: {', '.join(sorted(scales.ranges))}."
    low, high = scales.ranges[scale]
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        return f"On the {scales.labels[scale]} scale, effort runs from {low} to {high}."
    return None


def borg_equivalent(scale: str, value: int, scales: EffortScales | None = None) -> int:
    """The Borg 6-20 equivalent of an answer: itself on 6-20, the table's value on 0-10."""
    scales = scales or load_effort_scales()
    problem = effort_problem(scale, value, scales)
    if problem:
        raise ValueError(problem)
    return value if scale == BORG else scales.cr10_to_borg[value]


def cr10_words(value: int, scales: EffortScales | None = None) -> str:
    """The words shown with a 0-10 answer ("moderate")."""
    # Rule data: rehab/patient_words.py marks the words for the catalogue.
    return gettext((scales or load_effort_scales()).cr10_words[value])
