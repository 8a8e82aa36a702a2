"""The plan pages for the care team: generate a draft, review it, edit a dose, activate, change the
limits, resume a paused plan, and the plan's history.

Thin views like the rest of frontend.staff: reads through rehab.selectors (a plan the user may not
see is a 404), writes through rehab.services.plans, refusals shown next to the fields.
"""

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend.staff import plan_forms
from frontend.staff.decision_words import decision_reason_words
from frontend.staff.views import _errors_into, _nav, _next_or, _render_patient, _resume_form, _status, staff_page
from planner import serialize
from planner.limits import ADJUSTABLE_FIELDS, get_field
from rehab import selectors
from rehab.exercise_words import exercise_name
from rehab.models import AccessKind, Plan, PlanStatus, Role
from rehab.progress import open_alerts_and_overrides
from rehab.selectors.plans import plan_reason_templates
from rehab.services import plans as plan_services
from rehab.services.access import record_reads
from rehab.services.errors import Conflict, InvalidInput, NotAllowed
from rehab.services.plan_store import plan_document
from rehab.stored_words import stored_text

STALE = gettext_lazy(
    "Someone else changed this plan since you opened it; reload the page to see their change, then try again."
)


@staff_page(Role.PHYSIOTHERAPIST)
@require_http_methods(["GET", "POST"])
def plan_generate(request, patient_id: int):
    patient = selectors.patient_get(request.user, patient_id, clinical=True)
    today = patient.today()
    form = plan_forms.PlanGenerateForm(request.POST or None, initial={"start_date": today})
    if request.method == "POST" and form.is_valid():
        try:
            plan = plan_services.plan_generate(actor=request.user, patient=patient, **form.cleaned_data)
        except InvalidInput as error:
            _errors_into(form, error)
        else:
            messages.success(
                request, gettext("Draft plan generated. Review it, adjust doses if needed, then activate it.")
            )
            return redirect("frontend:plan", plan.pk)
    context = {"form": form, "patient": patient, "nav": _nav(request.user)}
    return render(request, "frontend/staff/plan_generate.html", context, status=_status(form))


def _plan_for_page(request, plan_id: int) -> Plan:
    return selectors.plan_for_page(request.user, plan_id)


def shown_week(plan: Plan) -> int:
    """The week whose doses the page shows and edits: week 1 of a draft, else the week under way."""
    return plan.edit_week()


@staff_page(*Role.CARE)
def plan_review(request, plan_id: int):
    """Limits with their rules, each item's FITT-VP dose and rationale, the week-by-week schedule."""
    plan = _plan_for_page(request, plan_id)
    response = render_plan(request, plan)
    record_reads(request=request, kind=AccessKind.PLAN, patient_ids=[plan.patient_id], object_id=plan.pk)
    return response


def render_plan(request, plan: Plan, *, bound: dict | None = None, status: int = 200):
    """The plan page; `bound` carries a refused form (clearance, supervised session) to show again."""
    from frontend.staff.clearance import clearance_context  # it builds on this module

    items = {item.exercise.slug: item for item in selectors.plan_items_with_exercises(plan)}
    context = {
        "plan": plan,
        "patient": plan.patient,
        "zone": plan.patient.zone,
        "engine": plan_document(plan),
        "limits": plan_services.engine_plan(plan).limits,
        "items": items,
        "week": shown_week(plan),
        "overrides": open_alerts_and_overrides(plan)["overrides"],
        "activate_form": plan_forms.ActivateForm(initial={"version": plan.version}),
        "changed": request.GET.get("changed", ""),
        "can_edit": plan.status not in (PlanStatus.COMPLETED, PlanStatus.ARCHIVED),
        "nav": _nav(request.user),
        **clearance_context(request.user, plan, bound),
    }
    return render(request, "frontend/staff/plan.html", context, status=status)


# Which dose field a limit's message belongs next to.
LIMIT_TO_FIELD = {
    "aerobic.max_hrr_pct": "intensity_high",
    "aerobic.max_rpe": "intensity_high",
    "aerobic.hr_zone_bpm": "intensity_high",
    "resistance.max_pct_1rm": "intensity_high",
    "resistance.max_rpe": "intensity_high",
    "resistance.min_reps": "reps",
    "flexibility.max_hold_seconds": "hold_seconds",
}


