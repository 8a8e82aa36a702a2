"""Pages for patients: today's session, logging it, next-morning pain, "something is wrong", history.

Mobile first and complete without JavaScript; patient.js and the service worker (sw.js) add offline
reading and offline logging on top. Reads go through rehab.selectors, writes through rehab services.
Every page runs inside timezone.override(the patient's zone), so "today" is the patient's today.
"""

import functools
import hashlib
import itertools
import json
import re
import uuid
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.utils.translation import gettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from frontend.charts import time_chart_svg
from frontend.patient.forms import (
    PAIN_CHOICES,
    NextMorningForm,
    SessionLogForm,
    SomethingWrongForm,
    pain_word,
)
from frontend.patient.pause_words import pause_words
from frontend.patient.session_steps import ILLUSTRATION_URL, session_on, session_steps
from frontend.staff.access import access_sentences
from planner.documents import wording as words
from planner.effort import CR10, cr10_words
from planner.limits import heart_rate_ceiling_only
from planner.session_words import session_line
from planner.sessions import week_sessions
from planner.types import Instructions
from planner.vocabulary import RED_FLAGS, red_flag_label
from rehab import selectors
from rehab.clearance import supervision_state, supervision_words
from rehab.clinical import active_catalogue
from rehab.documents import change_note_for_week
from rehab.exercise_words import exercise_name, exercise_words
from rehab.i18n import shipped_or_default
from rehab.models import Patient, Plan, PlanStatus, Role
from rehab.progress import plan_progress_series, progress_charts
from rehab.services.alerts import patient_advice
from rehab.services.checkins import checkin_add_next_morning, checkin_record
from rehab.services.errors import InvalidInput, NotAllowed
from rehab.services.plans import engine_plan
from rehab.services.red_flags import red_flag_route, red_flags_report

# How far back a forgotten session may be logged from the pages (the API takes any day of the plan).
LOG_BACK_DAYS = 6
# The next-morning question is asked about a session at most this many days old.
NEXT_MORNING_WITHIN_DAYS = 2
SERVICE_WORKER = Path(__file__).resolve().parents[1] / "static" / "frontend" / "sw.js"


def patient_page(view):
    """Signed-in patients only (staff go to their own start page), in the patient's time zone.

    Pages carry health data: no browser or shared cache may store them (rehab/headers.py makes it
    no-store); the offline copy lives in the service worker's Cache Storage, which that leaves alone.
    """

    @login_required
    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.user.role != Role.PATIENT:
            return redirect("frontend:home")
        patient = selectors.patient_of_login(request.user)
        if patient is None:
            raise Http404("No patient record for this login.")
        language = shipped_or_default(patient.language_code)
        with timezone.override(patient.zone), translation.override(language):
            request.LANGUAGE_CODE = language
            response = view(request, patient, *args, **kwargs)
        response["Content-Language"] = language
        response.setdefault("Cache-Control", "private, no-store")
        return response

    return wrapper


# --------------------------------------------------------------------------------------------
# The plan, day by day
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ExerciseCard:
    """One exercise as the patient reads it for one day."""

    plan_item: object
    name: str
    kind: str
    dose: str
    effort: str
    heart_rate: str
    days: str
    times_a_week: int
    done_this_week: int
    due: bool
    instructions: Instructions


def effort_text(dose) -> str:
    """ "Very light to light, 9 to 11 on the 6 to 20 effort scale." or the by-feel guidance."""
    rpe = dose.intensity_in("rpe_6_20")
    if rpe is None:
        return words.effort_words(dose)
    low, high = words.borg_words(rpe.low), words.borg_words(rpe.high)
    said = low if low == high else gettext("%(low)s to %(high)s") % {"low": low, "high": high}
    span = str(rpe.low) if rpe.low == rpe.high else gettext("%(low)s to %(high)s") % {"low": rpe.low, "high": rpe.high}
    text = gettext("%(words)s, %(span)s on the 6 to 20 effort scale.") % {"words": capfirst(said), "span": span}
    if dose.component == "resistance":
        text += " " + gettext("Choose a band or weight that feels like this by the last repetition.")
    return text


