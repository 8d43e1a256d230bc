"""loan.region is always set (bangfu/registry/copies.py fills it on every save)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [("credit", "0004_fill_loan_region")]

    operations = [
        migrations.AlterField(
            model_name="loan",
            name="region",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="所在区划",
            ),
        ),
    ]
