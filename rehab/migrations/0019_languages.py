# The language each patient reads (else their clinic's) and each staff login's own choice.

from django.db import migrations, models

LANGUAGES = [("en", "English"), ("es", "Español")]


class Migration(migrations.Migration):
    dependencies = [
        ("rehab", "0018_plan_item_stored_version"),
    ]

    operations = [
        migrations.AddField(
            model_name="clinic",
            name="language",
            field=models.CharField(
                choices=LANGUAGES,
                default="en",
                help_text="The language patients read, unless a patient has their own.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="historicalpatient",
            name="language",
            field=models.CharField(
                blank=True,
                choices=LANGUAGES,
                help_text="The language of the patient's pages, PDFs and reminders; empty: the clinic's.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="patient",
            name="language",
            field=models.CharField(
                blank=True,
                choices=LANGUAGES,
                help_text="The language of the patient's pages, PDFs and reminders; empty: the clinic's.",
                max_length=8,
            ),
        ),
        migrations.AddField(
            model_name="user",
            name="language",
            field=models.CharField(
                blank=True,
                choices=LANGUAGES,
                help_text="The language of this login's pages; empty: the browser's.",
                max_length=8,
            ),
        ),
    ]
