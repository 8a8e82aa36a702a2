"""Thin page views: they call services and selectors, never write on their own."""

from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from frontend.forms import ActivationForm
from rehab import selectors
from rehab.activation import open_link_for
from rehab.i18n import shipped_or_default
from rehab.models import Role
from rehab.services import plans as plan_services
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.people import ActivationLinkInvalid, activation_redeem

# Where each role starts. The named pages live in frontend/staff/ and frontend/patient/.
HOME_BY_ROLE = {
    Role.PHYSIOTHERAPIST: "frontend:caseload",
    Role.CLINIC_ADMIN: "frontend:caseload",
    Role.CLINICIAN: "frontend:dashboard",
    Role.PATIENT: "frontend:today",
}


@login_required
def home(request):
    target = HOME_BY_ROLE.get(request.user.role)
    if target is None:
        return render(request, "frontend/home.html", {"patients": selectors.patients_visible_to(request.user)})
    try:
        return redirect(target)
    except NoReverseMatch:  # a role's pages are not installed yet
        return render(request, "frontend/home.html", {"patients": selectors.patients_visible_to(request.user)})


@never_cache
@require_http_methods(["GET", "POST"])
def activate(request, token: str):
    """The patient opens their sign-in link, gives their date of birth and chooses a password."""
    link = open_link_for(token)
    if link is None:
        return render(request, "frontend/activation_invalid.html", status=400)
    # The link is the patient's: its page (and what it refuses) is in their language, as their other pages.
    language = shipped_or_default(link.patient.language_code)
    with translation.override(language):
        request.LANGUAGE_CODE = language
        response = _activate(request, token, link)
    response["Content-Language"] = language
    return response


def _activate(request, token: str, link):
    form = ActivationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            user = activation_redeem(
                token=token,
                date_of_birth=form.cleaned_data["date_of_birth"],
                password=form.cleaned_data["password"],
            )
        except ActivationLinkInvalid:
            return render(request, "frontend/activation_invalid.html", status=400)
        except InvalidInput as error:
            for name, texts in error.errors.items():
                for message in texts:
                    form.add_error(name if name in form.fields else None, message)
        else:
            login(request, user, backend="django.contrib.auth.backends.ModelBackend")
            messages.success(
                request,
                gettext("Your password is set and you are signed in. Your username is %(username)s.")
                % {"username": user.username},
            )
            return redirect("frontend:home")
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "frontend/activate.html", {"form": form, "username": link.user.username}, status=status)


@login_required
@require_http_methods(["POST"])
def plan_email(request, plan_id: int):
    """Email the plan PDF to the patient, then go back to the page the button was on."""
    plan = selectors.plan_get(request.user, plan_id)
    try:
        recipient = plan_services.plan_email(actor=request.user, plan=plan)
    except InvalidInput as error:
        for messages_ in error.errors.values():
            for message in messages_:
                messages.error(request, message)
    except NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("The plan will be emailed to %(address)s in a moment.") % {"address": recipient}
        )
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        back = "/"
    return redirect(back or "/")
