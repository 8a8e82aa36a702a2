"""Email to patients and staff. All outbound mail goes through this one seam."""

from django.core.mail import send_mail
from django.utils import translation
from django.utils.translation import gettext as _

from rehab.activation import activation_url
from rehab.i18n import in_patient_language, staff_language
from rehab.models import AlertKind, PlanStatus, Role
from rehab.stored_words import alert_text


def activation_link_send(*, link_id: int | None = None, user_id: int | None = None) -> bool:
    """Send a sign-in link to the patient's own email or phone on file, once.

    `user_id` is what the outbox carried before links became rows: such a link no longer works
    (its format changed), so nothing is sent and the care team sends a new one.

    The link is minted here, at sending, and claimed on its row first: a task delivered twice sends
    once, and a link replaced or ended before sending is never sent. If sending fails the claim is
    released (the secret forgotten), so the retry sends a fresh link.
    """
    from rehab.models import ActivationChannel, ActivationLink
    from rehab.services.people import activation_link_claim, activation_link_release
    from rehab.sms import send_sms

    if link_id is None:
        return False
    link = ActivationLink.objects.select_related("user", "patient__clinic").filter(pk=link_id).first()
    if link is None or link.channel == ActivationChannel.HANDOVER or not link.destination:
        return False
    if link.user.role != Role.PATIENT or not link.user.is_active or link.user.has_usable_password():
        return False
    token = activation_link_claim(link_id=link.pk)
    if token is None:
        return False
    clinic = link.patient.clinic.name
    url = activation_url(token)
    words = {"clinic": clinic, "url": url, "username": link.user.username, "first_name": link.patient.first_name}
    try:
        with in_patient_language(link.patient):
            if link.channel == ActivationChannel.SMS:
                send_sms(
                    to=link.destination,
                    body=_("%(clinic)s: open %(url)s to choose your exercise-plan password. Username: %(username)s")
                    % words,
                )
            else:
                body = (
                    _(
                        "Hello %(first_name)s,\n\n"
                        "%(clinic)s has set up your exercise plan. Open this link on your phone to choose a "
                        "password (you will be asked for your date of birth):\n\n"
                        "%(url)s\n\n"
                        "Your username is %(username)s. The link works once and expires in a few days.\n"
                        "If you did not expect this message, you can ignore it."
                    )
                    % words
                )
                send_mail(_("Your exercise plan: choose your password"), body, None, [link.destination])
    except Exception:
        activation_link_release(link_id=link.pk)
        raise
    return True


def care_team_alert_send(*, alert, recipients: list) -> None:
    """Tell the care team an alert needs them. No clinical detail beyond the alert's own text.

    recipients: the staff logins to tell. Each reads it in their own language (User.language, else
    their clinic's): one message per language, to everyone who reads it."""
    from django.conf import settings
    from django.urls import reverse

    patient = alert.patient
    by_language: dict[str, list[str]] = {}
    for user in recipients:
        by_language.setdefault(staff_language(user, patient.clinic), []).append(user.email)
    patient_page = f"{settings.SITE_URL}{reverse('frontend:patient', kwargs={'patient_id': alert.patient_id})}"
    paused = _paused_by(alert)
    for code, addresses in sorted(by_language.items()):
        with translation.override(code):
            kind = alert.get_kind_display()
            words = {"kind": kind, "message": alert_text(alert), "url": patient_page}
            if paused:
                body = (
                    _(
                        "%(kind)s\n\n%(message)s\n\n"
                        "The plan has been paused. Open the patient's page to review and acknowledge:\n%(url)s\n"
                    )
                    % words
                )
            else:
                body = (
                    _("%(kind)s\n\n%(message)s\n\nOpen the patient's page to review and acknowledge:\n%(url)s\n")
                    % words
                )
            subject = _("[Rehab planner] %(kind)s: %(patient)s") % {"kind": kind, "patient": patient.full_name}
            send_mail(subject, body, None, addresses)


