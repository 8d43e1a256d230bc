"""Fill membership.poor: a registered household that is not 一般农户 (non_poor), in one
set-based UPDATE (a correlated subquery, the same on SQLite and PostgreSQL)."""

from django.db import migrations

FILL = """
UPDATE cooperatives_membership
SET poor = (
    CASE WHEN household_id IS NULL THEN FALSE
    ELSE (SELECT h.category <> 'non_poor' FROM registry_household h
          WHERE h.id = cooperatives_membership.household_id)
    END
)
"""


class Migration(migrations.Migration):

    dependencies = [("cooperatives", "0002_membership_poor")]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True)]
