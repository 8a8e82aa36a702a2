"""Reminders the patient controls: a session due, or yesterday's next-morning pain to give.

The patient chooses the days, the time of day (their own wall clock), quiet hours, and whether the
next-morning pain reminder comes at all; "off" is Patient.reminders_opt_out. A reminder goes as a
notification to every phone the patient subscribed (Web Push, rehab/services/push.py) and by email
when no phone took it (no subscription, push not configured, or every push failed).

The beat task runs every few minutes (rehab/celery.py) and asks `reminders_due(now)`: each patient
whose local time has reached their time of day, on one of their days, outside their quiet hours,
with something to be reminded of and no such reminder yet on that local day. Each reminder is
claimed by a ReminderDelivery row (patient, local day, kind) before it is sent, so a retried or
twice-delivered task sends it once; a send that fails releases the claim for the retry.
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.db.models import DateField, Exists, OuterRef, Q, Value
from django.urls import reverse
from django.utils import timezone
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from rehab.i18n import in_patient_language
from rehab.models import (
    CheckIn,
    Patient,
    Plan,
    PlanStatus,
    ReminderChannel,
    ReminderDelivery,
    ReminderKind,
    ReminderPreferences,
    Role,
    User,
)
from rehab.models.people import zone_named
from rehab.models.reminders import days_to_mask
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.push import push_send

# Keyed by the kind's value, as tasks and rows carry it (a ReminderKind is that string).
# Marked lazily: each is read in the patient's language when the reminder is sent (_deliver).
REMINDER_TEXT: dict[str, Promise] = {
    ReminderKind.SESSION_DUE: _("A session from your exercise plan is due. Open the app when you are ready."),
    ReminderKind.NEXT_MORNING: _(
        "How is your pain this morning, after yesterday's exercises? It takes a few seconds to log."
    ),
    ReminderKind.NO_CHECKINS: _(
        "We have not seen a session from you this week. If something is stopping you, tell us."
    ),
}
# Where a tap on the notification leads: Today, or straight to its next-morning question.
REMINDER_PAGE: dict[str, tuple[str, str]] = {
    ReminderKind.SESSION_DUE: ("frontend:today", ""),
    ReminderKind.NEXT_MORNING: ("frontend:today", "#morning-title"),
    ReminderKind.NO_CHECKINS: ("frontend:today", ""),
}


class QuietHours(Exception):
    """The patient's quiet hours are on: nothing was sent or claimed; `seconds` until they end."""

    def __init__(self, seconds: int):
        super().__init__(f"quiet hours for {seconds} s more")
        self.seconds = seconds


def seconds_until_quiet_ends(local: datetime, end: time) -> int:
    ends = local.replace(hour=end.hour, minute=end.minute, second=0, microsecond=0)
    if ends <= local:
        ends += timedelta(days=1)
    return int((ends - local).total_seconds())


# --------------------------------------------------------------------------------------------
# The rules, as plain values (no database)
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Preferences:
    """A patient's reminder choices as values (the model's defaults for a patient without a row)."""

    days: frozenset[int]
    time_of_day: time
    quiet_start: time | None
    quiet_end: time | None
    next_morning: bool

    @classmethod
    def of(cls, row: ReminderPreferences) -> "Preferences":
        return cls(
            days=frozenset(row.days),
            time_of_day=row.time_of_day,
            quiet_start=row.quiet_start,
            quiet_end=row.quiet_end,
            next_morning=row.next_morning,
        )


DEFAULT_PREFERENCES = Preferences.of(ReminderPreferences())


def in_quiet_hours(clock: time, start: time | None, end: time | None) -> bool:
    """True when `clock` lies in [start, end); a period that passes midnight (21:00-08:00) wraps."""
    if start is None or end is None or start == end:
        return False
    if start < end:
        return start <= clock < end
    return clock >= start or clock < end


def kinds_due(
    prefs: Preferences, *, weekday: int, clock: time, morning_open: bool, logged_recently: bool
) -> list[ReminderKind]:
    """Which reminders a patient is due now (their local weekday and clock), before dedupe."""
    if weekday not in prefs.days or clock < prefs.time_of_day:
        return []
    if in_quiet_hours(clock, prefs.quiet_start, prefs.quiet_end):
        return []
    kinds = []
    if morning_open and prefs.next_morning:
        kinds.append(ReminderKind.NEXT_MORNING)
    if not logged_recently:
        kinds.append(ReminderKind.SESSION_DUE)
    return kinds


def preference_errors(
    *, reminders_on: bool, days, time_of_day: time, quiet_start: time | None, quiet_end: time | None
) -> dict[str, list[str]]:
    """What is wrong with a set of choices, per field (empty when they can be saved)."""
    errors: dict[str, list[str]] = {}
    if reminders_on and not days:
        errors["days"] = [gettext("Choose at least one day, or turn reminders off.")]
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        errors[field] = [gettext("Give both the start and the end of the quiet hours, or neither.")]
    elif quiet_start is not None and quiet_start == quiet_end:
        errors["quiet_end"] = [gettext("The quiet hours must end at another time than they start.")]
    elif in_quiet_hours(time_of_day, quiet_start, quiet_end):
        errors["time_of_day"] = [
            f"This is in your quiet hours ({quiet_start:%H:%M} to {quiet_end:%H:%M}): "
            "choose another time or change the quiet hours."
        ]
    return errors


