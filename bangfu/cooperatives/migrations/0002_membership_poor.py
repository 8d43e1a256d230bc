"""membership.poor: a copy of "the member household is registered poor" (bangfu/registry/
copies.py); 0003 fills it."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("cooperatives", "0001_initial"),
        ("registry", "0003_drop_unused_pattern_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="membership",
            name="poor",
            field=models.BooleanField(default=False, editable=False, verbose_name="建档立卡户社员"),
        ),
    ]