def _dose_initial(dose: dict, version: int) -> dict:
    governing = dose["intensity"][0]
    initial = {name: dose.get(name) for name in ("frequency_per_week", "minutes", "sets", "reps", "hold_seconds")}
    if isinstance(initial["minutes"], float) and initial["minutes"].is_integer():
        initial["minutes"] = int(initial["minutes"])  # "10", not "10.0"
    initial.update(intensity_low=governing["low"], intensity_high=governing["high"], version=version)
    return initial


@staff_page(*Role.CARE)
@require_http_methods(["GET", "POST"])
def plan_item_edit(request, plan_id: int, item_id: int):
    """Change one item's dose from the shown week on; above a limit the physiotherapist may override."""
    plan = _plan_for_page(request, plan_id)
    item = get_object_or_404(selectors.plan_items_with_exercises(plan), pk=item_id)
    week = shown_week(plan)
    # One dose of the typed plan, not the whole plan serialised for the template tags.
    scheduled = plan_services.engine_plan(plan).weeks[week - 1].dose_for(item.exercise.slug)
    if scheduled is None:
        raise Http404(gettext("This exercise is no longer part of the plan."))
    dose = serialize.to_dict(scheduled.dose)
    form_kwargs = {"dose_kind": dose["dose_kind"], "intensity_unit": dose["intensity"][0]["unit"]}
    over_limit, problem = False, ""
    if request.method == "POST":
        form = plan_forms.DoseForm(request.POST, **form_kwargs)
        if form.is_valid():
            try:
                plan_services.plan_item_update(
                    actor=request.user,
                    plan=plan,
                    item=item,
                    version=form.cleaned_data["version"],
                    changes=form.changes(),
                    reason=form.cleaned_data["reason"],
                    override_reason=form.cleaned_data.get("override_reason", ""),
                )
            except InvalidInput as error:
                over_limit = any(key in ADJUSTABLE_FIELDS for key in error.errors)
                _errors_into(form, error, LIMIT_TO_FIELD)
            except NotAllowed as error:
                over_limit, problem = True, str(error)
            except Conflict as error:
                plan.refresh_from_db()
                problem = STALE if plan.version != form.cleaned_data["version"] else str(error)
            else:
                messages.success(
                    request,
                    gettext("%(exercise)s: dose changed from week %(week)s.")
                    % {"exercise": exercise_name(item.exercise.slug, item.exercise.name), "week": week},
                )
                # The query differs from the page's own URL, so the browser really reloads (a bare #anchor
                # would only scroll); the page marks the item that changed.
                target = reverse("frontend:plan", args=[plan.pk]) + f"?changed={item.pk}#item-{item.pk}"
                if request.htmx:
                    response = HttpResponse(status=204)
                    response["HX-Redirect"] = target
                    return response
                return redirect(target)
        over_limit = over_limit or bool(request.POST.get("override_reason", "").strip())
    else:
        form = plan_forms.DoseForm(initial=_dose_initial(dose, plan.version), **form_kwargs)
    context = {
        "plan": plan,
        "patient": plan.patient,
        "item": item,
        "dose": dose,
        "week": week,
        "form": form,
        "over_limit": over_limit,
        "problem": problem,
        "stale": problem == STALE,
        "may_override": request.user.role == Role.PHYSIOTHERAPIST,
        "nav": _nav(request.user),
    }
    template = "frontend/staff/_dose_form.html" if request.htmx else "frontend/staff/dose_edit.html"
    # htmx swaps only 2xx responses by default: the refused form is a normal page state there.
    status = 200 if request.htmx or request.method == "GET" else 400
    return render(request, template, context, status=status)


@staff_page(Role.PHYSIOTHERAPIST)
@require_POST
def plan_activate(request, plan_id: int):
    plan = _plan_for_page(request, plan_id)
    form = plan_forms.ActivateForm(request.POST)
    if not form.is_valid():
        messages.error(request, gettext("The page was incomplete; reload it and try again."))
        return redirect("frontend:plan", plan.pk)
    try:
        plan_services.plan_activate(actor=request.user, plan=plan, version=form.cleaned_data["version"])
    except InvalidInput as error:
        for texts in error.errors.values():
            messages.error(request, " ".join(texts))
    except Conflict as error:
        messages.error(request, STALE if plan.version != form.cleaned_data["version"] else str(error))
    else:
        messages.success(
            request, gettext("The plan is active. %(name)s sees it from today.") % {"name": plan.patient.first_name}
        )
    return redirect("frontend:plan", plan.pk)