def heart_rate_text(dose, limits) -> str:
    """The heart-rate zone in beats per minute, when the dose or the aerobic limits give one."""
    target = dose.intensity_in("hr_bpm")
    if target is not None:
        zone = (target.low, target.high)
    elif dose.component == "aerobic":
        zone = limits.aerobic.hr_zone_bpm
    else:
        zone = None
    if not zone:
        return ""
    if heart_rate_ceiling_only(limits):
        # An estimated maximum errs by 7-11 bpm: the top as a ceiling, and effort governs.
        return gettext("below %(high)s beats per minute (go by how it feels)") % {"high": zone[1]}
    return gettext("%(low)s to %(high)s beats per minute") % {"low": zone[0], "high": zone[1]}


def _week(plan: Plan, engine, day: date):
    """The engine's week for `day` (clamped to the plan) and the date it starts on."""
    number = min(max(plan.week_of(day), 1), len(engine.weeks))
    return engine.weeks[number - 1], plan.start_date + timedelta(days=7 * (number - 1))


def session_days(plan: Plan, engine, day: date) -> dict[str, tuple[date, ...]]:
    """Per exercise slug, its session days in the plan week of `day`.

    They are the printed plan's days (planner.sessions.week_sessions): the busiest exercise's days
    spread evenly, the others fitted into them, strength never on two days in a row. The page and the
    PDF always agree.
    """
    sessions = _week_sessions(plan, engine, day)
    return {item.slug: sessions.days_for(item.slug) for item in engine.items}


def _week_sessions(plan: Plan, engine, day: date, catalogue=()):
    week, first = _week(plan, engine, day)
    return week_sessions(engine, week.number, first, catalogue)


def todays_session(plan: Plan, engine, day: date):
    """Today's session in order (warm-up, 1, 2, 3 ..., cool-down) as the patient reads it, or None."""
    if not plan.covers(day):
        return None
    session = _week_sessions(plan, engine, day, active_catalogue()).session_on(day)
    return session_line(session) if session else None


def exercise_cards(plan: Plan, day: date, engine=None) -> list[ExerciseCard]:
    """Every exercise of the plan with its dose for the week of `day`, and whether it is due that day."""
    engine = engine or engine_plan(plan)
    week, first = _week(plan, engine, day)
    days_by_slug = session_days(plan, engine, day)
    plan_items = {item.exercise.slug: item for item in selectors.plan_items_with_exercises(plan)}
    done = selectors.items_done_between(plan, first, first + timedelta(days=6))
    cards = []
    for item in engine.items:
        plan_item = plan_items.get(item.slug)
        if plan_item is None:
            continue
        scheduled = week.dose_for(item.slug)
        dose = scheduled.dose if scheduled else item.dose
        days = days_by_slug[item.slug]
        # The library's words in the page's language (rehab.exercise_words), else its English.
        shown = exercise_words(item.slug, item.exercise.name, item.exercise.instructions)
        cards.append(
            ExerciseCard(
                plan_item=plan_item,
                name=shown.name,
                kind=words.kind_words(item.component),
                dose=words.dose_words(dose),
                effort=effort_text(dose),
                heart_rate=heart_rate_text(dose, engine.limits),
                days=words.weekday_list(days),
                times_a_week=dose.frequency_per_week,
                done_this_week=done.get(plan_item.pk, 0),
                due=day in days,
                instructions=shown.instructions,
            )
        )
    return cards


def exercise_groups(cards: list[ExerciseCard]) -> list[dict]:
    """Cards by kind (aerobic, strength, stretching, balance), in plan order. When every exercise
    of a kind has the same effort text it is said once for the group, not repeated on each card."""
    groups = []
    for kind, members in itertools.groupby(cards, key=lambda card: card.kind):
        members = list(members)
        efforts = {card.effort for card in members}
        shared = efforts.pop() if len(members) > 1 and len(efforts) == 1 else ""
        groups.append({"kind": kind, "cards": members, "shared_effort": shared})
    return groups


