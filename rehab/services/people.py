"""Creating and changing patient records, care teams and patient logins."""

import secrets

from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils.text import slugify

from rehab.activation import activation_url
from rehab.models import Patient, Role, User
from rehab.queue import enqueue_on_commit
from rehab.services.errors import InvalidInput, NotAllowed

PATIENT_FIELDS = (
    "first_name",
    "last_name",
    "date_of_birth",
    "sex",
    "diagnoses",
    "phone",
    "email",
    "time_zone",
    "reminders_opt_out",
)


def _require_role(actor: User, *roles: str) -> None:
    if actor.role not in roles:
        raise NotAllowed(f"A {actor.get_role_display().lower()} may not do this.")


def _validate_care_team(actor: User, care_team: list[User]) -> None:
    foreign = [
        u for u in care_team if u.clinic_id != actor.clinic_id or u.role not in (Role.PHYSIOTHERAPIST, Role.CLINICIAN)
    ]
    if foreign:
        raise InvalidInput({"care_team": ["Only physiotherapists and clinicians of this clinic can join a care team."]})


@transaction.atomic
def patient_create(*, actor: User, care_team: list[User] | None = None, **fields) -> Patient:
    """A physiotherapist (or clinic admin) registers a patient; a physiotherapist creator joins the care team."""
    _require_role(actor, Role.PHYSIOTHERAPIST, Role.CLINIC_ADMIN)
    team = list(care_team or [])
    _validate_care_team(actor, team)
    if actor.role == Role.PHYSIOTHERAPIST and actor not in team:
        team.append(actor)
    patient = Patient(
        clinic_id=actor.clinic_id, created_by=actor, **{k: v for k, v in fields.items() if k in PATIENT_FIELDS}
    )
    patient._change_reason = "Patient registered"
    patient.save()
    patient.care_team.set(team)
    return patient


@transaction.atomic
def patient_update(
    *, actor: User, patient: Patient, reason: str = "", care_team: list[User] | None = None, **fields
) -> Patient:
    """Change demographics or the care team. Staff only; the change and its reason are audited."""
    _require_role(actor, Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.CLINIC_ADMIN)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    for name, value in fields.items():
        if name in PATIENT_FIELDS:
            setattr(patient, name, value)
    patient._change_reason = reason or "Record updated"
    patient.save()
    if care_team is not None:
        _validate_care_team(actor, care_team)
        if not care_team:
            raise InvalidInput({"care_team": ["A patient needs at least one physiotherapist or clinician."]})
        patient.care_team.set(care_team)
    return patient


def _unique_username(patient: Patient) -> str:
    base = slugify(f"{patient.first_name}.{patient.last_name}").replace("-", ".")[:120] or "patient"
    candidate = base
    while User.objects.filter(username=candidate).exists():
        candidate = f"{base}.{secrets.randbelow(9000) + 1000}"
    return candidate


@transaction.atomic
def patient_activation_issue(*, actor: User, patient: Patient) -> dict:
    """Create the patient's login if needed and return a one-time activation link.

    The login gets no usable password: the patient chooses one on the page the link opens.
    """
    _require_role(actor, Role.PHYSIOTHERAPIST, Role.CLINICIAN, Role.CLINIC_ADMIN)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    user = patient.user
    if user is None:
        user = User(
            username=_unique_username(patient),
            first_name=patient.first_name,
            last_name=patient.last_name,
            email=patient.email,
            clinic_id=patient.clinic_id,
            role=Role.PATIENT,
        )
        user.set_unusable_password()
        user.save()
        patient.user = user
        patient._change_reason = f"Patient login created by {actor.display_name}"
        patient.save()
    elif user.has_usable_password():
        raise InvalidInput({"patient": ["This patient has already set a password."]})
    if user.email:
        enqueue_on_commit("rehab.tasks.email_activation_link", user.pk)
    return {"username": user.username, "activation_url": activation_url(user), "emailed_to": user.email or None}


@transaction.atomic
def patient_activate(*, user: User, password: str) -> User:
    """Set the patient's first password; this also spends the activation link."""
    try:
        validate_password(password, user)
    except Exception as error:  # django.core.exceptions.ValidationError
        raise InvalidInput({"password": list(getattr(error, "messages", [str(error)]))}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    return user
