"""Effort on a 0-10 scale as well as Borg 6-20 (what was asked is kept with its 6-20 equivalent), the
clinic's and the patient's effort scale, and the clinic's country and emergency number."""

import django.core.validators
from django.db import migrations, models

SCALES = [("borg_6_20", "Borg 6 to 20"), ("cr10", "0 to 10, with words")]


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0013_plan_item_in_plan"),
    ]

    operations = [
        migrations.AlterField(
            model_name="checkin",
            name="session_rpe",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="Borg 6-20: the answer, or the 6-20 equivalent of an answer on another scale "
                "(planner.effort).",
                null=True,
                validators=[
                    django.core.validators.MinValueValidator(6),
                    django.core.validators.MaxValueValidator(20),
                ],
            ),
        ),
        migrations.AddField(
            model_name="checkin",
            name="effort_scale",
            field=models.CharField(
                blank=True,
                choices=SCALES,
                help_text="The scale the effort was asked on; empty for sessions from before it was kept (6-20).",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="checkin",
            name="effort_value",
            field=models.PositiveSmallIntegerField(
                blank=True,
                help_text="The effort as answered, on effort_scale.",
                null=True,
                validators=[django.core.validators.MaxValueValidator(20)],
            ),
        ),
        migrations.AddField(
            model_name="clinic",
            name="country",
            field=models.CharField(
                blank=True,
                help_text="ISO 3166 country code; sets the default emergency number.",
                max_length=2,
                validators=[
                    django.core.validators.RegexValidator("^[A-Z]{2}$", "Two capital letters (ISO 3166), e.g. GB.")
                ],
            ),
        ),
        migrations.AddField(
            model_name="clinic",
            name="emergency_number",
            field=models.CharField(
                blank=True,
                help_text="Called for an ambulance from the red-flag pages; "
                "empty: the country's number (rehab.emergency).",
                max_length=6,
                validators=[django.core.validators.RegexValidator("^[0-9]{2,6}$", "2 to 6 digits, e.g. 999 or 112.")],
            ),
        ),
        migrations.AddField(
            model_name="clinic",
            name="effort_scale",
            field=models.CharField(
                choices=SCALES,
                default="borg_6_20",
                help_text="The scale patients rate effort on, unless a patient has their own.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="historicalpatient",
            name="effort_scale",
            field=models.CharField(
                blank=True,
                choices=SCALES,
                help_text="The scale this patient rates effort on; empty: the clinic's.",
                max_length=10,
            ),
        ),
        migrations.AddField(
            model_name="patient",
            name="effort_scale",
            field=models.CharField(
                blank=True,
                choices=SCALES,
                help_text="The scale this patient rates effort on; empty: the clinic's.",
                max_length=10,
            ),
        ),
    ]
