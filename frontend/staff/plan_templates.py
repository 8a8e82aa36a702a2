"""Staff pages for clinic plan templates: browse them, preview one against a patient (the refit's
changes with their reasons), make a draft plan from it, archive it, and save a plan as a template.

Thin views: reads through rehab.selectors (another clinic's template is a
404), writes through rehab.services.templates; refusals become messages next to the fields.
"""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from frontend.staff.views import _errors_into, _nav, staff_page
from frontend.templatetags.plan_templates import condition_words
from planner.templates import CONDITIONS, MAX_TEMPLATE_WEEKS
from rehab import selectors
from rehab.models import Role
from rehab.selectors import templates as template_selectors
from rehab.services import templates as template_services
from rehab.services.errors import Conflict, InvalidInput


class SaveAsTemplateForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Template name"), max_length=template_services.NAME_MAX)
    description = forms.CharField(
        label=gettext_lazy("What it is for"),
        required=False,
        max_length=template_services.DESCRIPTION_MAX,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    conditions = forms.MultipleChoiceField(
        label=gettext_lazy("Conditions it suits"),
        required=False,
        choices=lambda: [(code, condition_words(code)) for code in CONDITIONS],
        widget=forms.CheckboxSelectMultiple,
    )


class UseTemplateForm(forms.Form):
    patient = forms.TypedChoiceField(label=gettext_lazy("Patient"), coerce=int)
    start_date = forms.DateField(label=gettext_lazy("First day"), widget=forms.DateInput(attrs={"type": "date"}))
    weeks = forms.IntegerField(
        label=gettext_lazy("Length in weeks"),
        min_value=1,
        max_value=MAX_TEMPLATE_WEEKS,
        required=False,
        help_text=gettext_lazy("Leave empty for the template's own length."),
    )

    def __init__(self, *args, patients=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["patient"].choices = [(p.pk, p.full_name) for p in patients]


def _patients(user):
    return selectors.patients_by_name(user, clinical=True)


@staff_page(*Role.STAFF)
def template_list(request):
    """The clinic's templates, the conditions each suits and how often it was used."""
    show_archived = request.GET.get("archived") == "1"
    # Versions prefetched: the list shows each template's newest version's conditions.
    templates = template_selectors.templates_with_versions(request.user, include_archived=show_archived)
    context = {"templates": templates, "show_archived": show_archived, "nav": "templates"}
    return render(request, "frontend/staff/templates_list.html", context)


@staff_page(*Role.STAFF)
@require_http_methods(["GET", "POST"])
def template_detail(request, template_id: int):
    """A template's items; with ?patient= the plan it would give that patient and every change."""
    template = template_selectors.template_get(request.user, template_id)
    version = template_selectors.template_current_version(template)
    patients = list(_patients(request.user)) if request.user.role == Role.PHYSIOTHERAPIST else []
    today = timezone.localdate()
    data = request.POST or (request.GET if "patient" in request.GET else None)
    form = UseTemplateForm(data, patients=patients, initial={"start_date": today})
    preview = None
    if data is not None and form.is_valid():
        patient = next(p for p in patients if p.pk == form.cleaned_data["patient"])
        try:
            if request.method == "POST":
                plan = template_services.plan_create_from_template(
                    actor=request.user,
                    template=template,
                    patient=patient,
                    start_date=form.cleaned_data["start_date"],
                    weeks=form.cleaned_data["weeks"],
                )
                messages.success(
                    request, gettext("Draft plan made from the template. Review the changes, then activate it.")
                )
                return redirect("frontend:plan", plan.pk)
            built, changes, _, _ = template_services.template_refit(
                actor=request.user, template=template, patient=patient, weeks=form.cleaned_data["weeks"]
            )
            preview = {
                "patient": patient,
                "plan": built,
                "changes": [template_services.change_dict(c) for c in changes],
            }
        except InvalidInput as error:
            _errors_into(form, error, {"template": "patient"})
        except Conflict as error:
            form.add_error(None, str(error))
    context = {
        "template": template,
        "version": version,
        "versions": template_selectors.template_versions(template),
        "form": form,
        "preview": preview,
        "can_use": request.user.role == Role.PHYSIOTHERAPIST and not template.is_archived,
        "conditions": [condition_words(code) for code in version.conditions],
        "nav": "templates",
    }
    return render(request, "frontend/staff/templates_detail.html", context, status=400 if form.errors else 200)


@staff_page(Role.PHYSIOTHERAPIST)
@require_POST
def template_archive(request, template_id: int):
    template = template_selectors.template_get(request.user, template_id)
    try:
        template_services.template_archive(actor=request.user, template=template)
    except Conflict as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, gettext("“%(name)s” is archived; plans made from it keep their link.") % {"name": template.name}
        )
    return redirect("frontend:template_list")


@staff_page(Role.PHYSIOTHERAPIST)
@require_http_methods(["GET", "POST"])
def plan_save_as_template(request, plan_id: int):
    """Save a plan's exercises and doses as a clinic template (doses relative to each patient's limits)."""
    plan = selectors.plan_get(request.user, plan_id)
    form = SaveAsTemplateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            template = template_services.template_create_from_plan(actor=request.user, plan=plan, **form.cleaned_data)
        except InvalidInput as error:
            _errors_into(form, error)
        else:
            messages.success(request, gettext("Saved as the clinic template “%(name)s”.") % {"name": template.name})
            return redirect("frontend:template_detail", template.pk)
    context = {"plan": plan, "patient": plan.patient, "form": form, "nav": _nav(request.user)}
    return render(request, "frontend/staff/templates_save.html", context, status=400 if form.errors else 200)
