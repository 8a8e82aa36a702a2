"""Clinic plan templates (versioned) and the template version each plan was made from."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0015_plan_rows"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name="PlanTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(help_text="The current version's name (kept here for lists).", max_length=120),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("archived_at", models.DateTimeField(blank=True, null=True)),
                (
                    "archived_by",
                    models.ForeignKey(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "clinic",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="plan_templates", to="rehab.clinic"
                    ),
                ),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
            ],
            options={
                "ordering": ["name", "id"],
                "indexes": [models.Index(fields=["clinic", "archived_at"], name="plantemplate_clinic_archived")],
            },
        ),
        migrations.CreateModel(
            name="PlanTemplateVersion",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("number", models.PositiveIntegerField()),
                ("name", models.CharField(max_length=120)),
                ("description", models.TextField(blank=True)),
                (
                    "conditions",
                    models.JSONField(blank=True, default=list, help_text="planner.templates.CONDITIONS it suits."),
                ),
                (
                    "items",
                    models.JSONField(help_text="planner.templates.template_item_to_dict of each item, in order."),
                ),
                ("weeks", models.PositiveSmallIntegerField(default=12)),
                (
                    "weekly_progression_max_pct",
                    models.FloatField(
                        blank=True,
                        help_text="A growth cap the template asks for; it only ever tightens a patient's.",
                        null=True,
                    ),
                ),
                ("note", models.TextField(blank=True, help_text="What this version changed, in the author's words.")),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "created_by",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "source_plan",
                    models.ForeignKey(
                        blank=True,
                        help_text="The plan it was saved from.",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="rehab.plan",
                    ),
                ),
                (
                    "template",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE, related_name="versions", to="rehab.plantemplate"
                    ),
                ),
            ],
            options={
                "ordering": ["template", "-number"],
                "constraints": [
                    models.UniqueConstraint(fields=("template", "number"), name="plantemplateversion_number_unique")
                ],
            },
        ),
        migrations.CreateModel(
            name="PlanFromTemplate",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "changes",
                    models.JSONField(
                        default=list,
                        help_text="Each refit change: kind, slug, field, before, after, reason, rule_ids, text.",
                    ),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                (
                    "plan",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE, related_name="template_origin", to="rehab.plan"
                    ),
                ),
                (
                    "template_version",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="plans",
                        to="rehab.plantemplateversion",
                    ),
                ),
            ],
        ),
    ]
