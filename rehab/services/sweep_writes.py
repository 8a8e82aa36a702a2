"""Every write of a plan's state after weekly decisions, for one plan or a chunk of plans, in bulk.

The per-plan path (rehab.services.progression) and the set-based sweep (rehab.services.sweep) both
write here, so a plan decided either way is stored the same way: its new schedule (the engine's
rows, rehab.services.plan_store, with one PlanChange per changed field naming the decision), and the
Plan row's status, pause reason and version with one history record giving the change reason.
A constant number of queries whatever the number of plans.
"""

from dataclasses import dataclass

from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from planner.types import Plan as EnginePlan
from rehab.models import ChangeTrigger, Plan, ProgressionDecision
from rehab.services.plan_store import PlanWrite, store_engines

PLAN_FIELDS = ["blueprint", "status", "pause_reason", "version", "updated_at"]


@dataclass
class DecidedState:
    """One plan after one decided week.

    plan: the row with its new status, pause_reason, version and _change_reason already set
        (rehab.services.progression.plan_next_state); engine: the rescheduled engine plan when
        weeks remain, else None; decision: the saved decision that made the change.
    """

    plan: Plan
    engine: EnginePlan | None
    week: int
    decision: ProgressionDecision


def decided_states_write(states: list[DecidedState]) -> None:
    """Store the plans' new schedules and Plan rows with their history (inside the caller's transaction)."""
    if not states:
        return
    store_engines(
        [
            PlanWrite(
                plan=state.plan,
                engine=state.engine,
                # The week after the decided one starts with the decided doses: it is the current one.
                dose_week=state.week + 1,
                trigger=ChangeTrigger.DECISION,
                reason=state.plan._change_reason,
                decision=state.decision,
            )
            for state in states
            if state.engine is not None
        ]
    )
    now = timezone.now()
    plans = [state.plan for state in states]
    for plan in plans:
        plan.updated_at = now  # what save() would set (auto_now); bulk_update does not
    # Each plan's history record carries its own _change_reason (the decision's summary).
    bulk_update_with_history(plans, Plan, PLAN_FIELDS, batch_size=1000, default_date=now)
