"""Which language a page, a PDF or a message is in.

A patient reads everything in Patient.language_code (their own choice, else their clinic's): their
pages (frontend.patient.page.patient_page activates it), their PDFs, emails, reminders and push
texts (the services that render them wrap the rendering in `translation.override`). Staff read their
pages in User.language when they chose one, else in what their browser asks for (LocaleMiddleware,
which runs before this middleware). The API's messages follow the same choice once the token has said
who is calling (rehab.api.token_auth joins the patient record to the login for it).
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation
from django.utils.translation import trans_real

from planner.translation import remembered
from rehab.models import Role

SHIPPED = frozenset(code for code, _name in settings.LANGUAGES)


def shipped_or_default(code: str | None) -> str:
    """The code itself when a shipped language, else the site's default (a stored code a later
    release dropped must not switch translation off)."""
    return code if code in SHIPPED else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """Activates a signed-in staff member's own language, when they chose one.

    Patients are left to patient_page, which reads the patient record it loads anyway (no extra query
    here). Content-Language follows, since LocaleMiddleware sets it from the active language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        requested = translation.get_language()
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and getattr(user, "role", None) != Role.PATIENT:
            activate_chosen_language(request, user)
        response = self.get_response(request)
        # An API token says who calls only inside the view (rehab.api.token_auth). Either way the answer
        # names its language, and the thread goes back to the request's for whatever runs after it.
        response.headers.setdefault("Content-Language", translation.get_language())
        if requested:
            translation.activate(requested)
        return response


def activate_chosen_language(request: HttpRequest, user: object) -> None:
    """The login's own language (User.language), when it chose one, over what the request asked for.

    The API calls it once its token has said who is calling (rehab.api.token_auth): its error messages
    are then in the caller's language, else in the request's Accept-Language (LocaleMiddleware).
    """
    chosen = getattr(user, "language", "") or _patient_language(user)
    if chosen:
        code = shipped_or_default(chosen)
        translation.activate(code)
        request.LANGUAGE_CODE = code  # type: ignore[attr-defined]


def _patient_language(user: object) -> str:
    """A patient login's recorded language (their own, else their clinic's, which always has one), as
    their pages, PDFs and emails use it; "" for staff, and for a patient whose record the login's query
    did not join (rehab.api.token_auth joins it; no query is made here): Accept-Language decides then."""
    if getattr(user, "role", None) != Role.PATIENT:
        return ""
    state = getattr(user, "_state", None)
    patient = state.fields_cache.get("patient_record") if state is not None else None
    if patient is None:
        return ""
    return patient.language or patient.clinic.language


def in_patient_language(patient: object) -> translation.override:
    """A context in which text is rendered in the patient's language (their emails, PDFs, pushes)."""
    return translation.override(shipped_or_default(getattr(patient, "language_code", None)))


@contextmanager
def words_remembered() -> Iterator[None]:
    """A context in which the active language does not change, so that each message of the planner's
    wording (planner.translation) is looked up in the catalogue once per process (a PDF asks for the
    same few hundred messages some 1,500 times). The memory lives on Django's translation object for
    the language, which Django replaces when the catalogues or the language settings change."""
    language = translation.get_language()
    if not language:  # translation deactivated: nothing to remember
        yield
        return
    catalogue = trans_real.translation(language)
    memory = catalogue.__dict__.get("_rehab_remembered")
    if memory is None:
        memory = catalogue.__dict__.setdefault("_rehab_remembered", {})
    with remembered(memory):
        yield


def staff_language(user: object, clinic: object) -> str:
    """The language a staff member reads their email in: their own choice (User.language), else their
    clinic's, else the site's default (a message has no browser to ask)."""
    chosen = getattr(user, "language", "") or getattr(clinic, "language", "")
    return shipped_or_default(chosen or None)
