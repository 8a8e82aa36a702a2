"""Patient records the user may see, and the two scopes every other read starts from.

The rules (README "Access"):
- a patient sees only their own record;
- physiotherapists and clinicians see the patients whose care team they are on, in their clinic;
- a clinic admin sees the patient list of their own clinic (to manage care teams) but no
  clinical data unless they are on the care team;
- nothing crosses clinics. An object the user may not see is a 404, never a 403.
"""

from django.db.models import QuerySet
from django.http import Http404

from rehab.models import Patient, Role, User


def patients_visible_to(user: User) -> QuerySet[Patient]:
    """Patient records the user may open (demographics and care team)."""
    clinic_id = _clinic_of(user)
    if clinic_id is None:
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user, clinic_id=clinic_id)
    if user.role == Role.CLINIC_ADMIN:
        return Patient.objects.filter(clinic_id=clinic_id)
    return Patient.objects.filter(clinic_id=clinic_id, care_team=user)


def _clinic_of(user: User) -> int | None:
    """The signed-in user's clinic, or None (anonymous, or an account outside any clinic)."""
    return getattr(user, "clinic_id", None) if user.is_authenticated else None


def patients_with_clinical_access(user: User) -> QuerySet[Patient]:
    """Patients whose clinical data (assessments, plans, check-ins) the user may read."""
    clinic_id = _clinic_of(user)
    if clinic_id is None:
        return Patient.objects.none()
    if user.role == Role.PATIENT:
        return Patient.objects.filter(user=user, clinic_id=clinic_id)
    return Patient.objects.filter(clinic_id=clinic_id, care_team=user)


def patient_get(user: User, patient_id, *, clinical: bool = False) -> Patient:
    scope = patients_with_clinical_access(user) if clinical else patients_visible_to(user)
    try:
        return scope.get(pk=patient_id)
    except (Patient.DoesNotExist, ValueError, TypeError):
        raise Http404("No such patient.") from None


def care_team_candidates(user: User) -> QuerySet[User]:
    """Staff of the user's clinic who may join a care team."""
    staff = User.objects.filter(role__in=Role.CARE, is_active=True)
    if user.clinic_id is None:
        return staff.filter(clinic_id__isnull=True)
    return staff.filter(clinic_id=user.clinic_id)
