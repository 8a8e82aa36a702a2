"""Email to patients and staff. All outbound mail goes through this one seam."""

from django.core.mail import send_mail

from rehab.activation import activation_url
from rehab.models import Role, User


def activation_link_send(*, user_id: int) -> bool:
    """Email a fresh activation link to a patient who has not yet chosen a password.

    Idempotent in effect: once the password is set nothing is sent, and a repeated email
    carries a link that is as valid as the first.
    """
    user = User.objects.filter(pk=user_id, role=Role.PATIENT, is_active=True).select_related("clinic").first()
    if user is None or not user.email or user.has_usable_password():
        return False
    clinic = user.clinic.name if user.clinic else "your clinic"
    body = (
        f"Hello {user.first_name},\n\n"
        f"{clinic} has set up your exercise plan. Open this link on your phone to choose a password:\n\n"
        f"{activation_url(user)}\n\n"
        f"Your username is {user.username}. The link works once and expires in a few days.\n"
        "If you did not expect this message, you can ignore it."
    )
    send_mail("Your exercise plan: choose your password", body, None, [user.email])
    return True


def care_team_alert_send(*, alert, recipients: list[str]) -> None:
    """Tell the care team an alert needs them. No clinical detail beyond the alert's own text."""
    from django.conf import settings

    body = (
        f"{alert.get_kind_display()}\n\n{alert.message}\n\n"
        f"The plan has been paused. Open the patient's page to review and acknowledge:\n"
        f"{settings.SITE_URL}/clinician/patients/{alert.patient_id}/\n"
    )
    send_mail(f"[Rehab planner] {alert.get_kind_display()}: {alert.patient.full_name}", body, None, recipients)


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
    message = EmailMessage(
        subject="Your exercise plan",
        body=(
            f"Hello {plan.patient.first_name},\n\nYour exercise plan from {clinic.name} is attached. "
            f"Keep it with you. If anything worries you, call {clinic.phone}.\n"
        ),
        to=[plan.patient.email],
    )
    message.attach(plan_file_name(plan), render_plan_pdf(plan_pdf_document(plan)), "application/pdf")
    message.send()
    return True
