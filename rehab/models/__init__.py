"""The core models, one module per concept."""

from rehab.models.assessments import Assessment
from rehab.models.exercises import Exercise
from rehab.models.outbox import OutboxMessage
from rehab.models.people import Clinic, Patient, Role, User

__all__ = ["Assessment", "Clinic", "Exercise", "OutboxMessage", "Patient", "Role", "User"]
