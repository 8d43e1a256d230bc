"""Load the five standards of standards.md and the default thresholds."""

from django.db import migrations


def load(apps, schema_editor):
    from bangfu.standards.services.load import load_standards

    load_standards(apps)


class Migration(migrations.Migration):
    dependencies = [("standards", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
