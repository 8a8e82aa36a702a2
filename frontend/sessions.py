"""How long a sign-in lasts, by role.

Staff sessions end after SESSION_COOKIE_AGE (12 hours by default: shared clinic computers).
A patient signs in on their own phone and logs sessions for weeks, often offline; signing
them out twice a day would strand their saved sessions, so theirs last PATIENT_SESSION_AGE.
"""

from django.conf import settings


def extend_patient_session(sender, request, user, **kwargs):
    if getattr(user, "role", None) == "patient":
        request.session.set_expiry(settings.PATIENT_SESSION_AGE)
