"""The doses a weekly decision records, stored without repeating what they cite.

A decision keeps, per exercise, the dose of the week that ended, the dose set for the next week, a held
dose and the doses of the growth window. Each `serialize.to_dict(dose)` carries its rationale (the rule
ids behind each value) and the texts of every rule it cites: a decision of eleven exercises repeated the
same texts about fifty times (≈ 146 KB a row). Here a stored dose keeps its numbers and two references:

- its rationale, as the digest of the same "rationale" part planner.storage writes for the plan's
  schedule (so the plan's own doses have stored it already);
- the texts of the rules it cites, in one "rule_index" part per decision (the same index serves every
  decision that cites the same rules; the row holds its digest).

A dose whose rule reads differently from the one already in the index (a rule reworded between two
plan versions) keeps its own texts inline: what a dose cited is never rewritten.
"""

import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from planner import serialize, storage
from planner.types import Dose

RULE_INDEX = "rule_index"
RATIONALE = "rationale"
# Recomputed from the other fields when a dose is read back (serialize ignores them on the way in).
_DERIVED = ("volume_per_week", "volume_unit")

Part = dict[str, Any]  # {"kind": ..., "body": ...}, as planner.storage's parts


@dataclass(frozen=True)
class Cited:
    """What a decision's stored doses refer to: its rule index and the rationale parts (digest -> body).

    `rationales` may hold more than this decision's (a chunk of decisions read them together).
    """

    index: str  # the rule index's digest ("" for a decision stored before there were indexes)
    rules: Mapping[str, Any]
    rationales: Mapping[str, Any]

    @functools.cached_property
    def decoder(self) -> serialize.RuleDecoder:
        """The rule index's rules, made once for all the doses that cite it (serialize.rule_decoder)."""
        return serialize.rule_decoder(self.rules)

    def parts(self) -> dict[str, Part]:
        """Every part the stored doses refer to, the rule index included, by digest (to store them)."""
        parts = {key: {"kind": RATIONALE, "body": body} for key, body in self.rationales.items()}
        parts[self.index] = {"kind": RULE_INDEX, "body": self.rules}
        return parts


# What the first week's decision carries over: nothing (no decision came before it).
NOTHING_CITED = Cited(index="", rules={}, rationales={})


class DoseWriter:
    """Turns the doses of one decision into stored doses, collecting what they cite once."""

    def __init__(self) -> None:
        self.rules: dict[str, dict[str, Any]] = {}
        self.rationales: dict[str, Part] = {}

    def dose(self, dose: Dose) -> dict[str, Any]:
        data = serialize.to_dict(dose)
        cited: dict[str, Any] = data.pop("rule_index")
        data = {name: value for name, value in data.items() if name not in _DERIVED and value is not None}
        rationale = data.pop("rationale", {})
        if rationale:
            part = {"kind": RATIONALE, "body": storage.ordered(rationale)}
            key = storage.rationale_digest(part["body"])  # the digest storage.split gives the same part
            self.rationales[key] = part
            data["rationale"] = key
        if any(self.rules.get(rule_id, entry) != entry for rule_id, entry in cited.items()):
            data["rule_index"] = cited
        else:
            self.rules.update(cited)
        return data

    def cited(self) -> Cited:
        """What the doses written so far cite, the rule index's digest with it."""
        return Cited(
            index=storage.digest({"kind": RULE_INDEX, "body": self.rules}),
            rules=self.rules,
            rationales={key: part["body"] for key, part in self.rationales.items()},
        )


def rationale_digests(stored: Iterable[Mapping[str, Any]]) -> set[str]:
    """The rationale parts these stored doses refer to."""
    return {dose["rationale"] for dose in stored if isinstance(dose.get("rationale"), str)}


def dose_from(stored: Mapping[str, Any], cited: Cited) -> Dose:
    """A dose `DoseWriter.dose` stored, read back with what its decision cites."""
    data = dict(stored)
    if isinstance(data.get("rationale"), str):
        data["rationale"] = dict(cited.rationales[data["rationale"]])
    if "rule_index" in data:  # a dose whose rules read differently from the index keeps its own
        return serialize.from_dict(Dose, data)
    return serialize.dose_from_dict(data, cited.decoder)


def doses_from(stored: Mapping[str, Mapping[str, Any]], cited: Cited) -> dict[str, Dose]:
    return {slug: dose_from(value, cited) for slug, value in stored.items()}
