"""Fill job.region from the job's member's household's region: one set-based UPDATE (a correlated subquery, the same
on SQLite and PostgreSQL)."""

from django.db import migrations

FILL = """
UPDATE employment_job
SET region_id = (SELECT h.region_id FROM registry_member m JOIN registry_household h ON h.id = m.household_id WHERE m.id = employment_job.member_id)
"""


class Migration(migrations.Migration):

    dependencies = [("employment", "0003_job_region")]

    operations = [migrations.RunSQL(FILL, migrations.RunSQL.noop, elidable=True)]
