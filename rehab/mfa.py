"""Staff who must use the second sign-in step pass it before anything else (MFA_REQUIRED).

A session signed in with the password alone is only half signed in: pages send the user to the
code page (or to set-up when they have no device yet) and the API answers 403 until the code is
given. API tokens are only handed out after the code (rehab/api/auth.py), so they need no check.
"""

from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.http import urlencode

from rehab.services.mfa import mfa_enrolled, mfa_required_for


def _open_paths() -> tuple[str, ...]:
    return (
        reverse("frontend:mfa_verify"),
        reverse("frontend:mfa_setup"),
        reverse("frontend:logout"),
        reverse("admin:logout"),
        "/static/",
        "/health/",
    )


class StaffMfaMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if mfa_required_for(user) and not user.is_verified() and not request.path.startswith(_open_paths()):
            if request.path.startswith("/api/") and not request.path.startswith(reverse("api-docs")):
                return JsonResponse(
                    {"detail": "Finish the two-step sign-in first: enter the code from your authenticator app."},
                    status=403,
                )
            target = "frontend:mfa_verify" if mfa_enrolled(user) else "frontend:mfa_setup"
            return redirect(f"{reverse(target)}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)
