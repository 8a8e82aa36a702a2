"""Weekly progression: from one plan week's check-ins to the next week's doses, with the reasons.

At the end of each plan week `decide_progression` reads the week's check-ins (pain during, after and
the next morning, session effort, what was done) and any strength or function tests, and decides:

- pause_for_review: any red flag in the week, or a second red week in a row. Doses are left as they
  are; a clinician decides what happens next.
- regress: a red week (pain above the amber cut-point, next-morning pain not settled to baseline, or
  a week-on-week rise). Each item takes one variable back by the configured step, never below its
  floor, and remembers the dose it held before so that it can climb back to it.
- hold: an amber week; a week without enough data (no check-ins: the patient is also reminded; no
  pain, next-morning pain or effort rating); too few sessions done; effort above target; a strength
  drop beyond measurement error (which also asks for review); the hold week after a regression.
- advance: otherwise. Each item grows one variable by the schedule's own step rule
  (planner.schedule.next_dose), back towards the held dose first after a regression.

The plan never advances on missing data. Every dose is clamped to the limits last, never grows
faster than limits.weekly_progression_max_pct (planner.limits.growth_measure), and every reason and
changed value names its rules. The cut-points live in planner/progression_rules.py.

The package by concept: signals (what the decision reads), findings (reading the week), decision
(the action and the next week's context), item_actions (advance, hold or regress one item),
dose_variables (a dose's variables by name) and outcome (what the decision returns). Other code
imports the names below from planner.progression.
"""

from planner.progression.decision import decide_progression, next_week_context
from planner.progression.findings import morning_pain_light, pain_light
from planner.progression.item_actions import AT_CEILINGS_TEXT
from planner.progression.outcome import DECISION_FLAGS, DecisionReason, ItemDecision, ProgressionDecision
from planner.progression.signals import (
    ACTIONS,
    LIGHTS,
    CheckInSignal,
    ItemReport,
    ItemState,
    StrengthSignal,
    WeekContext,
)

__all__ = [
    "ACTIONS",
    "AT_CEILINGS_TEXT",
    "DECISION_FLAGS",
    "LIGHTS",
    "CheckInSignal",
    "DecisionReason",
    "ItemDecision",
    "ItemReport",
    "ItemState",
    "ProgressionDecision",
    "StrengthSignal",
    "WeekContext",
    "decide_progression",
    "morning_pain_light",
    "next_week_context",
    "pain_light",
]
