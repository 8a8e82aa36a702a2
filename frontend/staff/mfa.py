"""Two-step sign-in pages for staff: set up an authenticator app, then enter its code at each sign-in.

The writes are services (rehab/services/mfa.py); rehab/mfa.py sends half-signed-in staff here.
"""

from base64 import b32encode

import segno
from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext, gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods
from django_otp import login as otp_login
from django_otp.plugins.otp_static.models import StaticDevice

from rehab.services import mfa as mfa_services


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "text", "autofocus": True}),
    )


def _next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        return target
    return "/"


def _verified(request, device) -> None:
    # A new session key once the second step is passed, as at any change of privilege.
    request.session.cycle_key()
    otp_login(request, device)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_setup(request):
    """Scan the QR code, type the first code; then the recovery codes are shown, once."""
    user = request.user
    # With a device already, only a session that passed the second step may replace it:
    # a stolen password alone must not be enough to enrol the thief's phone.
    if mfa_services.mfa_enrolled(user) and not user.is_verified():
        return redirect(f"{reverse('frontend:mfa_verify')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        confirmed = mfa_services.mfa_app_confirm(user=user, token=form.cleaned_data["code"])
        if confirmed is not None:
            device, codes = confirmed
            _verified(request, device)
            return render(request, "frontend/mfa_codes.html", {"codes": codes, "next": _next(request)})
        form.add_error("code", gettext("That code is not right. Type the 6 digits your app shows now."))
    # The same secret until it is confirmed, so reloading the page does not undo a scan.
    device = mfa_services.mfa_pending_app(user) or mfa_services.mfa_app_start(user=user)
    qr = segno.make(device.config_url, error="m").svg_inline(
        scale=4, light="#fff", title=gettext("QR code for your app")
    )
    secret = b32encode(device.bin_key).decode()
    context = {"form": form, "qr": qr, "secret": " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))}
    context["next"] = _next(request)
    return render(request, "frontend/mfa_setup.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def mfa_verify(request):
    """The second step: a code from the app, or one of the recovery codes (each works once)."""
    user = request.user
    if not mfa_services.mfa_enrolled(user):
        return redirect(f"{reverse('frontend:mfa_setup')}?{urlencode({'next': _next(request)})}")
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = mfa_services.mfa_check(user=user, token=form.cleaned_data["code"])
        if device is not None:
            _verified(request, device)
            if isinstance(device, StaticDevice):
                left = mfa_services.mfa_recovery_codes_left(user)
                messages.warning(
                    request,
                    ngettext(
                        "You used a recovery code; %(left)s left. Each works only once.",
                        "You used a recovery code; %(left)s left. Each works only once.",
                        left,
                    )
                    % {"left": left},
                )
            return redirect(_next(request))
        form.add_error("code", gettext("That code is not right."))
    return render(request, "frontend/mfa_verify.html", {"form": form, "next": _next(request)})


@login_required
@require_http_methods(["POST"])
def mfa_recovery_codes(request):
    """New recovery codes (the old ones stop working); only for a session that passed the second step."""
    if not (mfa_services.mfa_enrolled(request.user) and request.user.is_verified()):
        return redirect("frontend:mfa_verify")
    codes = mfa_services.mfa_recovery_codes_renew(user=request.user)
    return render(request, "frontend/mfa_codes.html", {"codes": codes, "next": "/"})
