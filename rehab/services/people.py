"""Creating and changing patient records, care teams and patient logins."""

import secrets
from datetime import date, timedelta

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext, gettext_noop, ngettext

from planner.progression.said import said
from rehab.activation import DATE_OF_BIRTH_TRIES, activation_token, new_secret, open_link_for
from rehab.models import ActivationChannel, ActivationEnd, ActivationLink, Patient, Role, User
from rehab.queue import enqueue_on_commit
from rehab.services.errors import InvalidInput, NoClinic, NotAllowed
from rehab.sms import sms_enabled
from rehab.stored_words import PATIENT_REGISTERED, RECORD_UPDATED, as_stored

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
    "language",
)
# Clinical fields of the patient record: the care team's, never a clinic admin's to read or write.
CLINICAL_FIELDS = ("diagnoses",)
# Where a sign-in link goes; a change of either ends the links sent there.
CONTACT_FIELDS = ("email", "phone")


def _require_role(actor: User, *roles: str) -> None:
    if actor.role not in roles:
        raise NotAllowed(gettext("Your role (%(role)s) may not do this.") % {"role": actor.get_role_display().lower()})


def _refuse_clinical_fields(actor: User, fields: dict) -> None:
    if actor.role == Role.CLINIC_ADMIN and any(name in fields for name in CLINICAL_FIELDS):
        raise NotAllowed(gettext("A clinic admin cannot record or change clinical fields (diagnoses)."))


def _validate_care_team(actor: User, care_team: list[User]) -> None:
    foreign = [u for u in care_team if u.clinic_id != actor.clinic_id or not u.is_care_staff]
    if foreign:
        raise InvalidInput(
            {"care_team": [gettext("Only physiotherapists and clinicians of this clinic can join a care team.")]}
        )


@transaction.atomic
def patient_create(*, actor: User, care_team: list[User] | None = None, **fields) -> Patient:
    """A physiotherapist (or clinic admin) registers a patient; a physiotherapist creator joins the care team."""
    _require_role(actor, Role.PHYSIOTHERAPIST, Role.CLINIC_ADMIN)
    _refuse_clinical_fields(actor, {k: v for k, v in fields.items() if v})
    team = list(care_team or [])
    if actor.clinic_id is None:
        raise NoClinic()
    _validate_care_team(actor, team)
    if actor.role == Role.PHYSIOTHERAPIST and actor not in team:
        team.append(actor)
    patient = Patient(
        clinic_id=actor.clinic_id, created_by=actor, **{k: v for k, v in fields.items() if k in PATIENT_FIELDS}
    )
    for name in CONTACT_FIELDS:
        if fields.get(name):
            setattr(patient, f"{name}_entered_by", actor)
    patient._change_reason = PATIENT_REGISTERED  # type: ignore[attr-defined]  # django-simple-history's reason for the next save()
    patient.save()
    patient.care_team.set(team)
    return patient


@transaction.atomic
def patient_update(
    *, actor: User, patient: Patient, reason: str = "", care_team: list[User] | None = None, **fields
) -> Patient:
    """Change demographics or the care team. Staff only; the change and its reason are audited."""
    _require_role(actor, *Role.STAFF)
    _refuse_clinical_fields(actor, fields)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    contact_before = [getattr(patient, name) for name in CONTACT_FIELDS]
    for name, value in fields.items():
        if name in PATIENT_FIELDS:
            setattr(patient, name, value)
        if name in CONTACT_FIELDS:
            # Typing it in (again) makes the actor its author: a care-team member can confirm an
            # address a clinic admin entered by entering it themselves.
            setattr(patient, f"{name}_entered_by", actor)
    patient._change_reason = reason or RECORD_UPDATED  # type: ignore[attr-defined]  # django-simple-history's reason for the next save()
    patient.save()
    if [getattr(patient, name) for name in CONTACT_FIELDS] != contact_before:
        # A link on its way to the old address or number must not outlive the change.
        _end_open_links(patient=patient, reason=ActivationEnd.CONTACT_CHANGED)
    if care_team is not None:
        _validate_care_team(actor, care_team)
        if not care_team:
            raise InvalidInput({"care_team": [gettext("A patient needs at least one physiotherapist or clinician.")]})
        patient.care_team.set(care_team)
    return patient


def _unique_username(patient: Patient) -> str:
    base = slugify(f"{patient.first_name}.{patient.last_name}").replace("-", ".")[:120] or "patient"
    candidate = base
    while User.objects.filter(username=candidate).exists():
        candidate = f"{base}.{secrets.randbelow(9000) + 1000}"
    return candidate


