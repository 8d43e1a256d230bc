"""job.region: a copy of the job's member's household's region (bangfu/registry/copies.py), added nullable;
0004 fills it, 0005 makes it NOT NULL (three migrations: on PostgreSQL an ALTER TABLE may not
follow an UPDATE of FK columns in one transaction)."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("employment", "0002_list_order_index"),
        ("regions", "0001_initial"),
        ("registry", "0003_drop_unused_pattern_indexes"),
    ]

    operations = [
        migrations.AddField(
            model_name="job",
            name="region",
            field=models.ForeignKey(
                blank=True,
                editable=False,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="+",
                to="regions.region",
                verbose_name="所在区划",
            ),
        ),
    ]
