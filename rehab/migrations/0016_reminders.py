"""Reminders the patient controls: their choices, the phones they subscribed for notifications, and
one claim row per (patient, local day, kind) so a reminder is sent once."""

import datetime

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0015_plan_rows"),
    ]

    operations = [
        migrations.CreateModel(
            name="ReminderPreferences",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "days_mask",
                    models.PositiveSmallIntegerField(
                        default=127,
                        help_text="Days a session reminder may come: bit n for weekday n (Monday = 0).",
                    ),
                ),
                (
                    "time_of_day",
                    models.TimeField(
                        default=datetime.time(9, 0), help_text="When the day's reminder comes, local time."
                    ),
                ),
                (
                    "quiet_start",
                    models.TimeField(
                        blank=True, default=datetime.time(21, 0), help_text="No reminder from this time ...", null=True
                    ),
                ),
                (
                    "quiet_end",
                    models.TimeField(
                        blank=True, default=datetime.time(8, 0), help_text="... until this time.", null=True
                    ),
                ),
                (
                    "next_morning",
                    models.BooleanField(
                        default=True, help_text="Remind the morning after a session to give the next-morning pain."
                    ),
                ),
                ("updated_at", models.DateTimeField(auto_now=True)),
                (
                    "patient",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminder_preferences",
                        to="rehab.patient",
                    ),
                ),
            ],
            options={
                "verbose_name_plural": "reminder preferences",
                "constraints": [
                    models.CheckConstraint(
                        condition=models.Q(("days_mask__lte", 127)), name="reminder_days_mask_in_week"
                    ),
                    models.CheckConstraint(
                        condition=models.Q(
                            models.Q(("quiet_end__isnull", True), ("quiet_start__isnull", True)),
                            models.Q(("quiet_end__isnull", False), ("quiet_start__isnull", False)),
                            _connector="OR",
                        ),
                        name="reminder_quiet_hours_both_or_neither",
                    ),
                ],
            },
        ),
        migrations.CreateModel(
            name="PushSubscription",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("endpoint", models.URLField(max_length=1000, unique=True)),
                (
                    "p256dh",
                    models.CharField(help_text="The browser's public key (base64url), for encryption.", max_length=200),
                ),
                ("auth", models.CharField(help_text="The browser's auth secret (base64url).", max_length=100)),
                (
                    "user_agent",
                    models.CharField(blank=True, help_text="Which browser, to tell devices apart.", max_length=200),
                ),
                ("created_at", models.DateTimeField(auto_now_add=True)),
                ("last_success_at", models.DateTimeField(blank=True, null=True)),
                ("last_failure_at", models.DateTimeField(blank=True, null=True)),
                (
                    "last_failure",
                    models.CharField(blank=True, help_text="What the push service answered.", max_length=200),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="push_subscriptions",
                        to="rehab.patient",
                    ),
                ),
            ],
            options={"ordering": ["created_at", "id"]},
        ),
        migrations.CreateModel(
            name="ReminderDelivery",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("day", models.DateField(help_text="The patient's local day the reminder belongs to.")),
                (
                    "kind",
                    models.CharField(
                        choices=[
                            ("session_due", "A session is due"),
                            ("next_morning", "Next-morning pain"),
                            ("no_checkins", "No session this week"),
                        ],
                        max_length=20,
                    ),
                ),
                ("claimed_at", models.DateTimeField()),
                ("sent_at", models.DateTimeField(blank=True, null=True)),
                (
                    "channel",
                    models.CharField(
                        blank=True,
                        choices=[
                            ("push", "Notification on the phone"),
                            ("email", "Email"),
                            ("none", "Nowhere to send it"),
                        ],
                        max_length=10,
                    ),
                ),
                (
                    "patient",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.CASCADE,
                        related_name="reminder_deliveries",
                        to="rehab.patient",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(fields=("patient", "day", "kind"), name="one_reminder_per_patient_day_kind")
                ],
            },
        ),
    ]
