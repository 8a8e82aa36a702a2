from django.db import migrations


def seed(apps, schema_editor):
    from rehab.exercise_library import sync_default_library

    sync_default_library(apps.get_model("rehab", "Exercise"))


class Migration(migrations.Migration):
    dependencies = [("rehab", "0002_exercise_library")]
    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
