"""Who read a patient's record: for the patient and the clinic admin, never the care team."""

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.utils.translation import gettext

from rehab.models import RecordAccess, Role, User
from rehab.selectors.patients import patient_get


def access_log_readers_see_address(user: User) -> bool:
    """Only the clinic admin sees the address a read came from (it identifies staff devices and
    the clinic's network; a patient learns who looked, what and when)."""
    return getattr(user, "role", None) == Role.CLINIC_ADMIN


def patient_access_log(user: User, patient_id) -> QuerySet[RecordAccess]:
    """Staff reads of one patient's data, newest first: for the patient themselves and the clinic
    admin of the patient's clinic. The care team sees the patient but not the log (403): it is a
    check on staff, kept by the admin and shown to the patient; everyone else gets 404."""
    patient = patient_get(user, patient_id)
    if user.role not in (Role.PATIENT, Role.CLINIC_ADMIN):
        raise PermissionDenied(gettext("Only the patient and the clinic admin read the access log."))
    return RecordAccess.objects.filter(patient=patient).select_related("actor")


def clinic_access_log(user: User, *, patient_id=None, actor_id=None) -> QuerySet[RecordAccess]:
    """Every staff read of the admin's clinic's patients, newest first, optionally for one patient
    or by one user. Empty for anyone but a clinic admin."""
    if getattr(user, "role", None) != Role.CLINIC_ADMIN or user.clinic_id is None:
        return RecordAccess.objects.none()
    rows = RecordAccess.objects.filter(patient__clinic_id=user.clinic_id).select_related("actor", "patient")
    if patient_id is not None:
        rows = rows.filter(patient_id=patient_id)
    if actor_id is not None:
        rows = rows.filter(actor_id=actor_id)
    return rows


def clinic_access_readers(user: User) -> QuerySet[User]:
    """Everyone who read a record of the admin's clinic, by name (the access log's 'by' filter)."""
    return User.objects.filter(pk__in=clinic_access_log(user).values("actor_id")).order_by("last_name", "first_name")