def reminder_url(kind: str) -> str:
    name, anchor = REMINDER_PAGE[kind]
    return reverse(name) + anchor


# --------------------------------------------------------------------------------------------
# Preferences
# --------------------------------------------------------------------------------------------


def reminder_preferences_get(patient: Patient) -> ReminderPreferences:
    """The patient's row, or an unsaved one with the defaults."""
    return ReminderPreferences.objects.filter(patient=patient).first() or ReminderPreferences(patient=patient)


@transaction.atomic
def reminder_preferences_update(
    *,
    actor: User,
    patient: Patient,
    reminders_on: bool,
    days,
    time_of_day: time,
    quiet_start: time | None,
    quiet_end: time | None,
    next_morning: bool,
) -> ReminderPreferences:
    """Save the patient's choices, all or nothing (InvalidInput names each wrong field)."""
    if actor.role != Role.PATIENT or patient.user_id != actor.pk:
        raise NotAllowed(gettext("Only the patient can choose their own reminders."))
    days = sorted({int(day) for day in days})
    if any(day not in range(7) for day in days):
        raise InvalidInput({"days": [gettext("Days are 0 (Monday) to 6 (Sunday).")]})
    errors = preference_errors(
        reminders_on=reminders_on, days=days, time_of_day=time_of_day, quiet_start=quiet_start, quiet_end=quiet_end
    )
    if errors:
        raise InvalidInput(errors)
    prefs, _ = ReminderPreferences.objects.update_or_create(
        patient=patient,
        defaults={
            "days_mask": days_to_mask(days),
            "time_of_day": time_of_day.replace(second=0, microsecond=0),
            "quiet_start": quiet_start,
            "quiet_end": quiet_end,
            "next_morning": next_morning,
        },
    )
    if patient.reminders_opt_out != (not reminders_on):
        # The same fact the care team sees on the patient's record ("Reminders: off").
        patient.reminders_opt_out = not reminders_on
        patient.save(update_fields=["reminders_opt_out"])
    return prefs


# --------------------------------------------------------------------------------------------
# Who is due now
# --------------------------------------------------------------------------------------------


def _claimed(now: datetime, kind: str):
    """A delivery of this kind on the row's day that was sent, or is being sent right now."""
    live_since = now - timedelta(seconds=settings.DELIVERY_CLAIM_TIMEOUT)
    return ReminderDelivery.objects.filter(patient=OuterRef("pk"), day=OuterRef("local_day"), kind=kind).filter(
        Q(sent_at__isnull=False) | Q(claimed_at__gt=live_since)
    )


def reminders_due(now: datetime) -> list[tuple[int, str, date]]:
    """(patient id, kind, the patient's local day) for every reminder to send now.

    Patients are grouped by the local date and minute their zones show now: one query per group
    (zones in use that differ in offset: a handful), whatever the number of patients.
    """
    candidates = Patient.objects.filter(reminders_opt_out=False, plans__status=PlanStatus.ACTIVE)
    groups: dict[tuple[date, time], list[str]] = defaultdict(list)
    for name in set(candidates.values_list("time_zone", flat=True)):
        local = now.astimezone(zone_named(name))
        groups[(local.date(), local.time().replace(second=0, microsecond=0))].append(name)
    due = []
    for (day, clock), names in sorted(groups.items()):
        due.extend(_due_in(names, day, clock, now))
    return due


