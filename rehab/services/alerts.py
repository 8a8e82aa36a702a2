"""Red flags and red pain: pause the plan, alert the care team in the app and by email."""

import logging
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from planner.progression.said import Joined, Said, Word, said, said_from_data
from planner.vitals import LOW_OXYGEN, heart_rate_findings, oxygen_findings
from planner.vocabulary import RED_FLAGS_BY_CODE, red_flag_label
from rehab.clearance import plan_limits
from rehab.clinical import progression_config, red_pain_threshold
from rehab.models import Alert, AlertKind, CheckIn, LimitOverride, Plan, PlanStatus, User
from rehab.queue import claim_delivery, enqueue_on_commit, finish_delivery, release_delivery
from rehab.services.errors import Conflict, InvalidInput, NotAllowed
from rehab.services.notifications import care_team_alert_send
from rehab.stored_words import as_stored

logger = logging.getLogger(__name__)


def vital_sign_findings(checkin: CheckIn) -> list:
    """Oxygen and heart rate outside the patient's limits in this session (planner.vitals)."""
    if checkin.spo2_min is None and checkin.heart_rate_avg is None and checkin.heart_rate_max is None:
        return []
    config = progression_config()
    found = oxygen_findings(checkin.spo2_min, checkin.plan.assessment.resting_spo2, config)
    if checkin.heart_rate_avg is not None or checkin.heart_rate_max is not None:
        limits = plan_limits(checkin.plan)  # the limits alone, not every week of the plan
        found += heart_rate_findings(checkin.heart_rate_avg, checkin.heart_rate_max, limits, config)
    return found


def patient_advice(checkin: CheckIn) -> list[str]:
    """What the patient is told to do now, in plain words, after logging this session."""
    advice = [RED_FLAGS_BY_CODE[code].advice for code in checkin.red_flags if code in RED_FLAGS_BY_CODE]
    # The heart-rate advice (not a stop rule: the aerobic items are held at the week's end).
    advice += [f.advice for f in vital_sign_findings(checkin) if f.rule.id == "safety.heart_rate.above_zone"]
    threshold = red_pain_threshold()
    if any(
        p is not None and p > threshold for p in (checkin.pain_during, checkin.pain_after, checkin.pain_next_morning)
    ):
        advice.append(
            "Your pain was high. Stop the exercises for now and rest. Your care team has been told "
            "and will contact you about what to do next."
        )
    if advice and (
        checkin.red_flags
        or any(
            p is not None and p > threshold
            for p in (checkin.pain_during, checkin.pain_after, checkin.pain_next_morning)
        )
    ):
        advice.append("Your plan is paused until your care team has looked at this.")
    return advice


