"""How long a sign-in lasts, by role.

Staff sessions end after SESSION_COOKIE_AGE (12 hours by default: shared clinic computers).
A patient signs in on their own phone and logs sessions for weeks, often offline; signing
them out twice a day would strand their saved sessions, so theirs last PATIENT_SESSION_AGE.
"""

from django.conf import settings
from django.contrib.auth import SESSION_KEY


def extend_patient_session(sender, request, user, **kwargs):
    # Only a sign-in into a session: an API token sign-in sends the same signal, and must not
    # start a session (and a cookie) of its own.
    session = getattr(request, "session", None)
    if session is None or SESSION_KEY not in session:
        return
    if getattr(user, "role", None) == "patient":
        session.set_expiry(settings.PATIENT_SESSION_AGE)
