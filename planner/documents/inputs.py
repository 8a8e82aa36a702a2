"""What the Django layer fills from its rows for a document: the patient, the clinic to call, and the
check-ins, weekly adherence, measures, decisions, alerts, overrides and assessments of a plan.

Plain frozen records, checked on creation (a pain score runs 0-10, RPE 6-20, a measure is a known kind).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from planner.types import Profile
from planner.vocabulary import MEASURE_CODES


def _check_range(value: int | None, low: int, high: int, name: str) -> None:
    if value is not None and not low <= value <= high:
        raise ValueError(f"{name} must be from {low} to {high}, not {value!r}")


@dataclass(frozen=True)
class PatientInfo:
    """name: as the patient wants it printed (any script). date_of_birth: None when not to be shown."""

    name: str
    date_of_birth: date | None = None


@dataclass(frozen=True)
class ContactInfo:
    """Who the patient calls. emergency_number: e.g. "999" or "112"; empty -> "call an ambulance"."""

    clinic_name: str
    clinic_phone: str
    clinic_email: str = ""
    physio_name: str = ""
    clinic_address: str = ""
    emergency_number: str = ""


@dataclass(frozen=True)
class PainEntry:
    """One check-in's scores: pain 0-10 during, after and the next morning (None: not given), RPE 6-20."""

    date: date
    during: int | None
    after: int | None
    next_morning: int | None = None
    rpe: int | None = None

    def __post_init__(self) -> None:
        for name in ("during", "after", "next_morning"):
            _check_range(getattr(self, name), 0, 10, name)
        _check_range(self.rpe, 6, 20, "rpe")


@dataclass(frozen=True)
class WeekAdherence:
    """Sessions planned and done in one plan week (1-based)."""

    week: int
    planned: int
    done: int

    def __post_init__(self) -> None:
        if self.week < 1 or self.planned < 0 or self.done < 0:
            raise ValueError("week must be 1 or more; planned and done 0 or more")


@dataclass(frozen=True)
class MeasureEntry:
    """A strength or function test: kind is a vocabulary.MEASURE_CODES code, value in its unit."""

    kind: str
    date: date
    value: float

    def __post_init__(self) -> None:
        if self.kind not in MEASURE_CODES:
            raise ValueError(f"unknown measure {self.kind!r}")


@dataclass(frozen=True)
class ReasonEntry:
    """One reason of a decision: the rule's id and what it found (ProgressionDecision.reasons JSON)."""

    rule_id: str
    text: str


@dataclass(frozen=True)
class DecisionEntry:
    """A stored weekly decision. action: planner.progression.ACTIONS; light: green/amber/red or None.

    week: the plan week that ended. changes: per exercise, the change in words ("Walking: 10 -> 10.5 min").
    """

    week: int
    action: str
    light: str | None
    reasons: tuple[ReasonEntry, ...]
    decided_on: date
    changes: tuple[str, ...] = ()
    review_required: bool = False


@dataclass(frozen=True)
class AlertEntry:
    """An alert for the care team. kind: rehab AlertKind value; acknowledged_on None while open."""

    created_on: date
    kind: str
    message: str
    urgent: bool = False
    acknowledged_on: date | None = None
    acknowledged_by: str = ""
    note: str = ""


@dataclass(frozen=True)
class OverrideEntry:
    """A dose accepted above a limit. limits_exceeded: the violation messages, in words."""

    created_on: date
    author: str
    exercise: str
    limits_exceeded: tuple[str, ...]
    reason: str
    acknowledged_on: date | None = None


@dataclass(frozen=True)
class AssessmentEntry:
    """A dated assessment, as the engine's Profile, with who made it and free-text notes."""

    assessed_on: date
    assessed_by: str
    profile: Profile
    notes: str = ""
