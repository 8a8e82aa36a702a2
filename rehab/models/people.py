"""People and access: clinics, staff and patient logins, patient records and care teams."""

import enum
import zoneinfo
from datetime import date

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.core.validators import RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords
from simple_history.signals import pre_create_historical_record

from planner.effort import BORG, CR10
from planner.vocabulary import SEXES
from rehab.emergency import COUNTRY_PATTERN, EMERGENCY_NUMBER_PATTERN, emergency_number_for
from rehab.models.history_said import ChangeSaid, keep_the_reasons_template


def zone_named(name: str) -> zoneinfo.ZoneInfo:
    """The time zone of that name; UTC when the name is unknown (a stored name a later tz database dropped)."""
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")


class EffortScale(models.TextChoices):
    """How a patient rates a session's effort (planner.effort): the 6-20 equivalent is always stored."""

    BORG_6_20 = BORG, _("Borg 6 to 20")
    CR10 = CR10, _("0 to 10, with words")


class Clinic(models.Model):
    """A practice. Nothing in the product crosses from one clinic to another."""

    name = models.CharField(max_length=200)
    phone = models.CharField(max_length=40, blank=True, help_text="Shown to patients: who to call.")
    email = models.EmailField(blank=True)
    address = models.TextField(blank=True)
    time_zone = models.CharField(max_length=64, default="UTC")
    country = models.CharField(
        max_length=2,
        blank=True,
        validators=[RegexValidator(COUNTRY_PATTERN, "Two capital letters (ISO 3166), e.g. GB.")],
        help_text="ISO 3166 country code; sets the default emergency number.",
    )
    emergency_number = models.CharField(
        max_length=6,
        blank=True,
        validators=[RegexValidator(EMERGENCY_NUMBER_PATTERN, "2 to 6 digits, e.g. 999 or 112.")],
        help_text="Called for an ambulance from the red-flag pages; empty: the country's number (rehab.emergency).",
    )
    effort_scale = models.CharField(
        max_length=10,
        choices=EffortScale.choices,
        default=EffortScale.BORG_6_20,
        help_text="The scale patients rate effort on, unless a patient has their own.",
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        default="en",
        help_text="The language patients read, unless a patient has their own.",
    )

    def __str__(self) -> str:
        return self.name

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The clinic's time zone (UTC if the stored name is unknown)."""
        return zone_named(self.time_zone)

    @property
    def emergency_tel(self) -> str:
        """The number the emergency button dials: the clinic's own setting, else its country's."""
        return self.emergency_number or emergency_number_for(country=self.country, phone=self.phone)


class Role(models.TextChoices):
    PHYSIOTHERAPIST = "physiotherapist", _("Physiotherapist")
    CLINICIAN = "clinician", _("Clinician")
    PATIENT = "patient", _("Patient")
    CLINIC_ADMIN = "clinic_admin", _("Clinic admin")

    # Groups of roles, not roles (enum.nonmember keeps them out of the choices). The care team treats
    # patients and reads their records; a clinic admin is staff but manages the clinic, not patients.
    CARE = enum.nonmember(("physiotherapist", "clinician"))
    STAFF = enum.nonmember(("physiotherapist", "clinician", "clinic_admin"))


class User(AbstractUser):
    """A login. Every login except a superuser belongs to exactly one clinic and has one role."""

    clinic = models.ForeignKey(Clinic, null=True, blank=True, on_delete=models.PROTECT, related_name="users")
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.PATIENT)
    phone = models.CharField(max_length=40, blank=True)
    # Staff choose their own; empty: what the browser asks for. A patient's pages follow
    # Patient.language instead (the care team can set it for them).
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="The language of this login's pages; empty: the browser's.",
    )

    @property
    def is_care_staff(self) -> bool:
        """A physiotherapist or a clinician: one who may be on a patient's care team."""
        return self.role in Role.CARE

    @property
    def is_physiotherapist(self) -> bool:
        return self.role == Role.PHYSIOTHERAPIST

    @property
    def is_patient(self) -> bool:
        return self.role == Role.PATIENT

    @property
    def display_name(self) -> str:
        return self.get_full_name() or self.username


class Patient(models.Model):
    """A patient's record in one clinic, read by the care team and by the patient's own login."""

    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="patients")
    user = models.OneToOneField(
        User,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="patient_record",
        help_text="The patient's own login, once activated.",
    )
    first_name = models.CharField(max_length=150)
    last_name = models.CharField(max_length=150)
    date_of_birth = models.DateField()
    sex = models.CharField(max_length=10, choices=[(s, s.title()) for s in SEXES])
    diagnoses = models.JSONField(default=list, blank=True, help_text="Diagnoses in plain words, one per entry.")
    phone = models.CharField(max_length=40, blank=True)
    email = models.EmailField(blank=True)
    # Who typed the contact details a sign-in link may go to: a link is sent only to contact details a
    # member of the care team entered, so nobody else (a clinic admin) can divert it to an address of
    # their own. Null for records from before this was kept.
    phone_entered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    email_entered_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    time_zone = models.CharField(max_length=64, default="UTC", help_text="Dates are shown in this zone.")
    reminders_opt_out = models.BooleanField(default=False)
    effort_scale = models.CharField(
        max_length=10,
        choices=EffortScale.choices,
        blank=True,
        help_text="The scale this patient rates effort on; empty: the clinic's.",
    )
    language = models.CharField(
        max_length=8,
        choices=settings.LANGUAGES,
        blank=True,
        help_text="The language of the patient's pages, PDFs and reminders; empty: the clinic's.",
    )
    last_reminded_on = models.DateField(null=True, blank=True, help_text="Claims the day's reminder: one a day.")
    care_team = models.ManyToManyField(
        User, related_name="care_patients", blank=True, help_text="Physiotherapists and clinicians."
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    # A reason the product words keeps its template beside it (rehab.models.history_said).
    history = HistoricalRecords(m2m_fields=[care_team], bases=[ChangeSaid])

    class Meta:
        ordering = ["last_name", "first_name", "id"]

    def __str__(self) -> str:
        return self.full_name

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}"

    @property
    def language_code(self) -> str:
        """The language the patient reads: their own choice, else their clinic's."""
        return self.language or self.clinic.language or settings.LANGUAGE_CODE

    @property
    def zone(self) -> zoneinfo.ZoneInfo:
        """The patient's time zone (UTC if the stored name is unknown)."""
        return zone_named(self.time_zone)

    @property
    def effort_scale_in_use(self) -> str:
        """The patient's own effort scale, else the clinic's."""
        return self.effort_scale or self.clinic.effort_scale

    def today(self) -> date:
        """Today's date where the patient is: plan weeks and session dates follow the patient's clock."""
        return timezone.localdate(timezone=self.zone)

    def age_on(self, day) -> int:
        born = self.date_of_birth
        return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


pre_create_historical_record.connect(keep_the_reasons_template, sender=Patient.history.model)
