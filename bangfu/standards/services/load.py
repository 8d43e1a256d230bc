"""Load the five standards and the default thresholds (definitions.py). Idempotent: a standard
that already has a version and a threshold that already exists are left as they are, so an
administrator's edits survive a re-run."""

from __future__ import annotations

from django.db import transaction

from .. import definitions


@transaction.atomic
def load_standards(apps=None) -> tuple[int, int]:
    """Returns (standards created, thresholds created). `apps` is the migration state's
    registry when run from the data migration."""
    if apps is None:
        from django.apps import apps as global_apps

        apps = global_apps
    Standard = apps.get_model("standards", "Standard")
    Version = apps.get_model("standards", "StandardVersion")
    Item = apps.get_model("standards", "StandardItem")
    Threshold = apps.get_model("standards", "Threshold")
    created = 0
    for code, (name, subject, province, items) in definitions.STANDARDS.items():
        standard, new = Standard.objects.get_or_create(
            code=code, defaults={"name": name, "subject": subject, "province": province}
        )
        if Version.objects.filter(standard=standard).exists():
            continue
        created += 1
        version = Version.objects.create(standard=standard, number=1, note="standards.md")
        for order, (item_code, item_name, expr, active_from, active_to) in enumerate(items, 1):
            Item.objects.create(
                version=version,
                code=item_code,
                order=order,
                name=item_name,
                expression=expr,
                active_from=active_from,
                active_to=active_to,
            )
    thresholds = 0
    for name, year, province, value in definitions.default_thresholds():
        _, new = Threshold.objects.get_or_create(
            name=name, year=year, province=province, defaults={"value": value}
        )
        thresholds += new
    return created, thresholds
