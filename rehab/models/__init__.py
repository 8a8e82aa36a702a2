"""The core models, one module per concept."""

from rehab.models.access import AccessKind, RecordAccess
from rehab.models.activation import ActivationChannel, ActivationEnd, ActivationLink
from rehab.models.assessments import Assessment
from rehab.models.checkins import CheckIn, CheckInItem, CheckInKind, Measurement
from rehab.models.decisions import Alert, AlertKind, ProgressionDecision
from rehab.models.exercises import Exercise, ExerciseTranslation
from rehab.models.outbox import DeliveryClaim, OutboxMessage
from rehab.models.people import Clinic, Patient, Role, User
from rehab.models.plans import (
    RUNNING_STATUSES,
    ChangeTrigger,
    Clearance,
    LimitOverride,
    Plan,
    PlanChange,
    PlanItem,
    PlanPart,
    PlanStatus,
)
from rehab.models.reminders import (
    PushSubscription,
    ReminderChannel,
    ReminderDelivery,
    ReminderKind,
    ReminderPreferences,
)
from rehab.models.templates import PlanFromTemplate, PlanTemplate, PlanTemplateVersion

__all__ = [
    "RUNNING_STATUSES",
    "AccessKind",
    "ActivationChannel",
    "ActivationEnd",
    "ActivationLink",
    "Alert",
    "AlertKind",
    "Assessment",
    "ChangeTrigger",
    "CheckIn",
    "CheckInItem",
    "CheckInKind",
    "Clearance",
    "Clinic",
    "DeliveryClaim",
    "Exercise",
    "ExerciseTranslation",
    "LimitOverride",
    "Measurement",
    "OutboxMessage",
    "Patient",
    "Plan",
    "PlanChange",
    "PlanFromTemplate",
    "PlanItem",
    "PlanPart",
    "PlanStatus",
    "PlanTemplate",
    "PlanTemplateVersion",
    "ProgressionDecision",
    "PushSubscription",
    "RecordAccess",
    "ReminderChannel",
    "ReminderDelivery",
    "ReminderKind",
    "ReminderPreferences",
    "Role",
    "User",
]
