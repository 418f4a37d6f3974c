from django.db import migrations


def load(apps, schema_editor):
    from training.reference_data import sync_reference_data

    sync_reference_data(
        apps.get_model("training", "DevelopmentForm"),
        apps.get_model("training", "Competency"),
        apps.get_model("training", "CompetencyLevel"),
    )


class Migration(migrations.Migration):
    dependencies = [("training", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
