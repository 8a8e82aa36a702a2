"""The staff plan page's clearance and supervised-start parts: what it shows, and the two forms.

A clinician records medical clearance where the plan's rules ask for it; a physiotherapist sees it
awaited (and cannot activate until then) and logs the sessions they supervise at the clinic.
"""

from django.contrib import messages
from django.shortcuts import redirect
from django.utils.translation import gettext
from django.views.decorators.http import require_POST

from frontend.staff import clearance_forms as forms_clearance
from frontend.staff.plan_views import _plan_for_page, render_plan
from frontend.staff.views import _errors_into, staff_page
from rehab import selectors
from rehab.clearance import (
    clearance_staff_words,
    clearance_state,
    plan_limits,
    supervision_staff_words,
    supervision_state,
)
from rehab.models import Plan, PlanStatus, Role
from rehab.services import clearance as clearance_services
from rehab.services.errors import Conflict, InvalidInput, NotAllowed


def _items_in_plan(plan: Plan) -> list:
    """The plan items still prescribed (an item the limits removed keeps its row, not its place)."""
    slugs = plan.blueprint["items"]
    rows = {item.exercise.slug: item for item in selectors.plan_items_with_exercises(plan)}
    return [rows[slug] for slug in slugs if slug in rows]


def supervised_form(plan: Plan, data=None) -> forms_clearance.SupervisedSessionForm:
    initial = {"date": plan.patient.today()}
    return forms_clearance.SupervisedSessionForm(data, initial=initial, plan_items=_items_in_plan(plan))


def clearance_context(user, plan: Plan, bound: dict | None = None) -> dict:
    """What the plan page shows about clearance and supervision, and the forms this user may use."""
    bound = bound or {}
    limits = plan_limits(plan)
    clearance = clearance_state(plan, limits)
    supervision = supervision_state(plan, limits)
    context = {
        "clearance": clearance,
        "clearance_words": clearance_staff_words(clearance),
        "supervision": supervision,
        "supervision_words": supervision_staff_words(supervision),
        # Why the Activate button is disabled, in the physiotherapist's words.
        "activate_blocked": (
            gettext("A clinician must record medical clearance before this plan can start.")
            if clearance.awaited
            else ""
        ),
    }
    open_plan = plan.status not in (PlanStatus.COMPLETED, PlanStatus.ARCHIVED)
    if user.role == Role.CLINICIAN and clearance.awaited and open_plan:
        context["clearance_form"] = bound.get("clearance") or forms_clearance.ClearanceForm()
    if user.role == Role.PHYSIOTHERAPIST and plan.is_running and supervision.required:
        context["supervised_form"] = bound.get("supervised") or supervised_form(plan)
    return context


@staff_page(Role.CLINICIAN)
@require_POST
def plan_clearance(request, plan_id: int):
    plan = _plan_for_page(request, plan_id)
    form = forms_clearance.ClearanceForm(request.POST)
    if form.is_valid():
        try:
            clearance_services.clearance_grant(actor=request.user, plan=plan, note=form.cleaned_data["note"])
        except InvalidInput as error:
            _errors_into(form, error)
        except (Conflict, NotAllowed) as error:
            messages.error(request, str(error))
            return redirect("frontend:plan", plan.pk)
        else:
            messages.success(
                request, gettext("Medical clearance recorded. The physiotherapist can now activate the plan.")
            )
            return redirect("frontend:plan", plan.pk)
    return render_plan(request, plan, bound={"clearance": form}, status=400)


@staff_page(Role.PHYSIOTHERAPIST)
@require_POST
def plan_supervised_session(request, plan_id: int):
    plan = _plan_for_page(request, plan_id)
    form = supervised_form(plan, request.POST)
    if form.is_valid():
        try:
            _checkin, created = clearance_services.supervised_session_record(
                actor=request.user,
                plan=plan,
                idempotency_key=form.cleaned_data["idempotency_key"],
                **form.session(),
            )
        except InvalidInput as error:
            _errors_into(form, error)
        except NotAllowed as error:
            messages.error(request, str(error))
            return redirect("frontend:plan", plan.pk)
        else:
            done = supervision_state(plan, plan_limits(plan))
            if created:
                messages.success(
                    request, gettext("Supervised session saved. %(state)s") % {"state": supervision_staff_words(done)}
                )
            return redirect("frontend:plan", plan.pk)
    return render_plan(request, plan, bound={"supervised": form}, status=400)
