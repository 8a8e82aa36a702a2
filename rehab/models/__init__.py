"""The core models, one module per concept."""

from rehab.models.assessments import Assessment
from rehab.models.exercises import Exercise
from rehab.models.outbox import OutboxMessage
from rehab.models.people import Clinic, Patient, Role, User
from rehab.models.plans import LimitOverride, Plan, PlanItem, PlanStatus

__all__ = [
    "Assessment",
    "Clinic",
    "Exercise",
    "LimitOverride",
    "OutboxMessage",
    "Patient",
    "Plan",
    "PlanItem",
    "PlanStatus",
    "Role",
    "User",
]
