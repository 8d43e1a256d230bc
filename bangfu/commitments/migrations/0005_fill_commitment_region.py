"""Fill commitment.region from the commitment's household's region: one set-based UPDATE (a correlated subquery, the same
on SQLite and PostgreSQL)."""

from django.db import migrations

FILL = """
UPDATE commitments_commitment
SET region_id = (SELECT h.region_id FROM registry_household h WHERE h.id = commitments_commitment.household_id)
"""


class Migration(migrations.Migration):

    dependencies = [("commitments", "0004_commitment_region")]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True)]
