"""What a plan's rules ask before and at its start: a clinician's medical clearance, and a number of
sessions supervised at the clinic. Read-only; the writes are in rehab.services.clearance.

Which profiles need either is rule data (planner limits `clearance_required` and
`supervised_sessions`, with their provenance); nothing here decides it. The API, the staff and
patient pages and the PDFs all read the same two states and, for the patient, the same words.
"""

from dataclasses import dataclass

from django.utils import timezone
from django.utils.translation import gettext, ngettext

from planner.documents.wording import date_words
from planner.types import LoadLimits, Rule
from rehab import selectors
from rehab.models import Clearance, Plan
from rehab.rule_words import rule_text
from rehab.services.plan_store import load_limits


def plan_limits(plan: Plan) -> LoadLimits:
    """The plan's limits alone, without rebuilding every week of the engine plan."""
    return load_limits(plan)


def clearance_rules(limits: LoadLimits) -> tuple[Rule, ...]:
    """The rules that ask for medical clearance (none when the limits do not require it)."""
    if not limits.clearance_required:
        # The provenance then names the rule that set "no clearance": not a reason to ask for one.
        return ()
    return limits.rules_for("clearance_required")


def covers(clearance: Clearance, rules: tuple[Rule, ...]) -> bool:
    """A clearance counts for the rules it was given for: a rule added since asks again."""
    return {rule.id for rule in rules} <= set(clearance.rules)


@dataclass(frozen=True)
class ClearanceState:
    """required: the plan's limits ask for clearance before it starts. rules: which rules ask.
    granted: the newest clearance that covers those rules (None while awaited or not required)."""

    required: bool
    rules: tuple[Rule, ...]
    granted: Clearance | None

    @property
    def awaited(self) -> bool:
        return self.required and self.granted is None


@dataclass(frozen=True)
class SupervisionState:
    """sessions_required: how many sessions the rules want supervised at the clinic (0: none).
    sessions_done: the plan's sessions with a supervising physiotherapist recorded."""

    sessions_required: int
    sessions_done: int
    rules: tuple[Rule, ...] = ()

    @property
    def required(self) -> bool:
        return self.sessions_required > 0

    @property
    def remaining(self) -> int:
        return max(self.sessions_required - self.sessions_done, 0)

    @property
    def next_at_clinic(self) -> bool:
        """The patient's next session is a supervised one at the clinic."""
        return self.remaining > 0


def clearance_state(plan: Plan, limits: LoadLimits) -> ClearanceState:
    rules = clearance_rules(limits)
    granted = None
    if rules:
        granted = next((c for c in selectors.plan_clearances(plan) if covers(c, rules)), None)
    return ClearanceState(required=bool(rules), rules=rules, granted=granted)


def supervision_state(plan: Plan, limits: LoadLimits) -> SupervisionState:
    wanted = limits.supervised_sessions
    return SupervisionState(
        sessions_required=wanted,
        sessions_done=selectors.supervised_sessions_done(plan) if wanted else 0,
        rules=limits.rules_for("supervised_sessions") if wanted else (),
    )


def supervision_words(state: SupervisionState) -> str:
    """What the patient reads while supervised sessions remain ("" once they are done)."""
    if not state.next_at_clinic:
        return ""
    return gettext(
        "Your next session is at the clinic with your physiotherapist (%(done)s of %(required)s supervised "
        "sessions done)."
    ) % {"done": state.sessions_done, "required": state.sessions_required}


def supervision_staff_words(state: SupervisionState) -> str:
    """The same status in the care team's words, in the reader's language (pages and the clinician's report)."""
    if not state.required:
        return gettext("No supervised sessions are required.")
    values = {"done": state.sessions_done, "required": state.sessions_required, "remaining": state.remaining}
    if state.remaining:
        return (
            ngettext(
                "Supervised start: %(done)s of %(required)s supervised sessions done; the next %(remaining)s is "
                "at the clinic.",
                "Supervised start: %(done)s of %(required)s supervised sessions done; the next %(remaining)s are "
                "at the clinic.",
                state.remaining,
            )
            % values
        )
    return gettext("Supervised start complete: %(done)s of %(required)s supervised sessions done.") % values


def clearance_staff_words(state: ClearanceState) -> str:
    """Clearance status for the care team, in the reader's language: what asked for it (each rule in the
    reader's words, rehab.rule_words) and whether it was given."""
    if not state.required:
        return gettext("Medical clearance: not required by this plan's rules.")
    why = " ".join(rule_text(rule.id, rule.text) for rule in state.rules)
    if state.granted is None:
        return gettext("Medical clearance: awaited. %(rules)s") % {"rules": why}
    granted = state.granted
    on = date_words(timezone.localdate(granted.created_at), year=True)
    return gettext("Medical clearance given by %(name)s on %(day)s: “%(note)s”. %(rules)s") % {
        "name": granted.granted_by.display_name,
        "day": on,
        "note": granted.note,
        "rules": why,
    }
