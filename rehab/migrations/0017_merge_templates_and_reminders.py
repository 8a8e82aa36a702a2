from django.db import migrations


class Migration(migrations.Migration):
    """Plan templates and patient reminders were added side by side; neither depends on the other."""

    dependencies = [
        ("rehab", "0016_plan_templates"),
        ("rehab", "0016_reminders"),
    ]

    operations = []
