"""Patient records the user may see, and the two scopes every other read starts from.

The rules (README "Access"):
- a patient sees only their own record;
- physiotherapists and clinicians see the patients whose care team they are on, in their clinic;
- a clinic admin sees the patient list of their own clinic (to manage care teams) but no
  clinical data unless they are on the care team;
- nothing crosses clinics. An object the user may not see is a 404, never a 403.
"""

from datetime import date

from django.db.models import Min, Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext

from rehab.models import ActivationLink, Assessment, Patient, Role, User


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
        raise Http404(gettext("No such patient.")) from None


def care_team_candidates(user: User) -> QuerySet[User]:
    """Staff of the user's clinic who may join a care team."""
    staff = User.objects.filter(role__in=Role.CARE, is_active=True)
    if user.clinic_id is None:
        return staff.filter(clinic_id__isnull=True)
    return staff.filter(clinic_id=user.clinic_id)


def patients_by_name(user: User, *, clinical: bool = False) -> QuerySet[Patient]:
    """The patients the user may open (with `clinical`, whose clinical data they may read), by name."""
    scope = patients_with_clinical_access(user) if clinical else patients_visible_to(user)
    return scope.order_by("last_name", "first_name")


def patients_named(user: User, query: str) -> QuerySet[Patient]:
    """The patients the user may open whose first or last name contains every word of `query`, care
    team joined (the caseload's search)."""
    patients = patients_visible_to(user)
    for term in query.split():
        patients = patients.filter(Q(first_name__icontains=term) | Q(last_name__icontains=term))
    return patients.prefetch_related("care_team")


def other_care_team_candidates(user: User) -> QuerySet[User]:
    """Staff who may join a care team beside the user (who is on it by making the record)."""
    return care_team_candidates(user).exclude(pk=user.pk)


def latest_sign_in_link(patient: Patient) -> ActivationLink | None:
    """The patient's newest sign-in link (the model orders newest first)."""
    return patient.activation_links.first()


def patient_of_login(user: User) -> Patient | None:
    """The signed-in patient's own record with the clinic joined (what every patient page shows), or
    None when the login has none."""
    return patients_visible_to(user).select_related("clinic").first()


def patient_records(user: User) -> QuerySet[Patient]:
    """patients_visible_to with what the API's patient JSON shows joined: the login, the care team,
    and the open sign-in links as `open_activation_links` (a list; its sign-in status reads it)."""
    open_links = ActivationLink.objects.filter(ended_at__isnull=True, expires_at__gt=timezone.now())
    return (
        patients_visible_to(user)
        .select_related("user")
        .prefetch_related(
            "care_team", Prefetch("activation_links", queryset=open_links, to_attr="open_activation_links")
        )
    )


def has_open_sign_in_link(patient: Patient) -> bool:
    """Whether a sign-in link of the patient is still open (not used, replaced, spent or expired): for
    a record fetched without patient_records' prefetch, such as one just written."""
    return patient.activation_links.filter(ended_at__isnull=True, expires_at__gt=timezone.now()).exists()


def first_assessment_date(patient: Patient) -> date | None:
    """The day of the patient's earliest assessment (None: not assessed yet). The caller has the record,
    so it is already in the user's scope."""
    return Assessment.objects.filter(patient=patient).aggregate(first=Min("assessed_on"))["first"]