def _day_words(day: date, today: date) -> str:
    if day == today:
        return gettext("today, %(day)s") % {"day": words.date_words(day)}
    if day == today - timedelta(days=1):
        return gettext("yesterday, %(day)s") % {"day": words.date_words(day)}
    return words.date_words(day)


def _next_session_day(plan: Plan, engine, after: date) -> date | None:
    for offset in range(1, 8):
        day = after + timedelta(days=offset)
        if not plan.covers(day):
            return None
        if any(day in days for days in session_days(plan, engine, day).values()):
            return day
    return None


def _common(request, patient: Patient, plan: Plan | None, active: str) -> dict:
    """What every patient page needs: the clinic to call, the offline machinery's settings."""
    return {
        "patient": patient,
        "clinic": patient.clinic,
        "clinic_tel": re.sub(r"[^\d+]", "", patient.clinic.phone),
        "emergency_tel": patient.clinic.emergency_tel,
        "plan": plan,
        "active": active,
        "rendered_at": timezone.localtime(),
        "pdf_url": reverse("plan-pdf", args=[plan.pk]) if plan else "",
        "offline_config": {
            "owner": str(request.user.pk),
            "sw": reverse("frontend:service_worker"),
            "todayUrl": reverse("frontend:today"),
            "logUrl": reverse("frontend:log"),
            "nextMorningUrl": reverse("frontend:next_morning"),
            # A red flag kept offline is sent to its own page; its advice travels with every page.
            "somethingWrongUrl": reverse("frontend:something_wrong"),
            "redFlagAdvice": {flag.code: gettext(flag.advice) for flag in RED_FLAGS},
            "checkinsApi": reverse("checkin-list"),
            "csrfCookie": settings.CSRF_COOKIE_NAME,
        },
    }


# --------------------------------------------------------------------------------------------
# Today
# --------------------------------------------------------------------------------------------


@patient_page
@require_GET
def today(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = _common(request, patient, plan, "today")
    day = timezone.localdate()
    context["today"] = day
    if plan is None:
        return render(request, "frontend/patient/today.html", context)
    recent = selectors.sessions_by_day(request.user, plan, day - timedelta(days=LOG_BACK_DAYS), day)
    asked = next((c for d, c in sorted(recent.items(), reverse=True) if d < day), None)
    if asked is not None and (
        asked.pain_next_morning is not None or asked.date < day - timedelta(days=NEXT_MORNING_WITHIN_DAYS)
    ):
        asked = None
    yesterday = day - timedelta(days=1)
    engine = engine_plan(plan)
    cards = exercise_cards(plan, day, engine) if plan.covers(day) else []
    catalogue = active_catalogue() if cards else ()
    planned = session_on(plan, engine, day, catalogue) if cards else None
    context.update(
        paused=plan.status == PlanStatus.PAUSED,
        paused_words=pause_words(plan) if plan.status == PlanStatus.PAUSED else "",
        started=day >= plan.start_date,
        ended=plan.week_of(day) > plan.weeks,
        todays_checkin=recent.get(day),
        next_morning=asked,
        pain_choices=PAIN_CHOICES,
        due=exercise_groups([c for c in cards if c.due]),
        not_due=exercise_groups([c for c in cards if not c.due]),
        due_count=sum(1 for c in cards if c.due),
        not_due_count=sum(1 for c in cards if not c.due),
        missed=yesterday if plan.covers(yesterday) and yesterday not in recent else None,
        session=session_line(planned) if planned else None,
        # The same session as steps: one short line each, the follow-along page walks through them.
        steps=session_steps(planned, [c for c in cards if c.due], catalogue, engine.limits.protected_regions),
        changes=change_note_for_week(plan, engine, plan.week_of(day)) if plan.covers(day) else (),
    )
    if cards and not context["due"]:
        context["next_day"] = _next_session_day(plan, engine, day)
    # Until the rules' supervised sessions are done, the next one is at the clinic.
    context["at_clinic"] = supervision_words(supervision_state(plan, engine.limits))
    return render(request, "frontend/patient/today.html", context)


@patient_page
@require_POST
def next_morning(request, patient: Patient):
    form = NextMorningForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("Please tap a number from 0 to 10 for your pain this morning."))
        return redirect("frontend:today")
    checkin = selectors.checkin_get(request.user, form.cleaned_data["checkin"])
    value = form.cleaned_data["pain_next_morning"]
    try:
        checkin = checkin_add_next_morning(actor=request.user, checkin=checkin, pain_next_morning=value)
    except NotAllowed as error:
        messages.error(request, str(error))
        return redirect("frontend:today")
    if patient_advice(checkin):
        return redirect("frontend:logged", checkin_id=checkin.pk)
    messages.success(
        request,
        gettext("Thank you. Saved: pain this morning %(value)s (%(word)s).")
        % {"value": value, "word": pain_word(value)},
    )
    return redirect("frontend:today")


