"""Fill loan.region from the loan's household's region: one set-based UPDATE (a correlated subquery, the same
on SQLite and PostgreSQL)."""

from django.db import migrations

FILL = """
UPDATE credit_loan
SET region_id = (SELECT h.region_id FROM registry_household h WHERE h.id = credit_loan.household_id)
"""


class Migration(migrations.Migration):

    dependencies = [("credit", "0003_loan_region")]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True)]