def _history_in_language(entries: list[dict], plan) -> list[dict]:
    """The changes a weekly decision or a reassessment wrote, said again in the reader's language (one query
    for the decisions, one for the reassessments' templates)."""
    decisions = {row.week: row for row in selectors.plan_decisions(plan)}
    templates = plan_reason_templates(plan)

    def reason(stored: str) -> str:
        if stored in templates:
            return stored_text(stored, templates[stored])
        return decision_reason_words(stored, decisions)

    return [{**entry, "reason": reason(entry.get("reason") or "")} for entry in entries]


@staff_page(*Role.CARE)
def plan_history(request, plan_id: int):
    plan = _plan_for_page(request, plan_id)
    context = {
        "plan": plan,
        "patient": plan.patient,
        "zone": plan.patient.zone,
        "entries": _history_in_language(selectors.plan_history(plan), plan),
        "nav": _nav(request.user),
    }
    response = render(request, "frontend/staff/plan_history.html", context)
    record_reads(request=request, kind=AccessKind.PLAN_HISTORY, patient_ids=[plan.patient_id], object_id=plan.pk)
    return response


def _current_limits(plan: Plan) -> dict:
    limits = plan_services.engine_plan(plan).limits
    current = {}
    for path, _name in plan_forms.LIMIT_FIELDS:
        value = get_field(limits, path)
        current[path] = list(value) if isinstance(value, tuple) else value
    return current


@staff_page(*Role.CARE)
@require_http_methods(["GET", "POST"])
def plan_limits(request, plan_id: int):
    """Tighten the plan's limits (loosening needs a reason); doses are re-clamped from this week."""
    plan = _plan_for_page(request, plan_id)
    if plan.status in (PlanStatus.COMPLETED, PlanStatus.ARCHIVED):
        raise Http404(gettext("A finished plan's limits cannot change."))
    current = _current_limits(plan)
    initial = {name: current[path] for path, name in plan_forms.LIMIT_FIELDS} | {"version": plan.version}
    form = plan_forms.LimitsForm(request.POST or None, initial=initial)
    problem = ""
    back = _next_or(request, reverse("frontend:plan", args=[plan.pk]) + "#limits")
    if request.method == "POST" and form.is_valid():
        adjustments = form.adjustments(current)
        if not adjustments:
            form.add_error(None, gettext("Nothing was changed: change at least one limit."))
        else:
            try:
                plan_services.plan_limits_adjust(
                    actor=request.user,
                    plan=plan,
                    version=form.cleaned_data["version"],
                    adjustments=adjustments,
                    reason=form.cleaned_data["reason"],
                )
            except InvalidInput as error:
                mapping = {f"adjustments.{path}": name for path, name in plan_forms.LIMIT_FIELDS}
                _errors_into(form, error, mapping)
            except Conflict as error:
                problem = STALE if plan.version != form.cleaned_data["version"] else str(error)
            else:
                messages.success(request, gettext("Limits changed. Doses from this week on are within the new limits."))
                return redirect(back)
    context = {
        "plan": plan,
        "patient": plan.patient,
        "form": form,
        "current": current,
        "problem": problem,
        "back": back,
        "nav": _nav(request.user),
    }
    status = 400 if (form.is_bound and form.errors) or problem else 200
    return render(request, "frontend/staff/limits_form.html", context, status=status)


@staff_page(*Role.CARE)
@require_POST
def plan_resume(request, plan_id: int):
    plan = _plan_for_page(request, plan_id)
    form = _resume_form(request.POST)
    if form.is_valid():
        try:
            plan_services.plan_resume(
                actor=request.user, plan=plan, version=form.cleaned_data["version"], reason=form.cleaned_data["reason"]
            )
        except InvalidInput as error:
            _errors_into(form, error)
        except Conflict as error:
            messages.error(request, STALE if plan.version != form.cleaned_data["version"] else str(error))
            return redirect("frontend:patient", plan.patient_id)
        else:
            messages.success(request, gettext("The plan is running again from the dose it was held at."))
            return redirect("frontend:patient", plan.patient_id)
    return _render_patient(request, plan.patient, bound={"resume": form})