# --------------------------------------------------------------------------------------------
# Logging a session
# --------------------------------------------------------------------------------------------


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


@patient_page
@require_http_methods(["GET", "POST"])
def log(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = _common(request, patient, plan, "today")
    if plan is None or plan.status != PlanStatus.ACTIVE:
        return redirect("frontend:today")
    today_ = timezone.localdate()
    window = [today_ - timedelta(days=n) for n in range(LOG_BACK_DAYS + 1)]
    logged = selectors.days_with_a_session(request.user, plan, window[-1], today_)
    allowed = [d for d in window if plan.covers(d)]
    source = request.POST.get("date") if request.method == "POST" else request.GET.get("day")
    day = _parse_day(source)
    if day not in allowed:
        day = today_ if today_ in allowed else (allowed[0] if allowed else today_)
    cards = exercise_cards(plan, day)
    due = [c for c in cards if c.due]
    # On a rest day every exercise is listed, none ticked: the patient ticks what they did.
    rows = [(c.plan_item, c.name, True) for c in due] if due else [(c.plan_item, c.name, False) for c in cards]
    form = SessionLogForm(
        request.POST if request.method == "POST" else None,
        initial={"idempotency_key": str(uuid.uuid4()), "date": day},
        rows=rows,
        allowed_days=allowed,
        effort_scale=patient.effort_scale_in_use,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            checkin, _created = checkin_record(
                actor=request.user,
                plan=plan,
                idempotency_key=data["idempotency_key"],
                date=data["date"],
                pain_during=data["pain_during"],
                pain_after=data["pain_after"],
                items=form.items(),
                **form.effort(),
                notes=data["notes"].strip(),
                pain_regions=data["pain_regions"],
                pain_item=form.painful_item(),
                heart_rate_avg=data["heart_rate_avg"],
                heart_rate_max=data["heart_rate_max"],
                spo2_min=data["spo2_min"],
            )
        except InvalidInput as error:
            for field, problems in error.errors.items():
                for problem in problems:
                    form.add_error(field if field in form.fields else None, problem)
        except NotAllowed as error:
            form.add_error(None, str(error))
        else:
            return redirect("frontend:logged", checkin_id=checkin.pk)
    context.update(
        form=form,
        day=day,
        is_today=day == today_,
        day_words=_day_words(day, today_),
        day_name=gettext("Yesterday") if day == today_ - timedelta(days=1) else words.date_words(day),
        already_logged=day in logged,
        other_days=[(d, _day_words(d, today_)) for d in allowed if d != day and d not in logged],
        rest_day=not due,
    )
    return render(request, "frontend/patient/log.html", context, status=400 if form.errors else 200)


def _effort_words(checkin) -> str:
    """The effort as the patient gave it: "5 out of 10, moderate" or "12, light" (Borg 6-20)."""
    if checkin.effort_scale == CR10 and checkin.effort_value is not None:
        return gettext("%(value)s out of 10, %(words)s") % {
            "value": checkin.effort_value,
            "words": cr10_words(checkin.effort_value),
        }
    if not checkin.session_rpe:
        return ""
    return gettext("%(value)s, %(words)s") % {
        "value": checkin.session_rpe,
        "words": words.borg_words(checkin.session_rpe),
    }


@patient_page
@require_GET
def logged(request, patient: Patient, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    items = selectors.checkin_items_with_exercises(checkin)
    context = _common(request, patient, checkin.plan, "today")
    context.update(
        checkin=checkin,
        day_words=_day_words(checkin.date, timezone.localdate()),
        done=[exercise_name(i.plan_item.exercise.slug, i.plan_item.exercise.name) for i in items if i.done],
        skipped=[exercise_name(i.plan_item.exercise.slug, i.plan_item.exercise.name) for i in items if not i.done],
        total=len(items),
        effort_words=_effort_words(checkin),
        pain_during_word=pain_word(checkin.pain_during),
        pain_after_word=pain_word(checkin.pain_after),
        pain_next_morning_word=pain_word(checkin.pain_next_morning) if checkin.pain_next_morning is not None else "",
        advice=[gettext(line) for line in patient_advice(checkin)],
    )
    return render(request, "frontend/patient/logged.html", context)


# --------------------------------------------------------------------------------------------
# Something is wrong
# --------------------------------------------------------------------------------------------


@patient_page
@require_http_methods(["GET", "POST"])
def something_wrong(request, patient: Patient):
    made_on = _parse_day(request.POST.get("reported_on")) if request.method == "POST" else None
    route = red_flag_route(user=request.user, patient=patient, made_on=made_on)
    context = _common(request, patient, route.plan, "something_wrong")
    form = SomethingWrongForm(
        request.POST if request.method == "POST" else None,
        initial={"idempotency_key": str(uuid.uuid4())},
        needs_pain=route.needs_pain_now,
    )
    if request.method == "POST" and form.is_valid():
        try:
            report = red_flags_report(
                actor=request.user,
                route=route,
                red_flags=form.cleaned_data["red_flags"],
                idempotency_key=form.cleaned_data["idempotency_key"],
                pain_now=form.cleaned_data["pain_now"],
                notes=form.cleaned_data["notes"],
            )
        except (InvalidInput, NotAllowed) as error:
            problems = error.errors.values() if isinstance(error, InvalidInput) else [[str(error)]]
            for messages_ in problems:
                for problem in messages_:
                    form.add_error(None, problem)
        else:
            if report.checkin is None:
                # Nothing to attach it to: the advice and the phone number are all we can give.
                context.update(advice=[gettext(line) for line in report.advice], not_recorded=True)
                return render(request, "frontend/patient/something_wrong_done.html", context)
            return redirect("frontend:something_wrong_done", checkin_id=report.checkin.pk)
    context.update(
        form=form,
        # The planner's wording, in the patient's language (rehab/patient_words.py marks it).
        red_flags=[(flag.code, gettext(flag.label), gettext(flag.advice)) for flag in RED_FLAGS],
        checked=set(form["red_flags"].value() or []),
    )
    return render(request, "frontend/patient/something_wrong.html", context, status=400 if form.errors else 200)


@patient_page
@require_GET
def something_wrong_done(request, patient: Patient, checkin_id: int):
    checkin = selectors.checkin_get(request.user, checkin_id)
    context = _common(request, patient, checkin.plan, "something_wrong")
    context.update(
        checkin=checkin,
        reported=[gettext(red_flag_label(code)) for code in checkin.red_flags],
        advice=[gettext(line) for line in patient_advice(checkin)],
    )
    return render(request, "frontend/patient/something_wrong_done.html", context)


# --------------------------------------------------------------------------------------------
# History
# --------------------------------------------------------------------------------------------


@patient_page
@require_GET
def history(request, patient: Patient):
    plan = selectors.running_plan(patient)
    context = _common(request, patient, plan, "history")
    context["looked"] = access_sentences(request.user, patient.pk)
    if plan is None:
        return render(request, "frontend/patient/history.html", context)
    sessions = selectors.plan_checkins_newest_first(request.user, plan)
    progress = plan_progress_series(plan)
    pain = progress["pain"]
    context.update(
        sessions=[
            {
                "checkin": c,
                "day": words.date_words(c.date, year=c.date.year != timezone.localdate().year),
                "effort": words.borg_words(c.session_rpe) if c.session_rpe else "",
                "red_flags": [gettext(red_flag_label(code)) for code in c.red_flags],
            }
            for c in sessions
        ],
        pain_rows=[{**row, "day": words.date_words(row["date"])} for row in reversed(pain)],
        # 560 wide leaves room for the three legend entries; the axis says what the numbers are in
        # the page's text instead (a y_label would sit on top of the legend).
        chart=time_chart_svg(
            progress_charts(progress, plan.start_date).pain,
            title=gettext("Your pain after each session"),
            y_range=(0, 10),
            width=560,
            height=320,
        ),
    )
    return render(request, "frontend/patient/history.html", context)


# --------------------------------------------------------------------------------------------
# Offline
# --------------------------------------------------------------------------------------------


@patient_page
@require_GET
def offline(request, patient: Patient):
    """What the service worker shows for a page it has no copy of (cached at install)."""
    return render(request, "frontend/patient/offline.html", _common(request, patient, None, ""))


@patient_page
@require_GET
def saved_offline(request, patient: Patient):
    """What the service worker shows after it kept a session on the phone (cached at install)."""
    return render(request, "frontend/patient/saved_offline.html", _common(request, patient, None, "today"))


def _shell() -> list[str]:
    """Static files the patient pages need, under the URLs the pages use (hashed in production)."""
    names = [
        "frontend/site.css",
        "frontend/patient.css",
        "frontend/i18n.js",
        "frontend/patient.js",
        "frontend/follow.js",
        "frontend/manifest.webmanifest",
        "frontend/icons/icon.svg",
        "frontend/icons/icon-192.png",
    ]
    urls = []
    for name in names:
        try:
            urls.append(static(name))
        except ValueError:  # not collected (manifest storage): the worker caches it on first use
            continue
    return urls


@require_GET
def service_worker(request):
    """sw.js from the app's root so that its scope covers every page; static URLs filled in here.

    The version is a hash of the script and of the (hashed, in production) static URLs, so a new
    deployment installs a new worker and drops the old shell cache.
    """
    pages = [
        reverse(name)
        for name in (
            "frontend:today",
            "frontend:follow",
            "frontend:log",
            "frontend:history",
            "frontend:something_wrong",
            "frontend:offline",
            "frontend:saved_offline",
        )
    ]
    config = {
        "shell": _shell(),
        "pages": pages,
        "pagePrefixes": [reverse(name) for name in ("frontend:today", "frontend:history", "frontend:something_wrong")]
        + [reverse("frontend:offline")],
        "queueForms": [reverse("frontend:log"), reverse("frontend:next_morning"), reverse("frontend:something_wrong")],
        # A red flag the network lost is kept and answered with its own page, which shows the advice.
        "redFlagForm": reverse("frontend:something_wrong"),
        "offlinePage": reverse("frontend:offline"),
        "savedPage": reverse("frontend:saved_offline"),
        # Exercise pictures of the follow-along page, kept like pages so they show offline too.
        "picturePrefix": ILLUSTRATION_URL.split("{slug}")[0],
        "staticUrl": settings.STATIC_URL,
    }
    source = SERVICE_WORKER.read_text(encoding="utf-8")
    config["version"] = hashlib.sha256((source + json.dumps(config, sort_keys=True)).encode()).hexdigest()[:12]
    body = source.replace("self.__CONFIG__", json.dumps(config), 1)
    response = HttpResponse(body, content_type="text/javascript; charset=utf-8")
    response["Service-Worker-Allowed"] = "/"
    response["Cache-Control"] = "no-cache"
    return response
