"""Clinic plan templates: save a plan (or a hand-made selection) as a template, revise, archive, and
make a draft plan from one, refitted to the patient's limits (planner.template_refit).

Every function takes the acting user; a template is always of the actor's clinic. Only a
physiotherapist writes templates and makes plans from them (as only they generate plans).
"""

from __future__ import annotations

from dataclasses import asdict
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext, gettext_noop

from planner.limits import compute_limits
from planner.progression.said import said
from planner.rules import default_rulebook
from planner.template_refit import RefitChange, plan_from_template
from planner.templates import (
    CONDITIONS,
    MAX_TEMPLATE_WEEKS,
    TemplateError,
    TemplateItem,
    TemplateSettings,
    template_item_from_dict,
    template_item_to_dict,
    template_items_from_dicts,
    template_items_from_plan,
)
from planner.types import Plan as EnginePlan
from rehab.clinical import active_catalogue, profile_from_assessment
from rehab.models import (
    Patient,
    Plan,
    PlanFromTemplate,
    PlanTemplate,
    PlanTemplateVersion,
    Role,
    User,
)
from rehab.selectors import latest_assessment
from rehab.services import plans as plan_services
from rehab.services.errors import Conflict, InvalidInput, NoClinic, NotAllowed

NAME_MAX = 120
DESCRIPTION_MAX = 2000


def _require_physio(actor: User) -> None:
    if actor.role != Role.PHYSIOTHERAPIST:
        raise NotAllowed(gettext("Only a physiotherapist saves, edits and uses plan templates."))


def _current_version(template: PlanTemplate) -> PlanTemplateVersion:
    version = template.versions.order_by("-number").first()
    # A template is created with its version 1 in the same transaction, and versions are never deleted.
    assert version is not None, f"template {template.pk} has no version"
    return version


def _field_errors(error: TemplateError) -> InvalidInput:
    return InvalidInput({field: [message[0].upper() + message[1:] + "."] for field, message in error.errors.items()})


def _checked_text(name: str, description: str, conditions) -> tuple[str, str, list[str]]:
    errors: dict[str, list[str]] = {}
    name = (name or "").strip()
    if not name:
        errors["name"] = [gettext("Give the template a name.")]
    elif len(name) > NAME_MAX:
        errors["name"] = [gettext("At most %(count)s characters.") % {"count": NAME_MAX}]
    description = (description or "").strip()
    if len(description) > DESCRIPTION_MAX:
        errors["description"] = [gettext("At most %(count)s characters.") % {"count": DESCRIPTION_MAX}]
    conditions = list(conditions or ())
    unknown = [c for c in conditions if c not in CONDITIONS]
    if unknown:
        errors["conditions"] = [
            gettext("Unknown conditions: %(conditions)s.") % {"conditions": ", ".join(map(str, unknown))}
        ]
    if errors:
        raise InvalidInput(errors)
    return name, description, [c for c in CONDITIONS if c in conditions]


def _checked_settings(weeks, growth_cap) -> TemplateSettings:
    errors: dict[str, list[str]] = {}
    if not isinstance(weeks, int) or isinstance(weeks, bool) or not 1 <= weeks <= MAX_TEMPLATE_WEEKS:
        errors["weeks"] = [gettext("A plan lasts 1 to %(most)s weeks.") % {"most": MAX_TEMPLATE_WEEKS}]
    if growth_cap is not None and (isinstance(growth_cap, bool) or not 0 < float(growth_cap) <= 100):
        errors["weekly_progression_max_pct"] = [gettext("A weekly growth cap is a percentage above 0, at most 100.")]
    if errors:
        raise InvalidInput(errors)
    return TemplateSettings(weeks=weeks, weekly_progression_max_pct=None if growth_cap is None else float(growth_cap))


def _add_version(
    template: PlanTemplate,
    *,
    actor: User,
    number: int,
    name: str,
    description: str,
    conditions: list[str],
    items: tuple[TemplateItem, ...],
    settings: TemplateSettings,
    note: str = "",
    source_plan: Plan | None = None,
) -> PlanTemplateVersion:
    return PlanTemplateVersion.objects.create(
        template=template,
        number=number,
        name=name,
        description=description,
        conditions=conditions,
        items=[template_item_to_dict(item) for item in items],
        weeks=settings.weeks,
        weekly_progression_max_pct=settings.weekly_progression_max_pct,
        note=note.strip(),
        source_plan=source_plan,
        created_by=actor,
    )


