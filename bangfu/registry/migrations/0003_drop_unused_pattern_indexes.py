# On PostgreSQL Django gives every indexed or unique CharField a second, `varchar_pattern_ops`
# index for `LIKE 'prefix%'`. Three of them serve no query and cost every imported row an index
# insert: the status (only ever compared with =), the household number and the ID number (the
# search looks them up by = / IN, by `contains` and by `endswith`, none of which a
# pattern_ops B-tree can serve). The region's pattern index is kept (a region's subtree may be
# matched by prefix). docs/benchmarks.md "Registry import".

from django.db import migrations

UNUSED = [
    ("registry_household", "status"),
    ("registry_household", "household_no"),
    ("registry_member", "id_number"),
]


def _pattern_indexes(cursor, table, column):
    cursor.execute(
        "SELECT indexname FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s",
        [table, f"%({column} varchar_pattern_ops)%"],
    )
    return [name for (name,) in cursor.fetchall()]


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in UNUSED:
            for name in _pattern_indexes(cursor, table, column):
                cursor.execute(f'DROP INDEX IF EXISTS "{name}"')


def restore(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        for table, column in UNUSED:
            if not _pattern_indexes(cursor, table, column):
                cursor.execute(
                    f'CREATE INDEX "{table}_{column}_like" ON "{table}" '
                    f'("{column}" varchar_pattern_ops)'
                )


class Migration(migrations.Migration):
    dependencies = [
        ("registry", "0002_drop_indexes_covered_by_unique"),
    ]

    operations = [migrations.RunPython(drop, restore)]