def _due_in(zone_names: list[str], day: date, clock: time, now: datetime) -> list[tuple[int, str, date]]:
    running = Plan.objects.filter(patient=OuterRef("pk"), status=PlanStatus.ACTIVE, start_date__lte=day)
    open_morning = CheckIn.objects.filter(
        patient=OuterRef("pk"), date=day - timedelta(days=1), pain_next_morning__isnull=True
    )
    recent = CheckIn.objects.filter(patient=OuterRef("pk"), date__gte=day - timedelta(days=2), kind="session")
    rows = (
        Patient.objects.filter(time_zone__in=zone_names, reminders_opt_out=False)
        .annotate(local_day=Value(day, output_field=DateField()))
        .filter(Exists(running))
        .annotate(
            morning_open=Exists(open_morning),
            logged_recently=Exists(recent),
            morning_claimed=Exists(_claimed(now, ReminderKind.NEXT_MORNING)),
            session_claimed=Exists(_claimed(now, ReminderKind.SESSION_DUE)),
        )
        .filter(Q(reminder_preferences__isnull=True) | Q(reminder_preferences__time_of_day__lte=clock))
        .values_list(
            "pk",
            "morning_open",
            "logged_recently",
            "morning_claimed",
            "session_claimed",
            "reminder_preferences__days_mask",
            "reminder_preferences__time_of_day",
            "reminder_preferences__quiet_start",
            "reminder_preferences__quiet_end",
            "reminder_preferences__next_morning",
        )
        .order_by("pk")
    )
    due = []
    for pk, morning_open, logged, morning_claimed, session_claimed, mask, at, quiet_start, quiet_end, morning in rows:
        prefs = (
            DEFAULT_PREFERENCES
            if mask is None
            else Preferences.of(
                ReminderPreferences(
                    days_mask=mask, time_of_day=at, quiet_start=quiet_start, quiet_end=quiet_end, next_morning=morning
                )
            )
        )
        claimed = {ReminderKind.NEXT_MORNING: morning_claimed, ReminderKind.SESSION_DUE: session_claimed}
        for kind in kinds_due(
            prefs, weekday=day.weekday(), clock=clock, morning_open=morning_open, logged_recently=logged
        ):
            if not claimed[kind]:
                due.append((pk, str(kind), day))
    return due


# --------------------------------------------------------------------------------------------
# Sending one
# --------------------------------------------------------------------------------------------


def _claim(patient_id: int, day: date, kind: str, now: datetime) -> ReminderDelivery | None:
    """The delivery row, claimed for this send; None when it was sent or is being sent."""
    try:
        with transaction.atomic():
            return ReminderDelivery.objects.create(patient_id=patient_id, day=day, kind=kind, claimed_at=now)
    except IntegrityError:
        pass
    # A claim left by a worker that died while sending is taken over once it is stale.
    stale = now - timedelta(seconds=settings.DELIVERY_CLAIM_TIMEOUT)
    taken = ReminderDelivery.objects.filter(
        patient_id=patient_id, day=day, kind=kind, sent_at__isnull=True, claimed_at__lt=stale
    ).update(claimed_at=now)
    if taken != 1:
        return None
    return ReminderDelivery.objects.get(patient_id=patient_id, day=day, kind=kind)


def reminder_send(*, patient_id: int, kind: str, day: date | None = None, now: datetime | None = None) -> str | None:
    """Send one reminder; the channel it went by, or None when nothing was sent: reminders off,
    the day is over where the patient is, not one of the patient's days, or sent already.

    Quiet hours are checked again here: a task run inside them sends and claims nothing and raises
    QuietHours (the beat queues its reminders again once they end; the task retries the weekly
    no-session one then). The chosen days apply to the daily reminders, not to the weekly one.
    """
    now = now or timezone.now()
    patient = Patient.objects.select_related("clinic").filter(pk=patient_id).first()
    if patient is None or patient.reminders_opt_out:
        return None
    local = now.astimezone(patient.zone)
    day = day or local.date()
    if local.date() != day:
        return None  # a retry that ran into the next day: yesterday's reminder is no use
    prefs = Preferences.of(reminder_preferences_get(patient))
    if kind == ReminderKind.NEXT_MORNING and not prefs.next_morning:
        return None
    if kind != ReminderKind.NO_CHECKINS and day.weekday() not in prefs.days:
        return None
    if prefs.quiet_end is not None and in_quiet_hours(local.time(), prefs.quiet_start, prefs.quiet_end):
        raise QuietHours(seconds_until_quiet_ends(local, prefs.quiet_end))
    delivery = _claim(patient_id, day, kind, now)
    if delivery is None:
        return None
    try:
        channel = _deliver(patient, kind)
    except Exception:
        delivery.delete()  # let the retry send it
        raise
    ReminderDelivery.objects.filter(pk=delivery.pk).update(sent_at=timezone.now(), channel=channel)
    return channel


def _deliver(patient: Patient, kind: str) -> str:
    # Rendered in the patient's language (their push text and email alike).
    with in_patient_language(patient):
        message = {
            "title": str(_("Your exercise plan")),
            "body": str(REMINDER_TEXT[kind]),
            "url": reminder_url(kind),
            "tag": f"reminder-{kind}",
        }
        if push_send(patient_id=patient.pk, message=message):
            return ReminderChannel.PUSH
        if not patient.email:
            return ReminderChannel.NONE
        body = _(
            "Hello %(first_name)s,\n\n%(reminder)s\n\n"
            "You choose when reminders come, or turn them off, on your Reminders page: %(reminders_url)s\n"
            "Questions? Call %(clinic)s (%(phone)s)."
        ) % {
            "first_name": patient.first_name,
            "reminder": REMINDER_TEXT[kind],
            "reminders_url": f"{settings.SITE_URL}{reverse('frontend:reminders')}",
            "clinic": patient.clinic.name,
            "phone": patient.clinic.phone,
        }
        send_mail(str(_("Your exercise plan")), body, None, [patient.email])
    return ReminderChannel.EMAIL