def checkin_follow_up(*, checkin_id: int) -> list[Alert]:
    """Pause the plan and alert the care team for a red flag or red pain. Safe to run twice.

    The alerts' unique (check-in, kind) constraint makes a repeated run create nothing; the
    pause is a conditional update; each alert is emailed once (claimed by emailed_at).
    """
    checkin = CheckIn.objects.select_related("plan", "patient").get(pk=checkin_id)
    created = []
    with transaction.atomic():
        plan = Plan.objects.select_for_update().get(pk=checkin.plan_id)
        specs = []
        if checkin.red_flags:
            # A measured desaturation says its numbers rather than the patient's wording.
            oxygen = [f.text for f in vital_sign_findings(checkin) if f.rule.id.startswith("safety.spo2.")]
            labels = Joined(
                tuple(
                    " ".join(oxygen) if code == LOW_OXYGEN and oxygen else Word(red_flag_label(code))
                    for code in checkin.red_flags
                ),
                ", ",
            )
            specs.append(
                (
                    AlertKind.RED_FLAG,
                    said(
                        gettext_noop("%(patient)s reported: %(flags)s (session of %(day)s)."),
                        patient=checkin.patient.full_name,
                        flags=labels,
                        day=checkin.date.isoformat(),
                    ),
                )
            )
        threshold = red_pain_threshold()
        pains = (
            (gettext_noop("%(score)s/10 during"), checkin.pain_during),
            (gettext_noop("%(score)s/10 after"), checkin.pain_after),
            (gettext_noop("%(score)s/10 next morning"), checkin.pain_next_morning),
        )
        high = tuple(said(words, score=p) for words, p in pains if p is not None and p > threshold)
        if high:
            specs.append(
                (
                    AlertKind.PAIN_RED,
                    said(
                        gettext_noop("%(patient)s reported pain %(pain)s (session of %(day)s)."),
                        patient=checkin.patient.full_name,
                        pain=Joined(high, ", "),
                        day=checkin.date.isoformat(),
                    ),
                )
            )
        for kind, sentence in specs:
            message, words = as_stored(sentence)
            try:
                with transaction.atomic():
                    alert = Alert.objects.create(
                        patient=checkin.patient,
                        plan=plan,
                        kind=kind,
                        urgent=True,
                        message=message,
                        said=words,
                        checkin=checkin,
                    )
            except IntegrityError:
                continue  # already alerted for this check-in
            created.append(alert)
        if specs and plan.status == PlanStatus.ACTIVE:
            plan.status = PlanStatus.PAUSED
            # The alerts' sentences, joined (a bare placeholder: no words of its own to translate).
            plan.pause_reason, plan.pause_said = as_stored(
                Said("%(alerts)s", (("alerts", Joined(tuple(s for _k, s in specs), "; ")),))
            )
            plan.version += 1
            paused = said(
                gettext_noop("Paused at once: %(reason)s (check-in %(number)s)"),
                reason=said_from_data(plan.pause_said),
                number=str(checkin.pk),
            )
            # django-simple-history's reason for the next save(), and its template (rehab.models.plans).
            plan._change_reason, plan._change_said = as_stored(paused)  # type: ignore[attr-defined]
            plan.save()
        done_at = timezone.now()
        recorded = CheckIn.objects.filter(pk=checkin.pk, followed_up_at__isnull=True).update(followed_up_at=done_at)
        for alert in created:
            enqueue_on_commit("rehab.tasks.email_alert", alert.pk, inline_if_broker_down=True)
    if recorded:
        _check_follow_up_lag(checkin, done_at)
    return created


def _check_follow_up_lag(checkin: CheckIn, done_at) -> None:
    """Raise the operations alert when a follow-up took longer than FOLLOW_UP_LAG_ALERT_SECONDS.

    An ERROR line is what the log shipper pages on; /health/ shows the same from the rows.
    """
    due = checkin.follow_up_due_at or checkin.created_at
    lag = (done_at - due).total_seconds()
    if lag > settings.FOLLOW_UP_LAG_ALERT_SECONDS:
        logger.error(
            "Follow-up lag: check-in %s was followed up %.1f s after it was due (alert above %s s); "
            "is the urgent worker running?",
            checkin.pk,
            lag,
            settings.FOLLOW_UP_LAG_ALERT_SECONDS,
        )


def follow_ups_overdue(*, older_than: float) -> list[int]:
    """Check-ins whose follow-up has been due for more than older_than seconds and is not done.

    Every open follow-up past FOLLOW_UP_LAG_ALERT_SECONDS is logged as an ERROR here too: a
    follow-up that never finishes would otherwise never log its lag.
    """
    now = timezone.now()
    alert_after = now - timedelta(seconds=settings.FOLLOW_UP_LAG_ALERT_SECONDS)
    cutoff = now - timedelta(seconds=older_than)
    due_rows = (
        CheckIn.objects.filter(followed_up_at__isnull=True, follow_up_due_at__lt=max(alert_after, cutoff))
        .order_by("follow_up_due_at")
        .values_list("pk", "follow_up_due_at")[:500]
    )
    open_rows = [(checkin_id, due) for checkin_id, due in due_rows if due is not None]  # the filter leaves none
    for checkin_id, due in open_rows:
        if due >= alert_after:
            continue
        logger.error(
            "Follow-up lag: check-in %s still not followed up %.0f s after it was due (alert above %s s)",
            checkin_id,
            (now - due).total_seconds(),
            settings.FOLLOW_UP_LAG_ALERT_SECONDS,
        )
    return [checkin_id for checkin_id, due in open_rows if due < cutoff]