def _end_open_links(*, patient: Patient, reason: str, keep: ActivationLink | None = None) -> int:
    links = ActivationLink.objects.filter(patient=patient, ended_at__isnull=True)
    if keep is not None:
        links = links.exclude(pk=keep.pk)
    return links.update(ended_at=timezone.now(), end_reason=reason)


def _entered_by_care_team(patient: Patient, name: str) -> bool:
    """Whether the care team entered this contact detail (unknown for records from before it was kept)."""
    author_id = getattr(patient, f"{name}_entered_by_id")
    return author_id is None or patient.care_team.filter(pk=author_id).exists()


def _destination(patient: Patient, channel: str) -> str:
    if channel == ActivationChannel.HANDOVER:
        return ""
    name = "email" if channel == ActivationChannel.EMAIL else "phone"
    if channel == ActivationChannel.SMS and not sms_enabled():
        raise InvalidInput({"channel": [gettext("Text messages are not set up here (SMS_BACKEND).")]})
    value = getattr(patient, name)
    if not value:
        raise InvalidInput(
            {
                "channel": [
                    gettext("The patient has no email address on file.")
                    if name == "email"
                    else gettext("The patient has no phone number on file.")
                ]
            }
        )
    if not _entered_by_care_team(patient, name):
        author = getattr(patient, f"{name}_entered_by")
        raise InvalidInput(
            {
                "channel": [
                    (
                        gettext(
                            "The email address on file was entered by %(author)s, who is not on the care team: "
                            "check it with the patient and enter it yourself, or hand over a QR code in person."
                        )
                        if name == "email"
                        else gettext(
                            "The phone number on file was entered by %(author)s, who is not on the care team: "
                            "check it with the patient and enter it yourself, or hand over a QR code in person."
                        )
                    )
                    % {"author": author.display_name}
                ]
            }
        )
    return value


def default_activation_channel(patient: Patient) -> str | None:
    """Email when there is an address, else a text message when there is a phone and SMS is set up.

    (Whether the care team entered it is checked when the link is issued, with a message saying so.)"""
    if patient.email:
        return ActivationChannel.EMAIL
    if patient.phone and sms_enabled():
        return ActivationChannel.SMS
    return None


@transaction.atomic
def patient_activation_issue(*, actor: User, patient: Patient, channel: str | None = None) -> ActivationLink:
    """Issue a sign-in link for the patient, delivered only to the patient.

    Email and text messages go to the address or number on the record, queued after commit; a
    hand-over link is shown once to a physiotherapist on the care team (patient_activation_hand_over).
    The link is never returned: the row says where it went and until when it works. Only the
    patient's care team may issue one; a clinic admin may not, because the admin can change the
    contact details a link is sent to. A new link ends every earlier one.
    """
    if actor.role == Role.CLINIC_ADMIN:
        raise NotAllowed(gettext("A clinic admin does not send sign-in links: the patient's care team does."))
    _require_role(actor, *Role.CARE)
    patient = Patient.objects.select_for_update().get(pk=patient.pk)
    if not patient.care_team.filter(pk=actor.pk).exists():
        raise NotAllowed(gettext("Only the patient's care team sends a sign-in link."))
    channel = channel or default_activation_channel(patient)
    if channel is None:
        raise InvalidInput(
            {
                "channel": [
                    gettext(
                        "The patient has no email address or phone on file: add one, or hand over a QR code "
                        "in person from the patient's page."
                    )
                ]
            }
        )
    if channel not in ActivationChannel.values:
        raise InvalidInput(
            {"channel": [gettext("Choose one of: %(choices)s.") % {"choices": ", ".join(ActivationChannel.values)}]}
        )
    if channel == ActivationChannel.HANDOVER and actor.role != Role.PHYSIOTHERAPIST:
        raise NotAllowed(gettext("Only a physiotherapist on the care team hands over a sign-in QR code."))
    destination = _destination(patient, channel)
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
        created = said(gettext_noop("Patient login created by %(name)s"), name=actor.display_name)
        # django-simple-history's reason for the next save(), and its template (rehab.models.history_said).
        patient._change_reason, patient._change_said = as_stored(created)  # type: ignore[attr-defined]
        patient.save()
    elif user.has_usable_password():
        raise InvalidInput({"patient": [gettext("This patient has already set a password.")]})
    _end_open_links(patient=patient, reason=ActivationEnd.REPLACED)
    now = timezone.now()
    link = ActivationLink.objects.create(
        patient=patient,
        user=user,
        channel=channel,
        destination=destination,
        issued_by=actor,
        issued_at=now,
        expires_at=now + timedelta(seconds=settings.ACTIVATION_LINK_MAX_AGE),
    )
    if channel != ActivationChannel.HANDOVER:
        enqueue_on_commit("rehab.tasks.send_activation_link", link.pk)
    return link


