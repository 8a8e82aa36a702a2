"""Clinic plan templates: a saved selection of exercises with relative or absolute doses, versioned.

A template belongs to one clinic and is never seen outside it. Its content (name, description, the
conditions it suits, items, progression settings) lives in immutable versions: editing a template adds
a version, so a plan made from version 2 keeps pointing at version 2 whatever is edited later (and the
plan itself stores its own refitted copy, so no edit ever changes it). Archiving hides a template from
the list of those to use; its versions stay, because plans point at them.
"""

from django.db import models

from rehab.models.people import Clinic, User
from rehab.models.plans import Plan


class PlanTemplate(models.Model):
    clinic = models.ForeignKey(Clinic, on_delete=models.PROTECT, related_name="plan_templates")
    name = models.CharField(max_length=120, help_text="The current version's name (kept here for lists).")
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    archived_at = models.DateTimeField(null=True, blank=True)
    archived_by = models.ForeignKey(User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")

    class Meta:
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["clinic", "archived_at"], name="plantemplate_clinic_archived")]

    def __str__(self) -> str:
        return f"Template {self.pk}: {self.name}"

    @property
    def is_archived(self) -> bool:
        return self.archived_at is not None


class PlanTemplateVersion(models.Model):
    """One immutable version of a template: what a plan is made from."""

    template = models.ForeignKey(PlanTemplate, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField()
    name = models.CharField(max_length=120)
    description = models.TextField(blank=True)
    conditions = models.JSONField(default=list, blank=True, help_text="planner.templates.CONDITIONS it suits.")
    items = models.JSONField(help_text="planner.templates.template_item_to_dict of each item, in order.")
    weeks = models.PositiveSmallIntegerField(default=12)
    weekly_progression_max_pct = models.FloatField(
        null=True, blank=True, help_text="A growth cap the template asks for; it only ever tightens a patient's."
    )
    note = models.TextField(blank=True, help_text="What this version changed, in the author's words.")
    source_plan = models.ForeignKey(
        Plan,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        help_text="The plan it was saved from.",
    )
    created_by = models.ForeignKey(User, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["template", "-number"]
        constraints = [models.UniqueConstraint(fields=["template", "number"], name="plantemplateversion_number_unique")]

    def __str__(self) -> str:
        return f"{self.name} v{self.number}"


class PlanFromTemplate(models.Model):
    """The template version a plan was made from, and what the refit changed (the plan's build notes)."""

    plan = models.OneToOneField(Plan, on_delete=models.CASCADE, related_name="template_origin")
    template_version = models.ForeignKey(PlanTemplateVersion, on_delete=models.PROTECT, related_name="plans")
    changes = models.JSONField(
        default=list, help_text="Each refit change: kind, slug, field, before, after, reason, rule_ids, text."
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"Plan {self.plan_id} from {self.template_version}"