# The alert kinds whose follow-up pauses a running plan (a red flag or red pain at once, a weekly review,
# a flare at reassessment); the others hold a dose or ask for a review and leave the plan running.
PAUSING_KINDS = frozenset({AlertKind.RED_FLAG, AlertKind.PAIN_RED, AlertKind.REVIEW, AlertKind.FLARE})


def _paused_by(alert) -> bool:
    """Whether the email may say the plan has been paused: the alert is of a kind that pauses, and its
    plan is paused (a plan already finished, or resumed since, was not)."""
    return alert.kind in PAUSING_KINDS and alert.plan is not None and alert.plan.status == PlanStatus.PAUSED


def plan_pdf_send(*, plan_id: int) -> bool:
    """Email the patient their plan as a PDF attachment."""
    from django.core.mail import EmailMessage

    from rehab.documents import plan_file_name, plan_pdf_document
    from rehab.models import Plan
    from rehab.pdf import render_plan_pdf

    plan = Plan.objects.select_related("patient__clinic").filter(pk=plan_id).first()
    if plan is None or not plan.patient.email:
        return False
    clinic = plan.patient.clinic
    with in_patient_language(plan.patient):
        message = EmailMessage(
            subject=_("Your exercise plan"),
            body=_(
                "Hello %(first_name)s,\n\nYour exercise plan from %(clinic)s is attached. "
                "Keep it with you. If anything worries you, call %(phone)s.\n"
            )
            % {"first_name": plan.patient.first_name, "clinic": clinic.name, "phone": clinic.phone},
            to=[plan.patient.email],
        )
        message.attach(plan_file_name(plan), render_plan_pdf(plan_pdf_document(plan)), "application/pdf")
    message.send()
    return True


# The key in ProgressionDecision.carry that claims the patient's "your plan changed" email, so a
# retried or twice-delivered task sends it once per (plan, week): the decision is unique per week.
PLAN_CHANGE_CLAIM = "patient_told_at"


def plan_change_send(*, decision_id: int) -> bool:
    """Tell the patient what a weekly decision changed and why, with their updated plan attached.

    Idempotent: the decision row is claimed by a conditional update before sending, and released if
    sending fails so that the retry sends it.
    """
    from django.core.mail import EmailMessage
    from django.utils import timezone

    from rehab.documents import decision_change_note, plan_file_name, plan_pdf_document
    from rehab.models import ProgressionDecision
    from rehab.pdf import render_plan_pdf
    from rehab.services.plans import engine_plan

    decision = ProgressionDecision.objects.select_related("plan__patient__clinic").filter(pk=decision_id).first()
    if decision is None or PLAN_CHANGE_CLAIM in decision.carry:
        return False
    plan = decision.plan
    patient = plan.patient
    if not patient.email or decision.week >= plan.weeks:
        return False
    lines = decision_change_note(decision, engine_plan(plan))
    if not lines:
        return False
    carry = dict(decision.carry)
    claimed = ProgressionDecision.objects.filter(
        pk=decision.pk, **{f"carry__{PLAN_CHANGE_CLAIM}__isnull": True}
    ).update(carry={**carry, PLAN_CHANGE_CLAIM: timezone.now().isoformat()})
    if claimed != 1:
        return False  # another worker is sending it
    clinic = patient.clinic
    try:
        with in_patient_language(patient):
            body = (
                _("Hello %(first_name)s,\n\nYour exercise plan for week %(week)s is ready.\n\n")
                % {"first_name": patient.first_name, "week": decision.week + 1}
                + "\n".join(f"- {line}" for line in lines)
                + _("\n\nYour updated plan is attached. If anything worries you, call %(clinic)s on %(phone)s.\n")
                % {"clinic": clinic.name, "phone": clinic.phone}
            )
            message = EmailMessage(subject=_("Your exercise plan this week"), body=body, to=[patient.email])
            message.attach(plan_file_name(plan), render_plan_pdf(plan_pdf_document(plan)), "application/pdf")
        message.send()
    except Exception:
        ProgressionDecision.objects.filter(pk=decision.pk).update(carry=carry)  # release: the retry sends it
        raise
    return True