def activation_link_claim(*, link_id: int) -> str | None:
    """Mint the link's secret and claim its one delivery; the signed token, or None if already claimed.

    A conditional update claims it, so a task delivered twice sends once; only the hash is stored.
    """
    secret, hashed = new_secret()
    claimed = ActivationLink.objects.filter(
        pk=link_id, delivered_at__isnull=True, ended_at__isnull=True, expires_at__gt=timezone.now()
    ).update(delivered_at=timezone.now(), secret_hash=hashed)
    return activation_token(link_id, secret) if claimed == 1 else None


def activation_link_release(*, link_id: int) -> None:
    """Sending failed: forget the secret (nobody has it) so that the retry mints and sends a new one."""
    ActivationLink.objects.filter(pk=link_id, ended_at__isnull=True).update(delivered_at=None, secret_hash="")


def patient_activation_hand_over(*, actor: User, patient: Patient) -> tuple[ActivationLink, str]:
    """A physiotherapist on the care team gets a new link to show once as a QR code, in person."""
    with transaction.atomic():
        link = patient_activation_issue(actor=actor, patient=patient, channel=ActivationChannel.HANDOVER)
        token = activation_link_claim(link_id=link.pk)
    assert token is not None  # the link was issued just now: nobody has claimed it
    link.refresh_from_db()
    return link, token


class ActivationLinkInvalid(Exception):
    """The link is forged, expired, used, replaced or spent."""


def activation_redeem(*, token: str, date_of_birth: date, password: str) -> User:
    """The patient opens their link, gives their date of birth and chooses a password.

    A wrong date of birth does not spend the link, but DATE_OF_BIRTH_TRIES wrong ones do. A password
    the validators refuse spends nothing. Success spends this link and ends any other open one.
    """
    errors = None
    with transaction.atomic():
        link = open_link_for(token, for_update=True)
        if link is None:
            raise ActivationLinkInvalid()
        user = link.user
        if date_of_birth != link.patient.date_of_birth:
            tries = link.failed_checks + 1
            spent = tries >= DATE_OF_BIRTH_TRIES
            ActivationLink.objects.filter(pk=link.pk).update(
                failed_checks=tries,
                ended_at=timezone.now() if spent else None,
                end_reason=ActivationEnd.TOO_MANY_TRIES if spent else "",
            )
            left = DATE_OF_BIRTH_TRIES - tries
            errors = {
                "date_of_birth": [
                    gettext("This date of birth does not match our records.")
                    + " "
                    + (
                        ngettext(
                            "%(count)s more try before this link stops working.",
                            "%(count)s more tries before this link stops working.",
                            left,
                        )
                        % {"count": left}
                        if left
                        else gettext("This link no longer works: ask your physiotherapist for a new one.")
                    )
                ]
            }
        else:
            try:
                validate_password(password, user)
            except Exception as error:  # django.core.exceptions.ValidationError
                errors = {"password": list(getattr(error, "messages", [str(error)]))}
            else:
                user.set_password(password)
                user.save(update_fields=["password"])
                now = timezone.now()
                ActivationLink.objects.filter(pk=link.pk).update(ended_at=now, end_reason=ActivationEnd.USED)
                _end_open_links(patient=link.patient, reason=ActivationEnd.REPLACED)
    if errors:
        raise InvalidInput(errors)  # after the block, so the count of wrong tries is kept
    return user


@transaction.atomic
def patient_activate(*, user: User, password: str) -> User:
    """Set the patient's first password directly (demo data, tests); every open link is spent."""
    try:
        validate_password(password, user)
    except Exception as error:  # django.core.exceptions.ValidationError
        raise InvalidInput({"password": list(getattr(error, "messages", [str(error)]))}) from None
    user.set_password(password)
    user.save(update_fields=["password"])
    ActivationLink.objects.filter(user=user, ended_at__isnull=True).update(
        ended_at=timezone.now(), end_reason=ActivationEnd.USED
    )
    return user


@transaction.atomic
def user_language_set(*, actor: User, language: str) -> User:
    """A staff member chooses the language of their own pages ("": what their browser asks for)."""
    _require_role(actor, *Role.STAFF)
    if language and language not in {code for code, _name in settings.LANGUAGES}:
        raise InvalidInput({"language": [gettext("Choose one of the languages offered.")]})
    User.objects.filter(pk=actor.pk).update(language=language)
    actor.language = language
    return actor