@transaction.atomic
def template_create(
    *,
    actor: User,
    name: str,
    items: list[dict],
    description: str = "",
    conditions=(),
    weeks: int = 12,
    weekly_progression_max_pct: float | None = None,
) -> PlanTemplate:
    """A hand-made template from library exercises and their doses (planner.templates' item form)."""
    _require_physio(actor)
    name, description, conditions = _checked_text(name, description, conditions)
    settings = _checked_settings(weeks, weekly_progression_max_pct)
    try:
        checked = template_items_from_dicts(items, active_catalogue())
    except TemplateError as error:
        raise _field_errors(error) from None
    if actor.clinic_id is None:
        raise NoClinic()
    template = PlanTemplate.objects.create(clinic_id=actor.clinic_id, name=name, created_by=actor)
    _add_version(
        template,
        actor=actor,
        number=1,
        name=name,
        description=description,
        conditions=conditions,
        items=checked,
        settings=settings,
    )
    return template


@transaction.atomic
def template_create_from_plan(
    *,
    actor: User,
    plan: Plan,
    name: str,
    description: str = "",
    conditions=(),
    basis: str = "relative",
) -> PlanTemplate:
    """A template from a plan the actor may see: its exercises and week-1 doses, its length and growth cap.

    With basis "relative" each intensity is kept as its share of that patient's limit and each ladder by
    its step, so that the template reads the same for a patient with other limits.
    """
    _require_physio(actor)
    if basis not in ("relative", "absolute"):
        raise InvalidInput({"basis": [gettext("Either relative (to each patient's limits) or absolute.")]})
    name, description, conditions = _checked_text(name, description, conditions)
    engine = plan_services.engine_plan(plan)
    items = template_items_from_plan(engine, basis)
    if not items:
        raise InvalidInput({"plan": [gettext("This plan has no exercise to save.")]})
    settings = TemplateSettings(weeks=plan.weeks)
    if actor.clinic_id is None:
        raise NoClinic()
    template = PlanTemplate.objects.create(clinic_id=actor.clinic_id, name=name, created_by=actor)
    _add_version(
        template,
        actor=actor,
        number=1,
        name=name,
        description=description,
        conditions=conditions,
        items=items,
        settings=settings,
        note=f"Saved from plan {plan.pk}",
        source_plan=plan,
    )
    return template


@transaction.atomic
def template_revise(
    *,
    actor: User,
    template: PlanTemplate,
    note: str = "",
    name: str | None = None,
    description: str | None = None,
    conditions=None,
    items: list[dict] | None = None,
    weeks: int | None = None,
    weekly_progression_max_pct: float | None = None,
    clear_growth_cap: bool = False,
) -> PlanTemplateVersion:
    """A new version with the given fields changed (the others as in the current version).

    Plans already made keep the version they came from, and their own copy of the doses.
    """
    _require_physio(actor)
    template = PlanTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_archived:
        raise Conflict(gettext("An archived template cannot be edited."))
    current = _current_version(template)
    name, description, conditions = _checked_text(
        current.name if name is None else name,
        current.description if description is None else description,
        current.conditions if conditions is None else conditions,
    )
    cap = current.weekly_progression_max_pct if weekly_progression_max_pct is None else weekly_progression_max_pct
    settings = _checked_settings(current.weeks if weeks is None else weeks, None if clear_growth_cap else cap)
    try:
        checked = template_items_from_dicts(current.items if items is None else items, active_catalogue())
    except TemplateError as error:
        raise _field_errors(error) from None
    version = _add_version(
        template,
        actor=actor,
        number=current.number + 1,
        name=name,
        description=description,
        conditions=conditions,
        items=checked,
        settings=settings,
        note=note,
    )
    template.name = name
    template.save(update_fields=["name"])
    return version