def follow_up_due(checkin: CheckIn) -> None:
    """A red flag or red pain makes a follow-up due now: record when, and queue it (urgent queue).

    Called inside the transaction that stored the flag or pain. A new flag on a check-in already
    followed up makes a new follow-up due (new alerts are created; repeated ones are not).
    """
    now = timezone.now()
    CheckIn.objects.filter(pk=checkin.pk).update(follow_up_due_at=now, followed_up_at=None)
    checkin.follow_up_due_at, checkin.followed_up_at = now, None
    follow_up_enqueue(checkin)


def follow_up_enqueue(checkin: CheckIn) -> None:
    """Queue the follow-up of a check-in whose follow_up_due_at is set (urgent queue, runs inline if
    the broker is down). A new check-in stores its due time with its insert and calls this alone."""
    enqueue_on_commit("rehab.tasks.checkin_follow_up", checkin.pk, inline_if_broker_down=True)


def alert_email(*, alert_id: int) -> bool:
    """Email one alert to the care team, once; emailed_at records a send that happened.

    emailed_at is set only after the mail went out, so a failed send (or a worker that died
    before sending) leaves the alert unsent for the retry. Two deliveries racing on the same alert
    (an inline run while the broker was down and the drain's publish of the same message) are
    kept apart by a delivery claim on the alert itself: the second finds it busy and retries, or
    finds it done and sends nothing. A worker killed between sending and recording leaves a claim
    that goes stale and is taken over: at least once, never lost.
    """
    if Alert.objects.filter(pk=alert_id, emailed_at__isnull=False).exists():
        return False
    claim = f"alert-email-{alert_id}"
    if not claim_delivery(claim, "rehab.services.alerts.alert_email"):
        return False  # sent by another delivery since we looked
    alert = Alert.objects.select_related("patient", "plan").filter(pk=alert_id, emailed_at__isnull=True).first()
    if alert is None:  # gone, or recorded by a worker that died before closing its claim
        finish_delivery(claim)
        return False
    try:
        recipients = [u for u in alert.patient.care_team.all() if u.email and u.is_active]
        if recipients:
            care_team_alert_send(alert=alert, recipients=recipients)
    except Exception:
        release_delivery(claim)  # let the retry send it
        raise
    if not recipients:
        release_delivery(claim)  # nobody to tell: not emailed, honestly
        return False
    Alert.objects.filter(pk=alert_id, emailed_at__isnull=True).update(emailed_at=timezone.now())
    finish_delivery(claim)
    return True


@transaction.atomic
def alert_acknowledge(*, actor: User, alert: Alert, note: str) -> Alert:
    if not actor.is_care_staff:
        raise NotAllowed(gettext("Only the care team acknowledges alerts."))
    if not note.strip():
        raise InvalidInput({"note": [gettext("Say what you did or decided.")]})
    updated = Alert.objects.filter(pk=alert.pk, acknowledged_at__isnull=True).update(
        acknowledged_by=actor, acknowledged_at=timezone.now(), acknowledgement_note=note.strip()
    )
    if updated != 1:
        raise Conflict(gettext("This alert was already acknowledged."))
    alert.refresh_from_db()
    if alert.override_id:
        # Acknowledging an override's alert is the clinician's review of that override.
        LimitOverride.objects.filter(pk=alert.override_id, acknowledged_at__isnull=True).update(
            acknowledged_by=actor, acknowledged_at=alert.acknowledged_at
        )
    return alert
