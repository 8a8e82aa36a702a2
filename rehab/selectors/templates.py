"""Reads of clinic plan templates, scoped to the user's clinic.

Templates hold no patient data, so every member of the clinic's staff may read them; patients see
none. Nothing crosses clinics: another clinic's template is a 404, as any record the user may not see.
"""

from django.db.models import Count, OuterRef, Prefetch, QuerySet, Subquery
from django.http import Http404
from django.utils.translation import gettext

from rehab.models import PlanFromTemplate, PlanTemplate, PlanTemplateVersion, Role, User


def templates_visible_to(user: User, *, include_archived: bool = False) -> QuerySet[PlanTemplate]:
    """The clinic's templates (the current version's number as `current_number`), archived ones on request."""
    clinic_id = getattr(user, "clinic_id", None) if user.is_authenticated else None
    if clinic_id is None or user.role == Role.PATIENT:
        return PlanTemplate.objects.none()
    templates = PlanTemplate.objects.filter(clinic_id=clinic_id)
    if not include_archived:
        templates = templates.filter(archived_at__isnull=True)
    latest = PlanTemplateVersion.objects.filter(template=OuterRef("pk")).order_by("-number")
    return (
        templates.annotate(
            current_number=Subquery(latest.values("number")[:1]), plans_made=Count("versions__plans", distinct=True)
        )
        .select_related("created_by", "archived_by")
        .order_by("name", "id")  # an aggregate drops the model's ordering
    )


def templates_with_versions(user: User, *, include_archived: bool = False) -> QuerySet[PlanTemplate]:
    """templates_visible_to with every version prefetched newest first: `template.versions.all()`
    and newest_version(template) read no more."""
    newest_first = PlanTemplateVersion.objects.order_by("-number")
    return templates_visible_to(user, include_archived=include_archived).prefetch_related(
        Prefetch("versions", queryset=newest_first)
    )


def newest_version(template: PlanTemplate) -> PlanTemplateVersion:
    """The newest of a template's versions as templates_with_versions prefetched them (no query)."""
    return max(template.versions.all(), key=lambda version: version.number)


def template_get(user: User, template_id) -> PlanTemplate:
    """A template of the user's clinic, archived or not; 404 otherwise."""
    try:
        return templates_visible_to(user, include_archived=True).get(pk=template_id)
    except (PlanTemplate.DoesNotExist, ValueError, TypeError):
        raise Http404(gettext("No such template.")) from None


def template_current_version(template: PlanTemplate) -> PlanTemplateVersion | None:
    """The newest version (every template is saved with one; None only for a row made by hand)."""
    return template.versions.select_related("created_by").order_by("-number").first()


def template_versions(template: PlanTemplate) -> QuerySet[PlanTemplateVersion]:
    return template.versions.select_related("created_by").order_by("-number")


def plan_template_origin(plan) -> PlanFromTemplate | None:
    """The template version a plan was made from and the refit's changes, or None."""
    return (
        PlanFromTemplate.objects.filter(plan=plan)
        .select_related("template_version", "template_version__template")
        .first()
    )