@transaction.atomic
def template_archive(*, actor: User, template: PlanTemplate) -> PlanTemplate:
    """Hide a template from those to use; plans made from it keep their link."""
    _require_physio(actor)
    template = PlanTemplate.objects.select_for_update().get(pk=template.pk)
    if template.is_archived:
        raise Conflict(gettext("This template is already archived."))
    template.archived_at = timezone.now()
    template.archived_by = actor
    template.save(update_fields=["archived_at", "archived_by"])
    return template


# ---------------------------------------------------------------------------------------------
# Using a template
# ---------------------------------------------------------------------------------------------


def version_items(version: PlanTemplateVersion) -> tuple[TemplateItem, ...]:
    """The stored items as the engine reads them. A retired exercise is kept (the refit drops it)."""
    catalogue = active_catalogue()
    known = {spec.slug for spec in catalogue}
    items = []
    for entry in version.items:
        if entry["exercise"] in known:
            items.append(template_item_from_dict(entry, catalogue))
        else:
            items.append(
                TemplateItem(
                    slug=entry["exercise"],
                    component=entry["component"],
                    dose_kind=entry["dose_kind"],
                    frequency_per_week=entry["frequency_per_week"],
                )
            )
    return tuple(items)


def change_dict(change: RefitChange) -> dict:
    # "text" is the English the record keeps; "said" the same line as its template, which the plan page
    # says in the reader's language (frontend.templatetags.plan_templates.refit_change_words).
    data = {**asdict(change), "rule_ids": list(change.rule_ids), "text": change.text}
    data["said"] = change.sentence().as_data()
    return data


def template_refit(*, actor: User, template: PlanTemplate, patient: Patient, weeks: int | None = None):
    """The plan the template would give this patient, and every change, without storing anything.

    Returns (engine plan, changes, template version, assessment).
    """
    _require_physio(actor)
    assessment = latest_assessment(patient)
    if assessment is None:
        raise InvalidInput({"patient": [gettext("Record an assessment first: the load limits are computed from it.")]})
    if weeks is not None and not 1 <= weeks <= MAX_TEMPLATE_WEEKS:
        raise InvalidInput({"weeks": [gettext("A plan lasts 1 to %(most)s weeks.") % {"most": MAX_TEMPLATE_WEEKS}]})
    version = _current_version(template)
    profile = profile_from_assessment(patient, assessment)
    book = default_rulebook()
    settings = TemplateSettings(version.weeks, version.weekly_progression_max_pct)
    built, changes = plan_from_template(
        version_items(version),
        settings,
        profile,
        compute_limits(profile, book),
        active_catalogue(),
        weeks=weeks,
        rulebook=book,
        author=actor.display_name,
    )
    return built, changes, version, assessment


@transaction.atomic
def plan_create_from_template(
    *, actor: User, template: PlanTemplate, patient: Patient, start_date: date, weeks: int | None = None
) -> Plan:
    """A draft plan for `patient` from the template's current version, refitted to the patient's limits.

    The refit's changes are stored with the plan (PlanFromTemplate) so the plan page and the API show
    them before the plan is activated; the plan records the template version it came from.
    """
    if template.is_archived:
        raise Conflict(gettext("An archived template cannot be used; restore it or choose another."))
    built, changes, version, _ = template_refit(actor=actor, template=template, patient=patient, weeks=weeks)
    if not built.items:
        raise InvalidInput({"template": [gettext("No exercise of this template fits the patient's limits.")]})
    plan = _store_draft(actor=actor, patient=patient, start_date=start_date, built=built, version=version)
    PlanFromTemplate.objects.create(
        plan=plan, template_version=version, changes=[change_dict(change) for change in changes]
    )
    return plan


def _store_draft(*, actor: User, patient: Patient, start_date: date, built: EnginePlan, version) -> Plan:
    """Store the refitted plan as the patient's new draft (one history entry that names the template)."""
    reason = said(
        gettext_noop("Made from the template “%(name)s” (version %(number)s), refitted to this patient's limits"),
        name=version.name,
        number=str(version.number),
    )
    return plan_services.plan_store_built(
        actor=actor, patient=patient, start_date=start_date, built=built, reason=reason
    )
